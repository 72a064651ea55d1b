/**
 * The server section of `npm run bench`: the real entry point, compiled and started as
 * `npm start` does (dist/src/main.js), in a child process with the limits turned off,
 * measured from outside.
 *
 * - HTTP: autocannon against POST /api/ask and, in the same run on the same server, against
 *   GET /healthz (a trivial JSON route) as the baseline, with WORKERS=1 and WORKERS=2 (the
 *   cluster: two serving processes on one port), the answer cache off and on. Goals:
 *   engine every time ≥ 25 % of the trivial route, ≥ 50 % with the default cache.
 * - WebSocket: 1,000 concurrent clients each asking 5 questions, one at a time. Goals: all
 *   answered; p95 latency reported; the server's peak RSS ≤ 300 MB (read from
 *   /proc/<pid>/status, so it is the server alone, not the clients).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer, type AddressInfo } from 'node:net';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import { WebSocket } from 'ws';
import { PROJECT_ROOT } from '../src/config.js';

export interface ServerBenchOptions {
  /** Seconds per autocannon run. @default 10 */
  httpSeconds?: number;
  /** Concurrent HTTP connections. @default 50 */
  httpConnections?: number;
  /** @default 1000 */
  wsClients?: number;
  /** @default 5 */
  questionsPerClient?: number;
  /** Progress lines. @default console.error */
  log?: (line: string) => void;
}

/** Questions about the seed report (four answered, one not), asked in turn. */
const QUESTIONS = [
  '2021年山西办理了多少件人大代表建议？',
  '免费提供法律咨询多少人次？',
  '法律援助案件有多少件？',
  '修改和废止省政府规章多少件？',
  '公积金怎么提取？',
];

// autocannon ships no types; this is the part of its API used here.
interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; average: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}
interface AutocannonRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
  setupRequest?: (req: AutocannonRequest) => AutocannonRequest;
}
type Autocannon = (options: {
  url: string;
  connections: number;
  duration: number;
  requests?: AutocannonRequest[];
}) => Promise<AutocannonResult>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** Resident set size now and at its peak, in MB, from /proc (Linux). */
function memory(pid: number): { rss: number; peak: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) =>
      Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
  } catch {
    return null;
  }
}

/** The compiled entry point `npm start` runs. */
const SERVER_ENTRY = 'dist/src/main.js';

/** Samples a process's RSS every 50 ms until stopped; stop() returns the largest, in MB. */
function sampleRss(pid: number): { stop(): number } {
  let peak = 0;
  const timer = setInterval(() => {
    peak = Math.max(peak, memory(pid)?.rss ?? 0);
  }, 50);
  return {
    stop() {
      clearInterval(timer);
      return peak;
    },
  };
}

async function startServer(
  port: number,
  dataDir: string,
  env: Record<string, string>,
): Promise<ChildProcess> {
  // As `npm start` runs it (the compiled entry point; `npm run bench` builds first), with
  // node itself as the child so that its pid is the server's.
  if (!existsSync(path.join(PROJECT_ROOT, SERVER_ENTRY)))
    throw new Error(`${SERVER_ENTRY} is missing: run \`npm run build\` first`);
  const child = spawn(process.execPath, ['--enable-source-maps', SERVER_ENTRY], {
    cwd: PROJECT_ROOT,
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: String(port),
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      RATE_LIMIT_PER_MINUTE: '0',
      SESSION_RATE_LIMIT_PER_MINUTE: '0',
      WS_MAX_PER_IP: '0',
      ALLOWED_ORIGINS: '',
      HTTP_MAX_CONNECTIONS_PER_IP: '0',
      WORKERS: '1',
      ...env,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/readyz`)).ok) return child;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill('SIGKILL');
  throw new Error('server not ready within 180 s');
}

const percentile = (sorted: number[], p: number) =>
  sorted.length === 0
    ? NaN
    : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

interface WsFigures {
  clients: number;
  connected: number;
  asked: number;
  answered: number;
  errors: number;
  p50: number;
  p95: number;
  p99: number;
  seconds: number;
  connectSeconds: number;
}

async function wsRun(port: number, clients: number, perClient: number): Promise<WsFigures> {
  const url = `ws://127.0.0.1:${port}/ws`;
  const sockets: WebSocket[] = [];
  const connectStart = performance.now();
  // Open in batches of 100 so the listen backlog is never the bottleneck being measured.
  for (let i = 0; i < clients; i += 100) {
    const batch = Array.from({ length: Math.min(100, clients - i) }, () => {
      const ws = new WebSocket(url);
      sockets.push(ws);
      return new Promise<boolean>((resolve) => {
        ws.once('open', () => resolve(true));
        ws.once('error', () => resolve(false));
      });
    });
    await Promise.all(batch);
  }
  const connectSeconds = (performance.now() - connectStart) / 1000;
  const open = sockets.filter((ws) => ws.readyState === WebSocket.OPEN);
  const latencies: number[] = [];
  let errors = 0;
  let asked = 0;
  const start = performance.now();
  await Promise.all(
    open.map(async (ws, c) => {
      for (let q = 0; q < perClient; q++) {
        const id = `${c}-${q}`;
        const sent = performance.now();
        asked++;
        const outcome = await new Promise<'done' | 'error'>((resolve) => {
          const onMessage = (data: Buffer) => {
            const frame = JSON.parse(data.toString()) as { type: string; id?: string };
            if (frame.id !== id || (frame.type !== 'answer.done' && frame.type !== 'error')) return;
            ws.off('message', onMessage);
            resolve(frame.type === 'answer.done' ? 'done' : 'error');
          };
          ws.on('message', onMessage);
          ws.once('close', () => resolve('error'));
          ws.send(
            JSON.stringify({ type: 'ask', id, question: QUESTIONS[(c + q) % QUESTIONS.length] }),
          );
        });
        if (outcome === 'done') latencies.push(performance.now() - sent);
        else errors++;
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  await Promise.all(
    sockets.map(async (ws) => {
      if (ws.readyState === WebSocket.CLOSED) return;
      const closed = once(ws, 'close');
      ws.close();
      await Promise.race([closed, new Promise((r) => setTimeout(r, 2000))]);
      ws.terminate();
    }),
  );
  latencies.sort((a, b) => a - b);
  return {
    clients,
    connected: open.length,
    asked,
    answered: latencies.length,
    errors,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    seconds,
    connectSeconds,
  };
}

interface HttpFigures {
  trivial: AutocannonResult;
  ask: AutocannonResult;
}

/** GET /healthz then POST /api/ask on the same server, same settings. */
async function httpRun(
  port: number,
  connections: number,
  seconds: number,
  log: (line: string) => void,
): Promise<HttpFigures> {
  const base = `http://127.0.0.1:${port}`;
  log(`server bench: autocannon GET /healthz, ${connections} connections, ${seconds} s`);
  const trivial = await autocannon({ url: `${base}/healthz`, connections, duration: seconds });
  log(`server bench: autocannon POST /api/ask, ${connections} connections, ${seconds} s`);
  let n = 0;
  const ask = await autocannon({
    url: base,
    connections,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        path: '/api/ask',
        headers: { 'content-type': 'application/json' },
        setupRequest: (req) => ({
          ...req,
          body: JSON.stringify({ question: QUESTIONS[n++ % QUESTIONS.length] }),
        }),
      },
    ],
  });
  return { trivial, ask };
}

/** Starts the server with `env`, runs `work` with its port and pid, and stops it. */
async function withServer<T>(
  env: Record<string, string>,
  log: (line: string) => void,
  work: (port: number, pid: number) => Promise<T>,
): Promise<T> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'wenzheng-bench-'));
  const port = await freePort();
  log(
    `server bench: starting ${SERVER_ENTRY} on port ${port} (${
      Object.entries(env)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ') || 'defaults'
    })`,
  );
  const child = await startServer(port, dataDir, env);
  try {
    return await work(port, child.pid!);
  } finally {
    child.kill('SIGTERM');
    await Promise.race([once(child, 'exit'), new Promise((r) => setTimeout(r, 15_000))]);
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');

const row = (server: string, label: string, r: AutocannonResult) =>
  `| ${server} | ${label} | ${fmt(r.requests.average, 0)} | ${r.latency.p50} | ${r.latency.p99} | ${r.non2xx} / ${r.errors} |`;

/**
 * V8 grows the heap freely under a burst of answers; a cap makes it collect sooner. 128 MB
 * of old space holds the seed index many times over; a large corpus needs a larger budget.
 */
const HEAP_BUDGET = '--max-old-space-size=128 --max-semi-space-size=2';

/** Runs the server benchmarks and returns a markdown section with the figures. */
export async function runServerBench(options: ServerBenchOptions = {}): Promise<string> {
  const log = options.log ?? ((line: string) => console.error(line));
  const httpSeconds = options.httpSeconds ?? 10;
  const connections = options.httpConnections ?? 50;
  const clients = options.wsClients ?? 1000;
  const perClient = options.questionsPerClient ?? 5;
  // Every question computed by the engine: the cache is off for the main figures.
  const uncached = await withServer({ ANSWER_CACHE_SIZE: '0' }, log, async (port, pid) => {
    const idle = memory(pid);
    log(`server bench: ${clients} WebSocket clients × ${perClient} questions`);
    // The WebSocket run comes first, so the process's high-water mark is its peak.
    const wsSampler = sampleRss(pid);
    const ws = await wsRun(port, clients, perClient);
    const peakWs = Math.max(wsSampler.stop(), memory(pid)?.peak ?? 0);
    const httpSampler = sampleRss(pid);
    const http = await httpRun(port, connections, httpSeconds, log);
    return { idle, ws, peakWs, http, peakHttp: httpSampler.stop(), end: memory(pid) };
  });
  // The default: repeated questions served from the answer cache.
  const cached = await withServer({}, log, (port) => httpRun(port, connections, httpSeconds, log));
  // Every core: two serving processes sharing the port (the cluster primary forks them).
  const twoUncached = await withServer({ WORKERS: '2', ANSWER_CACHE_SIZE: '0' }, log, (port) =>
    httpRun(port, connections, httpSeconds, log),
  );
  const twoCached = await withServer({ WORKERS: '2' }, log, (port) =>
    httpRun(port, connections, httpSeconds, log),
  );
  // The same WebSocket load with a heap budget (a deployment setting, see the README).
  const budgeted = await withServer(
    { ANSWER_CACHE_SIZE: '0', NODE_OPTIONS: HEAP_BUDGET },
    log,
    async (port, pid) => {
      log(
        `server bench: ${clients} WebSocket clients × ${perClient} questions, NODE_OPTIONS="${HEAP_BUDGET}"`,
      );
      const sampler = sampleRss(pid);
      const run = await wsRun(port, clients, perClient);
      return { ws: run, peak: Math.max(sampler.stop(), memory(pid)?.peak ?? 0) };
    },
  );

  const { ws, idle, peakWs, http, peakHttp, end } = uncached;
  const share = (f: HttpFigures) => f.ask.requests.average / f.trivial.requests.average;
  const ratio = share(http);
  const cachedRatio = share(cached);
  const load = os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ');
  const allAnswered = ws.answered === clients * perClient;
  const verdict = (ok: boolean) => (ok ? 'met' : 'not met');
  return [
    `The real server as \`npm start\` runs it (\`node dist/src/main.js\`, compiled; default offline index, rate and connection limits off) in its own process; the clients run in the bench process on the same machine (${os.cpus().length} CPUs). ${new Date().toISOString().slice(0, 10)}, Node ${process.version}. Questions: ${QUESTIONS.length} about the seed report (one it does not answer), asked in turn.`,
    '',
    `**HTTP** (autocannon, ${connections} connections, ${httpSeconds} s per route; each pair on the same server in the same run; load average at the end ${load} on ${os.cpus().length} CPUs shared with other work)`,
    '',
    '| Server | Route | Requests/s | p50 ms | p99 ms | Non-2xx / errors |',
    '| --- | --- | ---: | ---: | ---: | ---: |',
    row('`WORKERS=1`, cache off', '`GET /healthz` (trivial JSON, baseline)', http.trivial),
    row('`WORKERS=1`, cache off', '`POST /api/ask` (engine every time)', http.ask),
    row('`WORKERS=1`, cache on', '`GET /healthz`', cached.trivial),
    row(
      '`WORKERS=1`, cache on',
      '`POST /api/ask` (default cache; repeats from memory)',
      cached.ask,
    ),
    row('`WORKERS=2`, cache off', '`GET /healthz`', twoUncached.trivial),
    row('`WORKERS=2`, cache off', '`POST /api/ask` (engine every time)', twoUncached.ask),
    row('`WORKERS=2`, cache on', '`GET /healthz`', twoCached.trivial),
    row('`WORKERS=2`, cache on', '`POST /api/ask` (default cache)', twoCached.ask),
    '',
    `With \`WORKERS=1\`, \`/api/ask\` reaches **${fmt(ratio * 100, 0)} %** of the trivial route's throughput with the engine answering every request (goal ≥ 25 %: ${verdict(ratio >= 0.25)}), and **${fmt(cachedRatio * 100, 0)} %** with the default answer cache and repeated questions (goal ≥ 50 %: ${verdict(cachedRatio >= 0.5)}). ` +
      `With \`WORKERS=2\`: **${fmt(share(twoUncached) * 100, 0)} %** and **${fmt(share(twoCached) * 100, 0)} %**; engine-every-time throughput ${fmt(twoUncached.ask.requests.average, 0)} vs ${fmt(http.ask.requests.average, 0)} requests/s (×${fmt(twoUncached.ask.requests.average / http.ask.requests.average, 2)}; the load generator runs on the same ${os.cpus().length} CPUs).`,
    '',
    `**WebSocket** (${clients} concurrent clients × ${perClient} questions, one in flight per socket, answer cache off)`,
    '',
    '| Figure | Value |',
    '| --- | ---: |',
    `| Connected | ${ws.connected} / ${clients} (in ${fmt(ws.connectSeconds, 2)} s) |`,
    `| Answered | ${ws.answered} / ${clients * perClient}${ws.errors ? ` (${ws.errors} errors)` : ''} |`,
    `| Latency p50 / p95 / p99 | ${fmt(ws.p50)} / **${fmt(ws.p95)}** / ${fmt(ws.p99)} ms |`,
    `| Throughput | ${fmt(ws.answered / ws.seconds, 0)} answers/s (${fmt(ws.seconds, 2)} s) |`,
    `| Server RSS idle → peak | ${fmt(idle?.rss ?? NaN, 0)} → **${fmt(peakWs, 0)} MB** |`,
    '',
    `All answered: ${allAnswered ? 'yes' : 'no'}. Peak RSS goal ≤ 300 MB: ${peakWs > 0 ? verdict(peakWs <= 300) : 'not measured (no /proc)'} with Node's default heap sizing. ` +
      `During the HTTP runs that follow on the same server (engine every time, 50 connections) RSS peaks at ${fmt(peakHttp, 0)} MB, and is ${fmt(end?.rss ?? NaN, 0)} MB after them: Node lets garbage build up under sustained load before collecting it.`,
    '',
    `With a heap budget, \`NODE_OPTIONS="${HEAP_BUDGET}"\` (same load, same run): ` +
      `${budgeted.ws.answered} / ${clients * perClient} answered, p95 **${fmt(budgeted.ws.p95)} ms**, server peak RSS **${fmt(budgeted.peak, 0)} MB** ` +
      `(goal ≤ 300 MB: ${budgeted.peak > 0 ? verdict(budgeted.peak <= 300 && budgeted.ws.answered === clients * perClient) : 'not measured'}).`,
    '',
    'Rerun: `npm run bench` (this section: `runServerBench()` in `bench/server.ts`).',
    '',
  ].join('\n');
}
