/**
 * What only PostgreSQL does: migrations applied once by replicas that start together (and
 * not at all when one fails), and the question log through an outage of the database,
 * taken down and brought back by a TCP proxy in front of the machine's server: the
 * service keeps answering, /readyz says what is wrong in Chinese, accepted rows wait in
 * memory and are written when it returns, and what did not fit is counted.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { loadConfig, PROJECT_ROOT } from '../src/config.js';
import { createPgDatabase } from '../src/store/pg-database.js';
import { migrate, readMigrations } from '../src/store/pg-migrate.js';
import { openStorage, type Storage } from '../src/store/storage.js';
import { createFakeEngine } from './helpers/fake-engine.js';
import {
  createTestDatabase,
  hasPostgres,
  NO_POSTGRES,
  queryIn,
  startOutageProxy,
  type Outage,
  type TestDatabase,
} from './helpers/pg.js';
import { removeDataDirs, serversClosedAfterEach } from './helpers/server.js';

const MIGRATIONS = path.join(PROJECT_ROOT, 'migrations', 'postgres');
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
afterAll(() => removeDataDirs());
const serve = serversClosedAfterEach();

/** A one-connection pool for a test; the drop of its database at clean-up is not an error. */
function quietPool(url: string): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  return pool;
}

async function database(): Promise<TestDatabase> {
  const db = await createTestDatabase();
  cleanups.push(() => db.drop());
  return db;
}

/** A config on `url` with a DATA_DIR of its own (the spool files are there). */
const storageConfig = (url: string, dataDir = mkdtempSync(path.join(tmpdir(), 'wz-pg-data-'))) => {
  cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
  return loadConfig({
    root: PROJECT_ROOT,
    env: { DATABASE_URL: url, DATA_DIR: dataDir, PG_CONNECT_TIMEOUT_MS: '1000' },
  });
};

let n = 0;
const question = (over: { messageId?: string; found?: boolean } = {}) => ({
  messageId: over.messageId ?? `q${++n}`,
  at: Date.now(),
  sessionId: null,
  transport: 'http' as const,
  question: '公积金怎么提取',
  found: over.found ?? false,
  citedChunkIds: [],
  latencyMs: 3,
  mode: 'extractive',
});

describe.skipIf(!hasPostgres)(`PostgreSQL storage${hasPostgres ? '' : ` (${NO_POSTGRES})`}`, () => {
  it('applies each migration once when replicas start together, and nothing on a second start', async () => {
    const db = await database();
    const pools = Array.from({ length: 4 }, () => quietPool(db.url));
    cleanups.push(() => Promise.all(pools.map((p) => p.end())));
    const results = await Promise.all(pools.map((p) => migrate(p, MIGRATIONS)));
    const versions = readMigrations(MIGRATIONS).map((m) => m.version);
    // Exactly one replica applied them; the others waited on the lock and found them done.
    expect(results.filter((r) => r.applied.length > 0)).toEqual([
      { applied: versions, version: Math.max(...versions) },
    ]);
    expect(results.every((r) => r.version === Math.max(...versions))).toBe(true);
    const rows = await queryIn<{ version: number }>(
      db.url,
      'SELECT version FROM schema_migrations ORDER BY version',
    );
    expect(rows.map((r) => r.version)).toEqual(versions);
    expect((await migrate(pools[0]!, MIGRATIONS)).applied).toEqual([]);
  });

  it('leaves the schema as it was when a migration fails', async () => {
    const db = await database();
    const dir = mkdtempSync(path.join(tmpdir(), 'wz-migrations-'));
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(path.join(dir, '001_first.sql'), 'CREATE TABLE first_table (id int);');
    writeFileSync(
      path.join(dir, '002_second.sql'),
      'CREATE TABLE second_table (id int);\nSELECT 1 / 0;',
    );
    const pool = quietPool(db.url);
    cleanups.push(() => pool.end());
    await expect(migrate(pool, dir)).rejects.toThrow(/division by zero/);
    const tables = await queryIn<{ n: string }>(
      db.url,
      "SELECT count(*) AS n FROM pg_tables WHERE tablename IN ('first_table', 'second_table', 'schema_migrations')",
    );
    expect(tables[0]!.n).toBe('0');
    mkdirSync(path.join(dir, 'sub'));
    writeFileSync(path.join(dir, 'notes.sql'), '');
    expect(() => readMigrations(dir)).toThrow(/NNN_name\.sql/);
  });

  it('refuses to open on a database it cannot reach, saying why in Chinese', async () => {
    const proxy = await startOutageProxy();
    await proxy.down();
    await expect(
      openStorage({
        config: storageConfig(`postgres://postgres@127.0.0.1:${proxy.port}/postgres`),
      }),
    ).rejects.toMatchObject({
      code: 'STORE_UNAVAILABLE',
      detail: expect.stringContaining('连接被拒绝'),
    });
  });

  describe('through an outage', () => {
    let proxy: Outage;
    let storage: Storage;
    const open = async () => {
      const db = await database();
      proxy = await startOutageProxy();
      cleanups.push(() => proxy.close());
      storage = await openStorage({ config: storageConfig(db.urlVia(proxy.port)) });
      cleanups.push(() => storage.close());
      return db;
    };

    it('keeps answering, reports degraded in /readyz, and writes every accepted row when it returns', async () => {
      const db = await open();
      const store = storage.createLog({ retryMs: 20, retryMaxMs: 100 });
      const server = await serve({ engine: createFakeEngine(), store });
      const ask = async (q: string) => {
        const res = await fetch(`${server.url}/api/ask`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ question: q }),
        });
        expect(res.status).toBe(200);
        return ((await res.json()) as { messageId: string }).messageId;
      };
      const ids = [await ask('行政复议案件有多少件')];
      await vi.waitFor(async () =>
        expect(await queryIn(db.url, 'SELECT 1 FROM questions')).toHaveLength(1),
      );

      await proxy.down();
      for (const q of ['公积金怎么提取', '法律服务站点有多少个', '地铁几点停运'])
        ids.push(await ask(q));
      await vi.waitFor(async () => {
        const ready = (await (await fetch(`${server.url}/readyz`)).json()) as {
          status: string;
          store: { status: string; message: string; pending: number };
        };
        expect(ready.status).toBe('degraded');
        expect(ready.store).toMatchObject({ status: 'degraded', pending: 3 });
        expect(ready.store.message).toContain('PostgreSQL');
        expect(ready.store.message).toContain('问答照常进行');
        expect(ready.store.message).toMatch(/连接被拒绝|连接中断/);
      });
      // A rating of an answer that waits in memory waits with it; the console's reads say the store is down.
      const feedback = await fetch(`${server.url}/api/feedback`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ messageId: ids[2], rating: 'down', comment: '不对' }),
      });
      expect(feedback.status).toBe(200);
      await expect(storage.stores.users.list()).rejects.toMatchObject({
        code: 'STORE_UNAVAILABLE',
      });
      await expect(storage.reader.feedback(10)).rejects.toMatchObject({
        code: 'STORE_UNAVAILABLE',
      });

      await proxy.up();
      await vi.waitFor(
        async () =>
          expect((await (await fetch(`${server.url}/readyz`)).json()).status).toBe('ready'),
        { timeout: 5000 },
      );
      const rows = await queryIn<{ message_id: string; rating: string | null }>(
        db.url,
        'SELECT message_id, rating FROM questions',
      );
      expect(rows.map((r) => r.message_id).sort()).toEqual([...ids].sort());
      expect(rows.find((r) => r.message_id === ids[2])?.rating).toBe('down');
      expect(store.status()).toMatchObject({ status: 'ok', pending: 0, dropped: 0 });
      expect((await storage.stores.users.list()).length).toBe(0);
    });

    it('finds an outage while nothing is written, and its end', async () => {
      await open();
      const store = storage.createLog({ probeMs: 30, retryMs: 20, retryMaxMs: 50 });
      cleanups.push(() => store.close());
      await vi.waitFor(() => expect(store.status().status).toBe('ok'));
      await proxy.down();
      await vi.waitFor(() =>
        expect(store.status()).toMatchObject({ status: 'degraded', pending: 0 }),
      );
      expect(store.status().message).toContain('PostgreSQL');
      await proxy.up();
      await vi.waitFor(() => expect(store.status().status).toBe('ok'), { timeout: 5000 });
    });

    it('keeps the rows in its spool when stopped during an outage, and the next start writes them', async () => {
      const db = await open();
      const first = storage.createLog({ batchMs: 0, retryMs: 20, retryMaxMs: 50 });
      await proxy.down();
      for (let i = 0; i < 4; i++) first.recordQuestion(question({ messageId: `s${i}` }));
      await vi.waitFor(() =>
        expect(first.status()).toMatchObject({ status: 'degraded', pending: 4 }),
      );
      await first.close();
      await proxy.up();
      const next = storage.createLog({ batchMs: 0 });
      cleanups.push(() => next.close());
      await vi.waitFor(async () =>
        expect(
          (
            await queryIn<{ message_id: string }>(
              db.url,
              'SELECT message_id FROM questions ORDER BY message_id',
            )
          ).map((r) => r.message_id),
        ).toEqual(['s0', 's1', 's2', 's3']),
      );
    });

    it('drops the oldest rows beyond its bound while the database is down, and counts them', async () => {
      const db = await open();
      const store = storage.createLog({ batchMs: 0, maxPending: 5, retryMs: 20, retryMaxMs: 100 });
      cleanups.push(() => store.close());
      await proxy.down();
      for (let i = 0; i < 8; i++) store.recordQuestion(question({ messageId: `d${i}` }));
      await vi.waitFor(() =>
        expect(store.status()).toMatchObject({ status: 'degraded', pending: 5, dropped: 3 }),
      );
      expect(store.status().message).toContain('已丢弃 3 条');
      await expect(store.gaps()).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
      await proxy.up();
      await vi.waitFor(
        () => expect(store.status()).toMatchObject({ status: 'ok', pending: 0, dropped: 3 }),
        {
          timeout: 5000,
        },
      );
      const rows = await queryIn<{ message_id: string }>(
        db.url,
        'SELECT message_id FROM questions ORDER BY message_id',
      );
      expect(rows.map((r) => r.message_id)).toEqual(['d3', 'd4', 'd5', 'd6', 'd7']);
      expect((await store.gaps())[0]).toMatchObject({ question: '公积金怎么提取', count: 5 });
    });
  });

  it('survives the server terminating its connections (a restart or failover), and goes on', async () => {
    const db = await database();
    const storage = await openStorage({ config: storageConfig(db.url) });
    cleanups.push(() => storage.close());
    const store = storage.createLog({ batchMs: 0, retryMs: 20, retryMaxMs: 50 });
    cleanups.push(() => store.close());
    store.recordQuestion(question({ messageId: 'before' }));
    expect(await store.get('before')).not.toBeNull();
    await storage.stores.users.add('zhang', 'editor', 'scrypt$x');
    // Every connection of the pool, idle ones included, is ended by the server.
    await queryIn(
      db.url,
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
      [db.name],
    );
    store.recordQuestion(question({ messageId: 'after' }));
    await vi.waitFor(async () => expect(await store.get('after')).not.toBeNull(), {
      timeout: 5000,
    });
    expect((await storage.stores.users.get('zhang'))?.role).toBe('editor');
  });

  it('closes idle connections and bounds the pool', async () => {
    const db = await database();
    const pool = createPgDatabase({
      url: db.url,
      max: 2,
      idleTimeoutMs: 100,
      migrationsDir: MIGRATIONS,
    });
    cleanups.push(() => pool.close());
    await Promise.all(Array.from({ length: 6 }, () => pool.query('SELECT pg_sleep(0.05)')));
    expect(pool.poolStats().total).toBeLessThanOrEqual(2);
    await vi.waitFor(() => expect(pool.poolStats().total).toBe(0), { timeout: 3000 });
  });
});
