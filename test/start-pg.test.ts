/**
 * src/main.ts with DATABASE_URL: the process applies the migrations at start, logs its
 * questions to PostgreSQL, and `npm run admin` keeps accounts there; a database it cannot
 * reach stops it at start with the reason in Chinese (exit 1).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { PROJECT_ROOT } from '../src/config.js';
import {
  createTestDatabase,
  hasPostgres,
  NO_POSTGRES,
  queryIn,
  type TestDatabase,
} from './helpers/pg.js';
import { KNOWN } from './helpers/real-engine.js';

const work = mkdtempSync(path.join(tmpdir(), 'wz-start-pg-'));
let child: ChildProcess | null = null;
let db: TestDatabase | null = null;

const baseEnv = (): NodeJS.ProcessEnv => ({
  ...process.env,
  PORT: '0',
  HOST: '127.0.0.1',
  LOG_LEVEL: 'info',
  // One serving process: what is checked here is the storage, not the cluster.
  WORKERS: '1',
  INDEX_DIR: path.join(work, 'index'),
  DATA_DIR: path.join(work, 'data'),
});

beforeAll(async () => {
  if (hasPostgres) db = await createTestDatabase();
});
afterAll(async () => {
  child?.kill('SIGKILL');
  await db?.drop();
  rmSync(work, { recursive: true, force: true });
});

function start(env: NodeJS.ProcessEnv): { proc: ChildProcess; output: () => string } {
  let out = '';
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: PROJECT_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  return { proc, output: () => out };
}

describe.skipIf(!hasPostgres)(
  `src/main.ts on PostgreSQL${hasPostgres ? '' : ` (${NO_POSTGRES})`}`,
  () => {
    it('migrates at start, answers, logs the question in PostgreSQL and stops cleanly', async () => {
      const started = start({ ...baseEnv(), DATABASE_URL: db!.url });
      child = started.proc;
      const url = await vi.waitFor(
        () => {
          const m = /listening on (http:\/\/[\d.]+:\d+)/.exec(started.output());
          if (!m) throw new Error(`not listening yet: ${started.output().slice(-300)}`);
          return m[1]!;
        },
        { timeout: 30_000, interval: 100 },
      );
      expect(started.output()).toContain('PostgreSQL: migrations applied');
      await vi.waitFor(async () => expect((await fetch(`${url}/readyz`)).status).toBe(200), {
        timeout: 60_000,
        interval: 200,
      });
      const res = await fetch(`${url}/api/ask`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ question: KNOWN.legalAdvice.question }),
      });
      const answer = (await res.json()) as { found: boolean; messageId: string };
      expect(answer.found).toBe(true);
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      expect((await exited)[0]).toBe(0);
      child = null;
      // Written before the process exited.
      const rows = await queryIn<{ found: boolean }>(
        db!.url,
        'SELECT found FROM questions WHERE message_id = $1',
        [answer.messageId],
      );
      expect(rows).toEqual([{ found: true }]);
      const jobs = await queryIn<{ state: string }>(db!.url, 'SELECT state FROM admin_jobs');
      expect(jobs.map((j) => j.state)).toEqual(['done']);
    }, 90_000);

    it('keeps console accounts in PostgreSQL with npm run admin', () => {
      const admin = (args: string[], input = '') =>
        execFileSync(process.execPath, ['--import', 'tsx', 'src/cli/admin.ts', ...args], {
          cwd: PROJECT_ROOT,
          env: { ...baseEnv(), DATABASE_URL: db!.url },
          input,
          encoding: 'utf8',
          stdio: ['pipe', 'pipe', 'pipe'],
        });
      expect(admin(['add', 'wangwu', '--role', 'viewer'], 'a long enough password\n')).toContain(
        '已创建查看账号 wangwu',
      );
      expect(admin(['list'])).toMatch(/^wangwu\t查看\t/);
      return queryIn<{ role: string }>(
        db!.url,
        "SELECT role FROM admin_users WHERE name = 'wangwu'",
      ).then((rows) => expect(rows).toEqual([{ role: 'viewer' }]));
    }, 60_000);

    it('stops at start with the reason in Chinese when the database cannot be reached', async () => {
      const started = start({
        ...baseEnv(),
        DATABASE_URL: `postgres://postgres@127.0.0.1:1/${db!.name}`,
      });
      const [code] = (await once(started.proc, 'exit')) as [number];
      expect(code).toBe(1);
      expect(started.output()).toContain('无法打开数据库');
      expect(started.output()).toContain('连接被拒绝');
    }, 30_000);
  },
);
