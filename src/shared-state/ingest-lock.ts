/**
 * One ingest job at a time for the whole deployment. Two locks, always taken in this order:
 * the Redis lock (replicas on several machines; SET NX with an expiry, renewed while the
 * job runs, released only by its holder) when Redis is configured and reachable, then a
 * lock file in INDEX_DIR (the workers of one machine, and any replicas sharing the volume
 * while Redis is down). A holder that dies leaves a lock that expires: the Redis key after
 * `ttlMs`, the file when its heartbeat is older than `ttlMs` or its process is gone.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, open, rm, stat, utimes } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import type { RedisLink } from './redis-link.js';

export interface IngestLock {
  /** Runs `work` holding the lock, waiting for it first; `onWait` is called if it must wait. */
  run<T>(work: () => Promise<T>, onWait?: () => void): Promise<T>;
  /** Runs `work` only if the lock is free right now; undefined when it was not. */
  tryRun<T>(work: () => Promise<T>): Promise<T | undefined>;
}

export interface IngestLockOptions {
  indexDir: string;
  link: RedisLink | null;
  /** @default 30000 */
  ttlMs?: number;
  /** @default 500 */
  pollMs?: number;
}

const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

type Release = () => Promise<void>;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function processGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as { code?: string }).code === 'ESRCH';
  }
}

/** Builds the lock. */
export function createIngestLock(options: IngestLockOptions): IngestLock {
  const ttlMs = options.ttlMs ?? 30_000;
  const pollMs = options.pollMs ?? 500;
  const file = path.join(options.indexDir, '.ingest.lock');
  const { link } = options;

  async function tryFile(): Promise<Release | null> {
    await mkdir(options.indexDir, { recursive: true });
    try {
      const handle = await open(file, 'wx');
      await handle.writeFile(
        JSON.stringify({ pid: process.pid, host: hostname(), at: Date.now() }),
      );
      await handle.close();
    } catch (error) {
      if ((error as { code?: string }).code !== 'EEXIST') throw error;
      // Held: take it over only when its holder is gone.
      try {
        const { mtimeMs } = await stat(file);
        const holder = JSON.parse(readFileSync(file, 'utf8')) as { pid?: number; host?: string };
        const dead =
          Date.now() - mtimeMs > ttlMs ||
          (holder.host === hostname() && typeof holder.pid === 'number' && processGone(holder.pid));
        if (dead) await rm(file, { force: true });
      } catch {
        // removed or being written meanwhile: try again next time
      }
      return null;
    }
    const timer = setInterval(() => {
      const now = new Date();
      void utimes(file, now, now).catch(() => {});
    }, ttlMs / 3);
    timer.unref();
    return async () => {
      clearInterval(timer);
      await rm(file, { force: true });
    };
  }

  async function tryRedis(): Promise<Release | null | 'down'> {
    if (!link?.up) return 'down';
    const key = link.key('lock:ingest');
    const token = randomUUID();
    let reply: string | null;
    try {
      reply = await link.client.set(key, token, {
        condition: 'NX',
        expiration: { type: 'PX', value: ttlMs },
      });
    } catch {
      return 'down';
    }
    if (reply !== 'OK') return null;
    const timer = setInterval(() => {
      void link.client
        .eval(RENEW, { keys: [key], arguments: [token, String(ttlMs)] })
        .catch(() => {});
    }, ttlMs / 3);
    timer.unref();
    return async () => {
      clearInterval(timer);
      await link.client.eval(RELEASE, { keys: [key], arguments: [token] }).catch(() => {});
    };
  }

  /** Both locks, or null (nothing held) when either is taken. */
  async function tryBoth(): Promise<Release | null> {
    const redis = await tryRedis();
    if (redis === null) return null;
    const fileRelease = await tryFile().catch(async (error: unknown) => {
      if (typeof redis === 'function') await redis();
      throw error;
    });
    if (!fileRelease) {
      if (typeof redis === 'function') await redis();
      return null;
    }
    return async () => {
      await fileRelease();
      if (typeof redis === 'function') await redis();
    };
  }

  return {
    async run(work, onWait) {
      let release = await tryBoth();
      if (!release) onWait?.();
      while (!release) {
        await sleep(pollMs);
        release = await tryBoth();
      }
      try {
        return await work();
      } finally {
        await release();
      }
    },
    async tryRun(work) {
      const release = await tryBoth();
      if (!release) return undefined;
      try {
        return await work();
      } finally {
        await release();
      }
    },
  };
}
