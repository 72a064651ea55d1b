/**
 * The ingest child process (src/admin/ingest-child.ts) on the seed report: a real fork of
 * ingest/worker.ts that builds a real index, at a lower scheduling priority than the
 * server that asked for it.
 */
import { readdirSync, readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { getPriority, tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildInChild } from '../src/admin/ingest-child.js';
import { loadConfig } from '../src/config.js';
import { hasIndex } from '../src/index-store.js';

const work = mkdtempSync(path.join(tmpdir(), 'wz-ingest-child-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Nice values of this process's children (Linux /proc), by pid. */
function childNiceness(): Map<number, number> {
  const out = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Fields after the command name (which may hold spaces): state ppid … nice is field 19.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) === process.pid) out.set(Number(entry), Number(fields[16]));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

describe('ingest child', () => {
  it.runIf(process.platform === 'linux')(
    'builds the index at a lower priority than the server (nice 10 by default)',
    async () => {
      const indexDir = path.join(work, 'index');
      const config = loadConfig({ env: { INDEX_DIR: indexDir } });
      const seen: number[] = [];
      const report = await buildInChild(
        {
          corpusDir: config.CORPUS_DIR,
          indexDir,
          embedder: config,
          batchSize: config.EMBEDDINGS_BATCH_SIZE,
        },
        {
          onProgress: () => {
            if (seen.length === 0) seen.push(...childNiceness().values());
          },
        },
      );
      expect(report?.documents).toBe(1);
      expect(hasIndex(indexDir)).toBe(true);
      expect(seen).toContain(
        getPriority(process.pid) + 10 > 19 ? 19 : getPriority(process.pid) + 10,
      );
    },
  );
});
