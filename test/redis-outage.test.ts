/**
 * Redis going away under a running replica: the service keeps answering with per-process
 * limits, /readyz says degraded with the operator's message in Chinese, and once Redis is
 * back the replica reconnects by itself. Redis is reached through a TCP relay in this test
 * that is cut and restored (the machine's Redis itself is never stopped).
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KNOWN } from './helpers/real-engine.js';
import {
  ask,
  createDeployment,
  redisAvailable,
  startReplica,
  type Deployment,
  type Replica,
} from './helpers/replica-process.js';

const hasRedis = await redisAvailable();
if (!hasRedis) console.warn('redis-outage.test.ts skipped: needs Redis on 127.0.0.1:6379');

/** A relay to the machine's Redis on `port` (0: any); close() cuts every connection. */
async function relay(port = 0): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(6379, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => {});
      s.on('close', () => sockets.delete(s));
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function readyz(url: string): Promise<Record<string, unknown>> {
  return (await (await fetch(`${url}/readyz`)).json()) as Record<string, unknown>;
}

async function until(check: () => Promise<boolean>): Promise<boolean> {
  for (let i = 0; i < 150; i++) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

describe.skipIf(!hasRedis)('a replica when Redis goes away and comes back', () => {
  let deployment: Deployment;
  let replica: Replica;
  let link: Awaited<ReturnType<typeof relay>>;
  beforeAll(async () => {
    link = await relay();
    deployment = createDeployment({
      REDIS_URL: `redis://127.0.0.1:${link.port}`,
      RATE_LIMIT_PER_MINUTE: '3',
    });
    replica = await startReplica(deployment);
  }, 120_000);
  afterAll(async () => {
    await replica?.stop();
    await link?.close().catch(() => {});
    await deployment?.cleanup();
  });

  it('answers with per-process limits while Redis is down, reports it, and reconnects', async () => {
    expect(await readyz(replica.url)).toMatchObject({ status: 'ready', redis: { status: 'ok' } });
    const port = link.port;
    await link.close();
    expect(await until(async () => (await readyz(replica.url))['status'] === 'degraded')).toBe(
      true,
    );
    const body = await readyz(replica.url);
    expect((body['redis'] as { message: string }).message).toContain('无法连接 Redis');

    // Still answering, and the budget still holds (counted in this process).
    const statuses = [];
    for (let i = 0; i < 4; i++)
      statuses.push((await ask(replica.url, KNOWN.legalAdvice.question, '203.0.113.50')).status);
    expect(statuses).toEqual([200, 200, 200, 429]);

    link = await relay(port);
    expect(await until(async () => (await readyz(replica.url))['status'] === 'ready')).toBe(true);
    expect(await readyz(replica.url)).toMatchObject({ redis: { status: 'ok' } });
    // Back on the shared budget: a new client gets its answers from Redis' count.
    expect((await ask(replica.url, KNOWN.legalAdvice.question, '203.0.113.51')).status).toBe(200);
  }, 60_000);
});
