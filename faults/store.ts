/**
 * The question log on a bad day, under the real server process: a full filesystem (1 MB
 * tmpfs), a read-only filesystem, a damaged database file. The service keeps answering,
 * /readyz says what is wrong in Chinese, and once the disk recovers every accepted row is
 * in the database.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { createLogStore } from '../src/server/log-store.js';
import { results, type CaseContext, type CaseResult, type FaultCase } from './case.js';
import { ask, jsonLines, sleep, startServerProcess, type ServerProcess } from './server-process.js';

const QUESTIONS = [
  '2021年山西办理了多少件人大代表建议？',
  '免费提供法律咨询多少人次？',
  '公积金怎么提取？',
];

function mountTmpfs(dir: string, size: string): void {
  mkdirSync(dir, { recursive: true });
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir]);
}

function unmount(dir: string): void {
  try {
    execFileSync('umount', ['-l', dir]);
  } catch {
    // not mounted
  }
}

function fill(dir: string): string {
  const filler = path.join(dir, 'filler');
  const block = Buffer.alloc(4096, 1);
  try {
    for (;;) writeFileSync(filler, block, { flag: 'a' });
  } catch {
    return filler; // ENOSPC
  }
}

function rowCount(dataDir: string): number {
  const db = new Database(path.join(dataDir, 'wenzheng.sqlite'), { readonly: true });
  try {
    return (db.prepare('SELECT COUNT(*) AS n FROM questions').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

async function readyz(
  server: ServerProcess,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${server.url}/readyz`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function askMany(server: ServerProcess, n: number): Promise<number> {
  let answered = 0;
  for (let i = 0; i < n; i++)
    if ((await ask(server.url, QUESTIONS[i % QUESTIONS.length]!)).status === 200) answered++;
  return answered;
}

async function waitReady(server: ServerProcess, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if ((await readyz(server)).body['status'] === 'ready') return true;
    await sleep(250);
  }
  return false;
}

const env = (ctx: CaseContext, dataDir: string) => ({
  INDEX_DIR: ctx.indexDir,
  DATA_DIR: dataDir,
  RATE_LIMIT_PER_MINUTE: '0',
  SESSION_RATE_LIMIT_PER_MINUTE: '0',
});

export const fullDisk: FaultCase = {
  name: 'question log on a full disk',
  async run(ctx): Promise<CaseResult> {
    const r = results();
    if (!ctx.isRoot) return { ...r, skipped: 'needs root to mount a 1 MB tmpfs' };
    const dataDir = path.join(ctx.work, 'full');
    mountTmpfs(dataDir, '1m');
    let server: ServerProcess | null = null;
    try {
      server = await startServerProcess({ env: env(ctx, dataDir) });
      await askMany(server, 1);
      const filler = fill(dataDir);
      const n = 300;
      const answered = await askMany(server, n);
      r.check(`all ${n} questions answered on a full disk`, answered === n, `${answered}/${n}`);
      const degraded = await readyz(server);
      const store = degraded.body['store'] as Record<string, unknown>;
      r.check(
        '/readyz reports the store degraded, in Chinese',
        store['status'] === 'degraded' && String(store['message']).includes('磁盘已满'),
        String(store['message']),
      );
      r.figure('rows waiting in memory', String(store['pending']));
      const errors = jsonLines(server.lines).filter(
        (l) => l['component'] === 'log-store' && l['level'] === 50,
      );
      r.check('the failure is logged once', errors.length === 1, `${errors.length} error lines`);
      rmSync(filler);
      r.check('the store recovers once space is free', await waitReady(server, 20_000));
      await server.stop();
      r.check(
        'the server never exited',
        server.child.exitCode === 0,
        `exit ${server.child.exitCode}`,
      );
      const rows = rowCount(dataDir);
      r.check('nothing accepted was lost', rows === n + 1, `${rows} rows for ${n + 1} answers`);
      r.figure('rows written after recovery', String(rows));
    } finally {
      await server?.stop();
      unmount(dataDir);
    }
    return r;
  },
};

export const readOnly: FaultCase = {
  name: 'question log on a read-only filesystem',
  async run(ctx): Promise<CaseResult> {
    const r = results();
    if (!ctx.isRoot) return { ...r, skipped: 'needs root to mount and remount a tmpfs read-only' };
    const dataDir = path.join(ctx.work, 'ro');
    mountTmpfs(dataDir, '8m');
    let server: ServerProcess | null = null;
    try {
      const first = createLogStore({ dir: dataDir, batchMs: 0 });
      first.recordQuestion({
        messageId: 'before',
        at: Date.now(),
        sessionId: null,
        transport: 'http',
        question: '以前的问题',
        found: true,
        citedChunkIds: [],
        latencyMs: 1,
        mode: 'extractive',
      });
      await first.close();
      execFileSync('mount', ['-o', 'remount,ro', dataDir]);
      server = await startServerProcess({ env: env(ctx, dataDir) });
      const answered = await askMany(server, 20);
      r.check(
        'the server starts and answers on a read-only database',
        answered === 20,
        `${answered}/20`,
      );
      const store = (await readyz(server)).body['store'] as Record<string, unknown>;
      r.check(
        '/readyz names the problem',
        store['status'] === 'degraded' && /只读|无法打开/.test(String(store['message'])),
        String(store['message']),
      );
      execFileSync('mount', ['-o', 'remount,rw', dataDir]);
      r.check('the store recovers once writable', await waitReady(server, 20_000));
      await server.stop();
      const rows = rowCount(dataDir);
      r.check('nothing accepted was lost', rows === 21, `${rows} rows for 21 answers`);
    } finally {
      await server?.stop();
      unmount(dataDir);
    }
    return r;
  },
};

export const damagedDatabase: FaultCase = {
  name: 'question log: damaged database file',
  async run(ctx): Promise<CaseResult> {
    const r = results();
    const dataDir = path.join(ctx.work, 'damaged-db');
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(path.join(dataDir, 'wenzheng.sqlite'), Buffer.alloc(64 * 1024, 0x5a));
    const server = await startServerProcess({ env: env(ctx, dataDir) });
    try {
      const answered = await askMany(server, 30);
      r.check(
        'the server starts and answers over a damaged database',
        answered === 30,
        `${answered}/30`,
      );
      const ready = await readyz(server);
      const store = ready.body['store'] as Record<string, unknown>;
      r.check(
        '/readyz is 200 with the store degraded and the file named',
        ready.status === 200 &&
          String(store['message']).includes('wenzheng.sqlite') &&
          String(store['message']).includes('已损坏'),
        String(store['message']),
      );
      r.figure('pending / dropped', `${String(store['pending'])} / ${String(store['dropped'])}`);
      const errors = jsonLines(server.lines).filter(
        (l) => l['component'] === 'log-store' && l['level'] === 50,
      );
      r.check(
        'the failure is logged once, not per retry',
        errors.length === 1,
        `${errors.length} error lines`,
      );
      r.check(
        'no English uncaught exception',
        !server.lines.some((l) => l.includes('uncaught exception')),
      );
    } finally {
      await server.stop();
    }
    return r;
  },
};
