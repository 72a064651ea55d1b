/**
 * WORKERS=2: the real entry point as the cluster primary with two serving processes on one
 * port, per-process state (no Redis), a worker that dies is replaced, and SIGTERM stops
 * everything with exit code 0.
 */
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KNOWN } from './helpers/real-engine.js';
import {
  ask,
  createDeployment,
  getJson,
  startReplica,
  type Deployment,
  type Replica,
} from './helpers/replica-process.js';

const TOKEN = 'workers-test-token';
let deployment: Deployment;
let server: Replica;

/** The pids of the workers that logged an answer, in order. */
const answeringPids = () =>
  server.lines.filter((l) => l['msg'] === 'answered').map((l) => Number(l['pid']));

describe('WORKERS=2 (node:cluster)', () => {
  beforeAll(async () => {
    deployment = createDeployment({
      REDIS_URL: '',
      WORKERS: '2',
      RATE_LIMIT_PER_MINUTE: '0',
      ADMIN_TOKEN: TOKEN,
    });
    server = await startReplica(deployment);
    // Both workers ready: the second may still be loading the index the first built.
    for (let i = 0; i < 100; i++) {
      if (server.lines.filter((l) => l['msg'] === 'ready: index loaded').length >= 2) break;
      await new Promise((r) => setTimeout(r, 100));
    }
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
    await deployment?.cleanup();
  });

  it('answers on one port from two processes other than the primary', async () => {
    for (let i = 0; i < 40; i++) {
      const { status, body } = await ask(server.url, KNOWN.legalAdvice.question, '203.0.113.9');
      expect(status).toBe(200);
      expect(String(body['answer'])).toContain(KNOWN.legalAdvice.figure);
    }
    await new Promise((r) => setTimeout(r, 300)); // the last log lines reach the pipe
    const pids = new Set(answeringPids());
    expect(pids.size).toBe(2);
    expect(pids.has(server.child.pid!)).toBe(false);
  }, 60_000);

  it('tells the other worker of a settings change made through one (no Redis: through the primary)', async () => {
    const greeting = async () =>
      String((await getJson(`${server.url}/api/widget-config`))['greeting']);
    // Both workers have read (and cached) the settings before the change.
    for (let i = 0; i < 10; i++) await greeting();
    const res = await fetch(`${server.url}/api/admin/settings`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ greeting: '您好，这里是青山市政务问答。' }),
    });
    expect(res.status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    const seen = new Set<string>();
    for (let i = 0; i < 20; i++) seen.add(await greeting());
    expect([...seen]).toEqual(['您好，这里是青山市政务问答。']);
    await new Promise((r) => setTimeout(r, 300));
    const servedBy = server.lines
      .filter((l) => String(l['path']).endsWith('/widget-config'))
      .slice(-20)
      .map((l) => l['pid']);
    expect(new Set(servedBy).size).toBe(2);
  }, 30_000);

  it('replaces a worker that dies, and stops with exit code 0 on SIGTERM', async () => {
    const victim = answeringPids()[0]!;
    process.kill(victim, 'SIGKILL');
    for (let i = 0; i < 300; i++) {
      if (
        server.lines.some((l) => String(l['msg']).startsWith(`worker ${victim} died`)) &&
        server.lines.filter((l) => l['msg'] === 'ready: index loaded').length >= 3
      )
        break;
      await new Promise((r) => setTimeout(r, 100));
    }
    for (let i = 0; i < 40; i++)
      expect((await ask(server.url, KNOWN.legalAdvice.question, '203.0.113.9')).status).toBe(200);
    await new Promise((r) => setTimeout(r, 300)); // the last log lines reach the pipe
    const fresh = answeringPids().slice(-40);
    expect(new Set(fresh).size).toBe(2);
    expect(fresh).not.toContain(victim);
    const exited = once(server.child, 'exit');
    server.child.kill('SIGTERM');
    const [code] = (await exited) as [number];
    expect(code).toBe(0);
  }, 90_000);
});
