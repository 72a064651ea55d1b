/**
 * The question log on a bad day, on real SQLite files: a full filesystem (a 1 MB tmpfs,
 * as root), a read-only filesystem or folder, a damaged database file. The store never
 * throws, the server keeps answering, nothing accepted is lost once the disk recovers,
 * and /readyz tells the operator what is wrong.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { createLogStore, type QuestionRecord, type StoreLogger } from '../src/server/log-store.js';
import { createFakeEngine } from './helpers/fake-engine.js';
import { removeDataDirs, serversClosedAfterEach } from './helpers/server.js';

const isRoot = process.getuid?.() === 0;
const serve = serversClosedAfterEach();
const dirs: string[] = [];
const mounts: string[] = [];

function tmp(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'wenzheng-logfault-'));
  dirs.push(dir);
  return dir;
}

/** A small tmpfs (root only). */
function mountTmpfs(sizeKb: number): string {
  const dir = tmp();
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeKb}k`, 'tmpfs', dir]);
  mounts.push(dir);
  return dir;
}

function remount(dir: string, mode: 'ro' | 'rw'): void {
  execFileSync('mount', ['-o', `remount,${mode}`, dir]);
}

afterEach(() => {
  for (const dir of mounts.splice(0)) execFileSync('umount', ['-l', dir]);
  for (const dir of dirs.splice(0)) {
    chmodSync(dir, 0o755);
    rmSync(dir, { recursive: true, force: true });
  }
});
afterAll(() => removeDataDirs());

let n = 0;
function record(over: Partial<QuestionRecord> = {}): QuestionRecord {
  n += 1;
  return {
    messageId: `m${n}`,
    at: Date.UTC(2024, 0, 1, 0, 0, n % 60),
    sessionId: 's1',
    transport: 'http',
    question: `2021年行政复议案件有多少件？第${n}问`.padEnd(150, '问'),
    found: n % 2 === 0,
    citedChunkIds: ['c1', 'c2'],
    latencyMs: 12,
    mode: 'extractive',
    ...over,
  };
}

function recordingLogger(): StoreLogger & { errors: string[]; infos: string[] } {
  const errors: string[] = [];
  const infos: string[] = [];
  return {
    errors,
    infos,
    error: (_o, msg) => void errors.push(msg),
    info: (_o, msg) => void infos.push(msg),
  };
}

/** Fills the filesystem at `dir` until writes fail with ENOSPC. */
function fill(dir: string): string {
  const filler = path.join(dir, 'filler');
  const block = Buffer.alloc(4096, 1);
  let size = 0;
  try {
    for (;;) {
      writeFileSync(filler, block, { flag: 'a' });
      size += block.length;
    }
  } catch {
    // ENOSPC: full
  }
  expect(size).toBeGreaterThan(0);
  return filler;
}

describe('log-store faults', () => {
  it.skipIf(!isRoot)(
    'keeps every accepted row through a full disk and writes them when space returns',
    async () => {
      const dir = mountTmpfs(1024);
      const logger = recordingLogger();
      const store = createLogStore({ dir, batchMs: 0, retryMs: 5, retryMaxMs: 20, logger });
      store.recordQuestion(record({ messageId: 'before' }));
      expect(store.status().status).toBe('ok');
      const filler = fill(dir);
      const ids: string[] = [];
      for (let i = 0; i < 3000 && store.status().status === 'ok'; i++) {
        const r = record();
        ids.push(r.messageId);
        store.recordQuestion(r);
        await new Promise(setImmediate); // the write of this row is attempted
      }
      for (let i = 0; i < 20; i++) {
        const r = record();
        ids.push(r.messageId);
        expect(() => store.recordQuestion(r)).not.toThrow();
      }
      const degraded = store.status();
      expect(degraded.status).toBe('degraded');
      expect(degraded.message).toContain('磁盘已满');
      expect(degraded.pending).toBeGreaterThan(0);
      expect(degraded.dropped).toBe(0);
      // Logged once for the episode, however many retries failed.
      expect(logger.errors).toHaveLength(1);

      rmSync(filler);
      await vi.waitFor(() => expect(store.status()).toMatchObject({ status: 'ok', pending: 0 }), {
        timeout: 5000,
      });
      expect(logger.infos).toContain('question log writable again');
      for (const id of ['before', ...ids]) expect(await store.get(id), id).not.toBeNull();
      await store.close();
    },
  );

  it('counts what it drops once the buffer of a failing store is full', async () => {
    const dir = tmp();
    writeFileSync(path.join(dir, 'wenzheng.sqlite'), 'this is not a database, '.repeat(400));
    const store = createLogStore({ dir, maxPending: 5, batchMs: 0 });
    for (let i = 0; i < 8; i++) store.recordQuestion(record());
    await vi.waitFor(() =>
      expect(store.status()).toMatchObject({ status: 'degraded', pending: 5, dropped: 3 }),
    );
    expect(store.status().message).toContain('已丢弃 3 条');
    await store.close();
  });

  it('keeps a rating of an answer still waiting to be written, and refuses one it cannot keep', async () => {
    const dir = tmp();
    const file = path.join(dir, 'wenzheng.sqlite');
    writeFileSync(file, 'damaged '.repeat(1000));
    const store = createLogStore({ dir, batchMs: 0, retryMs: 5, retryMaxMs: 20 });
    store.recordQuestion(record({ messageId: 'waiting' }));
    expect(await store.recordFeedback('waiting', 'down', '请打13812345678')).toBe(true);
    await expect(store.recordFeedback('never-seen', 'up')).rejects.toThrow(
      expect.objectContaining({ code: 'STORE_UNAVAILABLE' }),
    );
    await expect(store.gaps()).rejects.toThrow(
      expect.objectContaining({ code: 'STORE_UNAVAILABLE' }),
    );
    // The operator moves the damaged file away; the next retry creates a new database.
    rmSync(file);
    await vi.waitFor(() => expect(store.status().status).toBe('ok'), { timeout: 5000 });
    expect(await store.get('waiting')).toMatchObject({ rating: 'down', comment: '请打[电话]' });
    await store.close();
  });

  it('answers questions over a damaged database, and /readyz names the file and what to do', async () => {
    const dataDir = tmp();
    writeFileSync(path.join(dataDir, 'wenzheng.sqlite'), Buffer.alloc(8192, 0x5a));
    const server = await serve({ engine: createFakeEngine(), dataDir });
    const res = await fetch(`${server.url}/api/ask`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ question: '行政复议案件有多少件' }),
    });
    expect(res.status).toBe(200);
    expect((await res.json()).found).toBe(true);
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(200);
    const body = await ready.json();
    expect(body.status).toBe('degraded');
    expect(body.store).toMatchObject({ status: 'degraded', pending: 1 });
    expect(body.store.message).toContain('wenzheng.sqlite');
    expect(body.store.message).toContain('已损坏');
  });

  it('answers over a read-only database folder and writes everything once it is writable again', async () => {
    let dir: string;
    if (isRoot) {
      // Root ignores file modes: a read-only mount is what stops it.
      dir = mountTmpfs(4096);
      const first = createLogStore({ dir, batchMs: 0 });
      first.recordQuestion(record({ messageId: 'old' }));
      await first.close();
      remount(dir, 'ro');
    } else {
      dir = path.join(tmp(), 'data');
      mkdirSync(dir);
      chmodSync(dir, 0o555);
    }
    const server = await serve({ engine: createFakeEngine(), dataDir: dir, env: {} });
    const ids: string[] = [];
    for (const question of ['行政复议案件有多少件', '法律服务站点有多少个', '地铁几点停运']) {
      const res = await fetch(`${server.url}/api/ask`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ question }),
      });
      expect(res.status).toBe(200);
      ids.push((await res.json()).messageId as string);
    }
    const body = await (await fetch(`${server.url}/readyz`)).json();
    expect(body.store.status).toBe('degraded');
    expect(body.store.pending).toBe(3);
    if (isRoot) remount(dir, 'rw');
    else chmodSync(dir, 0o755);
    // The server's store retries after 1 s, then 2 s.
    await vi.waitFor(
      async () => expect((await (await fetch(`${server.url}/readyz`)).json()).status).toBe('ready'),
      { timeout: 8000, interval: 200 },
    );
    await server.close();
    const store = createLogStore({ dir });
    for (const id of ids) expect(await store.get(id), id).not.toBeNull();
    if (isRoot) expect(await store.get('old')).not.toBeNull();
    await store.close();
  });
});
