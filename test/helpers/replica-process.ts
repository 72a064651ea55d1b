/**
 * Replicas as a deployment runs them: the real entry point (src/main.ts through tsx, so no
 * build is needed) in child processes sharing CORPUS_DIR, INDEX_DIR and DATA_DIR, each on
 * its own port (or one port with WORKERS > 1), and the machine's Redis under a key prefix
 * random per run (removed afterwards).
 */
import { request as httpRequest } from 'node:http';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createClient } from 'redis';
import { PROJECT_ROOT } from '../../src/config.js';
import { SEED } from './corpus.js';

export const REDIS_URL = 'redis://127.0.0.1:6379';

/** Whether the machine's Redis answers (the tests needing it skip otherwise). */
export async function redisAvailable(): Promise<boolean> {
  const client = createClient({
    url: REDIS_URL,
    socket: { connectTimeout: 1000, reconnectStrategy: false },
  });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.ping();
    return true;
  } catch {
    return false;
  } finally {
    await client.close().catch(() => {});
  }
}

/** Deletes every key under `prefix`. */
export async function removeRedisKeys(prefix: string): Promise<void> {
  const client = createClient({ url: REDIS_URL, socket: { reconnectStrategy: false } });
  client.on('error', () => {});
  try {
    await client.connect();
    for await (const keys of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 }))
      if (keys.length > 0) await client.del(keys);
  } finally {
    await client.close().catch(() => {});
  }
}

export interface Deployment {
  dirs: { corpusDir: string; indexDir: string; dataDir: string };
  prefix: string;
  /** The environment every replica gets. */
  env: Record<string, string>;
  cleanup(): Promise<void>;
}

/** Shared folders (the seed report in the corpus) and a fresh Redis prefix. */
export function createDeployment(env: Record<string, string> = {}): Deployment {
  const root = mkdtempSync(path.join(tmpdir(), 'wz-replicas-'));
  const dirs = {
    corpusDir: path.join(root, 'corpus'),
    indexDir: path.join(root, 'index'),
    dataDir: path.join(root, 'data'),
  };
  mkdirSync(dirs.corpusDir);
  copyFileSync(SEED, path.join(dirs.corpusDir, path.basename(SEED)));
  const prefix = `wz-test-${randomBytes(6).toString('hex')}:`;
  return {
    dirs,
    prefix,
    env: {
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'info',
      WORKERS: '1',
      CORPUS_DIR: dirs.corpusDir,
      INDEX_DIR: dirs.indexDir,
      DATA_DIR: dirs.dataDir,
      REDIS_URL,
      REDIS_PREFIX: prefix,
      INDEX_POLL_MS: '1000',
      ...env,
    },
    async cleanup() {
      await removeRedisKeys(prefix).catch(() => {});
      rmSync(root, { recursive: true, force: true });
    },
  };
}

export interface Replica {
  url: string;
  child: ChildProcess;
  /** Every JSON log line so far. */
  lines: Array<Record<string, unknown>>;
  stop(): Promise<void>;
}

/** Starts one replica and waits until /readyz says it answers. */
export async function startReplica(
  deployment: Deployment,
  env: Record<string, string> = {},
): Promise<Replica> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, ...deployment.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Array<Record<string, unknown>> = [];
  let rest = '';
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (data: Buffer) => {
      rest += data.toString();
      const parts = rest.split('\n');
      rest = parts.pop() ?? '';
      for (const part of parts) {
        try {
          const line = JSON.parse(part) as Record<string, unknown>;
          lines.push(line);
          const m = /listening on (http:\/\/[\d.]+:\d+)/.exec(String(line['msg']));
          if (m) resolve(m[1]!);
        } catch {
          // not a log line
        }
      }
    });
    child.once('exit', (code) => reject(new Error(`replica exited with ${code}: ${stderr}`)));
  });
  for (let i = 0; i < 600; i++) {
    const res = await fetch(`${url}/readyz`).catch(() => null);
    if (res?.ok) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    child,
    lines,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** POST /api/ask from the client address `ip` (X-Forwarded-For; the replicas trust loopback). */
/**
 * Asks over a connection of its own (no keep-alive), as separate clients would: node:cluster
 * hands out connections, not requests, so a reused connection always reaches one worker.
 */
export function ask(
  url: string,
  question: string,
  ip: string,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const payload = JSON.stringify({ question });
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      `${url}/api/ask`,
      {
        method: 'POST',
        agent: false,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
          'x-forwarded-for': ip,
          connection: 'close',
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => {
          try {
            resolve({
              status: res.statusCode ?? 0,
              body: JSON.parse(text) as Record<string, unknown>,
            });
          } catch (error) {
            reject(error as Error);
          }
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** GET over a connection of its own (see ask): the JSON body. */
export function getJson(url: string): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { agent: false, headers: { connection: 'close' } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => {
        try {
          resolve(JSON.parse(text) as Record<string, unknown>);
        } catch (error) {
          reject(error as Error);
        }
      });
    });
    req.on('error', reject);
    req.end();
  });
}
