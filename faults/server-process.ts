/**
 * The real server as `npm start` runs it (`node dist/src/main.js`, compiled; `npm run
 * faults` builds first), in its own process on a free port, with its JSON log lines kept
 * for the checks. Also the measuring helpers the cases share: RSS from /proc, /healthz
 * latency.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { PROJECT_ROOT } from '../src/config.js';

const ENTRY = 'dist/src/main.js';

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

export interface ServerProcess {
  url: string;
  port: number;
  child: ChildProcess;
  /** Every line the server wrote (stdout and stderr). */
  lines: string[];
  /** Resolves with the exit code when the process ends. */
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

export interface StartOptions {
  env: Record<string, string>;
  /** Wait for /readyz 200 (else only for /healthz). @default true */
  ready?: boolean;
  /** @default 120000 */
  timeoutMs?: number;
}

/** Starts the server; rejects when it exits or does not come up in time. */
export async function startServerProcess(options: StartOptions): Promise<ServerProcess> {
  if (!existsSync(path.join(PROJECT_ROOT, ENTRY)))
    throw new Error(`${ENTRY} is missing: run npm run build first`);
  const port = await freePort();
  const child = spawn(process.execPath, [ENTRY], {
    cwd: PROJECT_ROOT,
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'info',
      NODE_ENV: 'test',
      // One serving process: the fault cases measure and kill the process they started.
      WORKERS: '1',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const collect = (data: Buffer) => lines.push(...data.toString().split('\n').filter(Boolean));
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  const url = `http://127.0.0.1:${port}`;
  const server: ServerProcess = {
    url,
    port,
    child,
    lines,
    exited,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  const route = options.ready === false ? '/healthz' : '/readyz';
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`server exited with ${child.exitCode}:\n${lines.slice(-5).join('\n')}`);
    try {
      if ((await fetch(url + route)).ok) return server;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await server.stop();
  throw new Error(`server not up within ${options.timeoutMs ?? 120_000} ms`);
}

/** Resident set size of a process in MB (Linux /proc), or NaN. */
export function rssMb(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? NaN) / 1024;
  } catch {
    return NaN;
  }
}

/** One GET /healthz: its latency in ms, or Infinity when it failed. */
export async function healthzMs(url: string, timeoutMs = 2000): Promise<number> {
  const started = performance.now();
  try {
    const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(timeoutMs) });
    await res.arrayBuffer();
    return res.ok ? performance.now() - started : Infinity;
  } catch {
    return Infinity;
  }
}

/** The JSON log lines of a server, parsed (non-JSON lines skipped). */
export function jsonLines(lines: string[]): Array<Record<string, unknown>> {
  return lines.flatMap((l) => {
    try {
      return [JSON.parse(l) as Record<string, unknown>];
    } catch {
      return [];
    }
  });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** POST /api/ask; the status and JSON body. */
export async function ask(
  url: string,
  question: string,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${url}/api/ask`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ question }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}
