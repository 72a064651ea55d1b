/**
 * Start-up with an index on disk: the old index answers at once while the ingest child
 * rebuilds a changed corpus, leftovers of an interrupted build are removed, and a broken
 * sidecar keeps the document it belongs to.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startConsoleServer } from './helpers/console-server.js';
import { SEED } from './helpers/corpus.js';
import { KNOWN } from './helpers/real-engine.js';

const root = mkdtempSync(path.join(tmpdir(), 'wz-startup-'));
const dirs = {
  corpusDir: path.join(root, 'corpus'),
  indexDir: path.join(root, 'index'),
  dataDir: path.join(root, 'data'),
};
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function ask(url: string, question: string) {
  const res = await fetch(`${url}/api/ask`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ question }),
  });
  return (await res.json()) as {
    found: boolean;
    answer: string;
    citations: Array<{ docId: string }>;
  };
}

describe('start-up with an index on disk', () => {
  it('serves the previous index at once while the ingest child rebuilds, cleans build leftovers, and keeps a document whose sidecar broke', async () => {
    for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
    copyFileSync(SEED, path.join(dirs.corpusDir, path.basename(SEED)));
    const first = await startConsoleServer({ dirs });
    expect((await ask(first.url, KNOWN.proposals.question)).found).toBe(true);
    await first.close();

    // What a kill -9 during a save leaves, a new report, and a sidecar that is not JSON.
    const leftover = path.join(dirs.indexDir, '.build-1700000000000-4242');
    mkdirSync(leftover);
    writeFileSync(path.join(leftover, 'chunks.json'), '[');
    writeFileSync(
      path.join(dirs.corpusDir, '2025_青山市政府工作报告.txt'),
      '2025年青山市人民政府工作报告\n一、2024年工作回顾\n过去一年，青山市新建城市书房128座，全年接待读者56.3万人次。\n',
    );
    writeFileSync(
      path.join(dirs.corpusDir, path.basename(SEED).replace(/\.txt$/, '.meta.json')),
      '{"title": "被截断的',
    );

    const second = await startConsoleServer({ dirs, waitForJobs: false });
    try {
      // Right after start: the old index serves, the leftover is gone, the rebuild is pending.
      expect(existsSync(leftover)).toBe(false);
      expect((await fetch(`${second.url}/readyz`)).status).toBe(200);
      expect(await ask(second.url, KNOWN.proposals.question)).toMatchObject({ found: true });
      const [startup] = second.operatorConsole.jobs.pending();
      expect(startup).toMatchObject({ kind: 'startup' });

      await second.operatorConsole.jobs.idle();
      const job = (await second.operatorConsole.jobs.get(startup!.jobId))!;
      expect(job.state).toBe('done');
      expect(job.failures).toEqual([
        { docId: path.basename(SEED), reason: expect.stringContaining('已保留上一版本') },
      ]);
      const fresh = await ask(second.url, '青山市新建了多少座城市书房？');
      expect(fresh.found).toBe(true);
      expect(fresh.answer).toContain('128');
      const seed = await ask(second.url, KNOWN.proposals.question);
      expect(seed.found).toBe(true);
      expect(seed.answer).toContain(KNOWN.proposals.figure);
    } finally {
      await second.close();
    }
  }, 120_000);
});
