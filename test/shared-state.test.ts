/**
 * The shared state on the machine's Redis (a key prefix random per run, removed after):
 * the question budget and WebSocket slots counted once for several replicas, the answer
 * cache's second level, announcements between replicas, and the ingest lock. Without Redis
 * the per-process fallbacks answer. Skips the Redis cases, saying so, when it is absent.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { redisAnnouncer, type Announcement } from '../src/shared-state/announcer.js';
import { createIngestLock } from '../src/shared-state/ingest-lock.js';
import { openRedisLink, type RedisLink } from '../src/shared-state/redis-link.js';
import { createSharedAnswers } from '../src/shared-state/shared-answers.js';
import { createSharedBudget } from '../src/shared-state/shared-budget.js';
import { createSharedSockets } from '../src/shared-state/shared-sockets.js';
import { REDIS_URL, redisAvailable, removeRedisKeys } from './helpers/replica-process.js';

const hasRedis = await redisAvailable();
if (!hasRedis) console.warn('shared-state.test.ts: Redis cases skipped (needs 127.0.0.1:6379)');

const prefix = `wz-test-${randomBytes(6).toString('hex')}:`;
const quiet = { info() {}, warn() {} };
const links: RedisLink[] = [];
const work = mkdtempSync(path.join(tmpdir(), 'wz-shared-'));

async function link(url = REDIS_URL): Promise<RedisLink> {
  const l = openRedisLink({ url, prefix, logger: quiet, maxBackoffMs: 200 });
  links.push(l);
  if (url === REDIS_URL)
    for (let i = 0; i < 50 && !l.up; i++) await new Promise((r) => setTimeout(r, 20));
  return l;
}

afterAll(async () => {
  await Promise.all(links.map((l) => l.close()));
  if (hasRedis) await removeRedisKeys(prefix);
  rmSync(work, { recursive: true, force: true });
});

describe.skipIf(!hasRedis)('shared state on Redis', () => {
  it('counts one budget for two replicas: the 11th question of the minute is refused on either', async () => {
    const [one, two] = [await link(), await link()];
    const budgets = [one, two].map((l) =>
      createSharedBudget({ link: l, perIpPerMinute: 10, perSessionPerMinute: 0 }),
    );
    const decisions = [];
    for (let i = 0; i < 14; i++) decisions.push(await budgets[i % 2]!.take('192.0.2.1'));
    expect(decisions.map((d) => d.ok)).toEqual([...Array(10).fill(true), ...Array(4).fill(false)]);
    expect(decisions[9]).toMatchObject({ limit: 10, remaining: 0 });
    expect(decisions[13]!.resetSeconds).toBeGreaterThan(0);
    expect(decisions[13]!.resetSeconds).toBeLessThanOrEqual(60);
    // Another client has its own budget.
    expect((await budgets[0]!.take('192.0.2.2')).ok).toBe(true);
  });

  it('caps WebSocket slots per address across replicas, and a slot given back is free again', async () => {
    const [one, two] = [await link(), await link()];
    for (const [l, id] of [
      [one, 'r1'],
      [two, 'r2'],
    ] as const)
      await l.client.set(l.key(`replica:${id}`), 'v', {
        expiration: { type: 'PX', value: 30_000 },
      });
    const slots1 = createSharedSockets({ link: one, replicaId: 'r1', max: 2 });
    const slots2 = createSharedSockets({ link: two, replicaId: 'r2', max: 2 });
    const first = await slots1('192.0.2.9');
    const second = await slots2('192.0.2.9');
    expect(first).toBeTypeOf('function');
    expect(second).toBeTypeOf('function');
    expect(await slots1('192.0.2.9')).toBeNull();
    second!();
    await new Promise((r) => setTimeout(r, 50));
    expect(await slots1('192.0.2.9')).toBeTypeOf('function');
  });

  it("stops counting a dead replica's sockets once its heartbeat expires", async () => {
    const l = await link();
    const dead = createSharedSockets({ link: l, replicaId: 'gone', max: 1 });
    await l.client.set(l.key('replica:gone'), 'v', { expiration: { type: 'PX', value: 30_000 } });
    await l.client.set(l.key('replica:alive'), 'v', { expiration: { type: 'PX', value: 30_000 } });
    expect(await dead('192.0.2.20')).toBeTypeOf('function');
    const alive = createSharedSockets({ link: l, replicaId: 'alive', max: 1 });
    expect(await alive('192.0.2.20')).toBeNull();
    await l.client.del(l.key('replica:gone')); // what expiry does after kill -9
    expect(await alive('192.0.2.20')).toBeTypeOf('function');
  });

  it('shares cached answers between replicas', async () => {
    const [one, two] = [await link(), await link()];
    const value = {
      answer: {
        found: true,
        answer: '46.4万人次',
        citations: [],
        mode: 'extractive' as const,
        question: 'q',
      },
      deltas: ['46.4万人次'],
    };
    createSharedAnswers({ link: one, ttlSeconds: 60 }).set('scope:key', value);
    const other = createSharedAnswers({ link: two, ttlSeconds: 60 });
    let got;
    for (let i = 0; i < 20 && !got; i++) got = await other.get('scope:key');
    expect(got).toEqual(value);
    expect(await other.get('scope:other')).toBeUndefined();
  });

  it('announces to the other replicas, not to itself', async () => {
    const [one, two] = [await link(), await link()];
    const heard: Announcement[] = [];
    const self: Announcement[] = [];
    const a1 = redisAnnouncer(one, 'one');
    a1.onAnnouncement((a) => self.push(a));
    redisAnnouncer(two, 'two').onAnnouncement((a) => heard.push(a));
    await new Promise((r) => setTimeout(r, 200)); // subscriptions established
    a1.announce({ kind: 'index', version: 'v1' });
    for (let i = 0; i < 50 && heard.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(heard).toEqual([{ kind: 'index', version: 'v1' }]);
    expect(self).toEqual([]);
  });

  it('runs one ingest at a time across replicas', async () => {
    const dir = path.join(work, 'lock');
    const locks = [
      createIngestLock({ indexDir: dir, link: await link(), pollMs: 20 }),
      createIngestLock({ indexDir: dir, link: await link(), pollMs: 20 }),
    ];
    const events: string[] = [];
    let waited = false;
    const job = (name: string) => async () => {
      events.push(`${name} start`);
      await new Promise((r) => setTimeout(r, 150));
      events.push(`${name} end`);
    };
    await Promise.all([
      locks[0]!.run(job('a')),
      new Promise((r) => setTimeout(r, 30)).then(() =>
        locks[1]!.run(job('b'), () => {
          waited = true;
        }),
      ),
    ]);
    expect(events).toEqual(['a start', 'a end', 'b start', 'b end']);
    expect(waited).toBe(true);
    expect(await locks[1]!.tryRun(async () => 'free')).toBe('free');
  });
});

describe('shared state without Redis', () => {
  it('falls back to the per-process budget while Redis is unreachable, and says so in Chinese', async () => {
    const down = await link('redis://127.0.0.1:1');
    const budget = createSharedBudget({ link: down, perIpPerMinute: 2, perSessionPerMinute: 0 });
    const oks = [];
    for (let i = 0; i < 3; i++) oks.push((await budget.take('192.0.2.30')).ok);
    expect(oks).toEqual([true, true, false]);
    expect(down.status()).toMatchObject({ status: 'degraded' });
    expect(down.status().message).toContain('无法连接 Redis');
  });

  it('takes over a lock file whose holder process is gone', async () => {
    const dir = path.join(work, 'stale');
    const lock = createIngestLock({ indexDir: dir, link: null, pollMs: 20 });
    await lock.run(async () => {}); // creates the folder
    // What a build killed with kill -9 leaves: a lock file naming a pid that no longer runs.
    writeFileSync(
      path.join(dir, '.ingest.lock'),
      JSON.stringify({ pid: 2 ** 22 + 7, host: (await import('node:os')).hostname(), at: 0 }),
    );
    expect(await lock.run(async () => 'ran')).toBe('ran');
  });
});
