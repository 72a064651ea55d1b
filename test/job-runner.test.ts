/** The job runner on a hand-built slow store: every record saved reaches it before close. */
import { describe, expect, it } from 'vitest';
import { createJobRunner } from '../src/admin/jobs.js';
import type { JobRecord, JobStore } from '../src/admin/store.js';

function slowStore(ms: number): JobStore & { rows: Map<string, JobRecord> } {
  const rows = new Map<string, JobRecord>();
  return {
    rows,
    async save(job) {
      await new Promise((r) => setTimeout(r, ms));
      rows.set(job.jobId, structuredClone(job));
    },
    async get(jobId) {
      return rows.get(jobId) ?? null;
    },
    async list() {
      return [...rows.values()];
    },
  } as JobStore & { rows: Map<string, JobRecord> };
}

describe('job runner', () => {
  it('has the finished state in the store once idle, and flush waits for queued saves', async () => {
    const store = slowStore(30);
    const runner = createJobRunner({
      store,
      build: async ({ onProgress }) => {
        for (let i = 0; i < 5; i++)
          onProgress({
            phase: 'embedding',
            files: 1,
            filesTotal: 1,
            passages: 1,
            embedded: i,
            embedTotal: 5,
          } as never);
        return null;
      },
      publish: async () => {},
      needsLoad: () => false,
    });
    const job = runner.submit({ kind: 'reindex', actor: 'test' });
    expect(store.rows.get(job.jobId)).toBeUndefined();
    await runner.idle();
    await runner.flush();
    expect(store.rows.get(job.jobId)?.state).toBe('done');
    expect(runner.pending()).toEqual([]);
  });
});
