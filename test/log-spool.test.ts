/**
 * kill -9 of a process with answered questions not yet written: they are in its spool
 * file, and the next process on the same DATA_DIR writes them, on SQLite and on
 * PostgreSQL. Also the spool file on its own: a line cut short is skipped, a live
 * process's file is left alone.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { loadConfig, PROJECT_ROOT } from '../src/config.js';
import { openSpool, takeOrphanedSpools } from '../src/server/log-spool.js';
import { openStorage, spoolDirOf } from '../src/store/storage.js';
import { createTestDatabase, hasPostgres, NO_POSTGRES, type TestDatabase } from './helpers/pg.js';

const dirs: string[] = [];
const databases: TestDatabase[] = [];
afterAll(async () => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  for (const db of databases) await db.drop();
});
const tmp = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'wz-spool-'));
  dirs.push(dir);
  return dir;
};

/** Runs the child until it has accepted `count` rows, kills it with SIGKILL, returns their ids. */
async function killedWith(env: Record<string, string>, count: number): Promise<string[]> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join('test', 'helpers', 'spool-child.ts'), String(count)],
    { cwd: PROJECT_ROOT, env: { ...process.env, LOG_LEVEL: 'silent', ...env }, stdio: 'pipe' },
  );
  let out = '';
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const ids = await new Promise<string[]>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /recorded (.*)\n/.exec(out);
      if (m) resolve(m[1]!.split(' '));
    });
    child.once('exit', (code) => reject(new Error(`child exited ${code}: ${out}`)));
  });
  const exited = once(child, 'exit');
  child.kill('SIGKILL');
  await exited;
  return ids;
}

const cases = [
  { name: 'SQLite', skip: null as string | null, url: async () => '' },
  {
    name: 'PostgreSQL',
    skip: hasPostgres ? null : NO_POSTGRES,
    url: async () => {
      const db = await createTestDatabase();
      databases.push(db);
      return db.url;
    },
  },
];

for (const c of cases) {
  it.skipIf(c.skip !== null)(
    `writes what a process killed with SIGKILL had accepted, on ${c.name}${c.skip ? ` (${c.skip})` : ''}`,
    async () => {
      const dataDir = tmp();
      const url = await c.url();
      const env = { DATA_DIR: dataDir, ...(url ? { DATABASE_URL: url } : {}) };
      const ids = await killedWith(env, 25);
      expect(ids).toHaveLength(25);
      expect(readdirSync(spoolDirOf(dataDir))).toHaveLength(1);

      const storage = await openStorage({ config: loadConfig({ root: PROJECT_ROOT, env }) });
      // Not in the database: the killed process never wrote its batch.
      const everything = { from: '2000-01-01T00:00:00.000Z', to: '2100-01-01T00:00:00.000Z' };
      expect(await storage.reader.tallies(everything, false)).toEqual([]);
      const log = storage.createLog();
      try {
        await vi.waitFor(async () => {
          for (const id of ids) expect(await log.get(id), id).not.toBeNull();
        });
        expect(await log.get(ids[0]!)).toMatchObject({ question: '被中断的问题0', found: true });
        // The dead process's file is gone; this process's own is empty.
        expect(readdirSync(spoolDirOf(dataDir))).toHaveLength(1);
      } finally {
        await log.close();
        await storage.close();
      }
      expect(readdirSync(spoolDirOf(dataDir))).toEqual([]);
    },
    60_000,
  );
}

for (const c of cases) {
  it.skipIf(c.skip !== null)(
    `a live process on the same DATA_DIR takes over a killed sibling's rows without a restart, on ${c.name}${c.skip ? ` (${c.skip})` : ''}`,
    async () => {
      const dataDir = tmp();
      const url = await c.url();
      const env = { DATA_DIR: dataDir, ...(url ? { DATABASE_URL: url } : {}) };
      const storage = await openStorage({ config: loadConfig({ root: PROJECT_ROOT, env }) });
      const log = storage.createLog({ adoptMs: 50 });
      try {
        const ids = await killedWith(env, 10);
        await vi.waitFor(
          async () => {
            for (const id of ids) expect(await log.get(id), id).not.toBeNull();
          },
          { timeout: 5000, interval: 100 },
        );
      } finally {
        await log.close();
        await storage.close();
      }
      expect(readdirSync(spoolDirOf(dataDir))).toEqual([]);
    },
    60_000,
  );
}

describe('log-spool', () => {
  it('skips a line cut short by the kill, and leaves the file of a live process alone', () => {
    const dir = tmp();
    const own = openSpool(dir);
    own.append([{ row: ['mine'] }]);
    writeFileSync(
      path.join(dir, 'spool-999999999-0badbeef.jsonl'),
      '{"row":["a"]}\n{"rate":["a","up",null,"2025-01-01T00:00:00.000Z"]}\n{"row":["b"',
    );
    // The parent of this test runner is alive: its file stays.
    writeFileSync(path.join(dir, `spool-${process.ppid}-00000000.jsonl`), '{"row":["alive"]}\n');
    expect(takeOrphanedSpools(dir, own.file)).toEqual([
      { row: ['a'] },
      { rate: ['a', 'up', null, '2025-01-01T00:00:00.000Z'] },
    ]);
    expect(readdirSync(dir).sort()).toEqual(
      [path.basename(own.file), `spool-${process.ppid}-00000000.jsonl`].sort(),
    );
    own.reset();
    own.close();
    expect(readdirSync(dir)).toEqual([`spool-${process.ppid}-00000000.jsonl`]);
  });
});
