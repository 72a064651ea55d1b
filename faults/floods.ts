/**
 * Floods against the real server process: a WebSocket ping flood from clients that never
 * read, and 20,000 half-sent POSTs from one host. While they run, the server's RSS and
 * the latency of /healthz (from another address) are sampled; afterwards a new client is
 * answered.
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { WebSocket } from 'ws';
import { PROJECT_ROOT } from '../src/config.js';
import { results, type CaseResult, type FaultCase } from './case.js';
import {
  ask,
  healthzMs,
  rssMb,
  sleep,
  startServerProcess,
  type ServerProcess,
} from './server-process.js';

/** Runs the flooder child; resolves with its JSON report. */
function flooder(args: string[]): Promise<Record<string, unknown>> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(PROJECT_ROOT, 'faults', 'flooder.ts'), ...args],
    {
      cwd: PROJECT_ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => {
      const line = out.trim().split('\n').at(-1) ?? '';
      try {
        resolve(JSON.parse(line) as Record<string, unknown>);
      } catch {
        reject(new Error(`flooder exited with ${code}: ${out.slice(0, 300)}`));
      }
    });
  });
}

interface Samples {
  rss: number[];
  healthz: number[];
  fds: number[];
}

/** Samples RSS, open file descriptors and /healthz latency every `everyMs` until stopped. */
function sample(
  server: ServerProcess,
  everyMs = 100,
): { stop(): Promise<Samples>; stopAfter(ms: number): Promise<Samples> } {
  const samples: Samples = { rss: [], healthz: [], fds: [] };
  let running = true;
  const pid = server.child.pid!;
  const loop = (async () => {
    while (running) {
      samples.rss.push(rssMb(pid));
      try {
        samples.fds.push(readdirSync(`/proc/${pid}/fd`).length);
      } catch {
        // process gone
      }
      samples.healthz.push(await healthzMs(server.url));
      await sleep(everyMs);
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return samples;
    },
    async stopAfter(ms) {
      await sleep(ms);
      return this.stop();
    },
  };
}

const latency = (xs: number[]) =>
  `p50 ${pct(xs, 50).toFixed(1)} ms, p95 ${pct(xs, 95).toFixed(1)} ms, max ${max(xs).toFixed(1)} ms (${xs.length} samples)`;

const max = (xs: number[]) => xs.reduce((m, x) => Math.max(m, x), 0);
const pct = (xs: number[], p: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
};

async function answeredOverWs(wsUrl: string): Promise<boolean> {
  const ws = new WebSocket(wsUrl);
  ws.on('error', () => {});
  try {
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    ws.send(
      JSON.stringify({
        type: 'ask',
        id: 'after',
        question: '2021年山西办理了多少件人大代表建议？',
      }),
    );
    return await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 5000);
      ws.on('message', (data) => {
        const frame = JSON.parse(data.toString()) as { type: string; answer?: { answer: string } };
        if (frame.type === 'answer.done') {
          clearTimeout(timer);
          resolve(frame.answer!.answer.includes('811'));
        }
      });
    });
  } catch {
    return false;
  } finally {
    ws.terminate();
  }
}

export const pingFlood: FaultCase = {
  name: 'WebSocket ping flood from clients that never read',
  async run(ctx): Promise<CaseResult> {
    const r = results();
    const server = await startServerProcess({
      env: { INDEX_DIR: ctx.indexDir, DATA_DIR: path.join(ctx.work, 'flood-data') },
    });
    try {
      const idle = rssMb(server.child.pid!);
      // The same measurement without a flood first: these machines are shared, and a busy
      // machine slows /healthz with or without an attacker.
      const quiet = await sample(server).stopAfter(3000);
      const sampler = sample(server);
      const report = await flooder(['ping', `ws://127.0.0.1:${server.port}/ws`, '4', '20']);
      const s = await sampler.stop();
      r.figure(
        'flood',
        `4 reconnecting sockets × 20 s, ${String(report['sent'])} frames sent, ${String(report['closedByServer'])} sockets dropped by the server, ${String(report['refused'])} upgrades refused`,
      );
      r.figure('server RSS idle → peak', `${idle.toFixed(0)} → ${max(s.rss).toFixed(0)} MB`);
      r.figure('/healthz without a flood (baseline)', latency(quiet.healthz));
      r.figure('/healthz during the flood', latency(s.healthz));
      r.figure(
        'machine load average',
        loadavg()
          .map((l) => l.toFixed(1))
          .join(' '),
      );
      r.check('server RSS stays below 400 MB', max(s.rss) < 400, `${max(s.rss).toFixed(0)} MB`);
      r.check('/healthz answers within 100 ms (p95)', pct(s.healthz, 95) < 100, latency(s.healthz));
      r.check(
        'a new client is answered after the flood',
        await answeredOverWs(`ws://127.0.0.1:${server.port}/ws`),
      );
      r.check('the server never exited', server.child.exitCode === null);
    } finally {
      await server.stop();
    }
    return r;
  },
};

export const connectionFlood: FaultCase = {
  name: '20,000 half-sent POSTs from one host',
  async run(ctx): Promise<CaseResult> {
    const r = results();
    const server = await startServerProcess({
      env: { INDEX_DIR: ctx.indexDir, DATA_DIR: path.join(ctx.work, 'hold-data') },
    });
    try {
      const sampler = sample(server);
      // The attacker comes from 127.0.0.2; the health checks and the question from 127.0.0.1.
      const report = await flooder([
        'hold',
        '127.0.0.1',
        String(server.port),
        '20000',
        '127.0.0.2',
      ]);
      const s = await sampler.stop();
      r.figure(
        'connections',
        `${String(report['connected'])} connected, ${String(report['refused'])} refused with 429, all closed after ${String(report['allClosedAfterMs'])} ms`,
      );
      r.figure('server open file descriptors, peak', String(max(s.fds)));
      r.figure('/healthz during the flood', latency(s.healthz));
      r.figure(
        'machine load average',
        loadavg()
          .map((l) => l.toFixed(1))
          .join(' '),
      );
      r.check('/healthz answers within 100 ms (p95)', pct(s.healthz, 95) < 100, latency(s.healthz));
      r.check(
        'the server holds at most HTTP_MAX_CONNECTIONS_PER_IP of them',
        max(s.fds) < 400,
        `${max(s.fds)} fds`,
      );
      r.check('the held ones are closed by the body timeout', report['allClosedAfterMs'] !== null);
      r.check(
        'a question is still answered',
        (await ask(server.url, '2021年山西办理了多少件人大代表建议？')).status === 200,
      );
    } finally {
      await server.stop();
    }
    return r;
  },
};
