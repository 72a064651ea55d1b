/**
 * The machine's PostgreSQL (127.0.0.1:5432, trust auth, user postgres) for tests: whether
 * it answers, a database of its own per test file (a random name, dropped afterwards:
 * other engineers run tests on the same server), and a TCP proxy in front of it that a
 * test can take down and bring back, as a network or a server outage would.
 */
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import pg from 'pg';

export const PG_HOST = '127.0.0.1';
export const PG_PORT = 5432;
const ADMIN_URL = `postgres://postgres@${PG_HOST}:${PG_PORT}/postgres`;

/** True when PostgreSQL accepts a connection and a query within two seconds. */
async function probe(): Promise<boolean> {
  const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

export const hasPostgres = await probe();

/** What a test that needs PostgreSQL says when it is skipped. */
export const NO_POSTGRES = `PostgreSQL is not reachable at ${PG_HOST}:${PG_PORT} (start it, e.g. with .ci/run): skipped`;
if (!hasPostgres) console.warn(NO_POSTGRES);

export interface TestDatabase {
  name: string;
  /** postgres://postgres@127.0.0.1:5432/<name> */
  url: string;
  /** The URL with another host:port (a proxy in front of the server). */
  urlVia(port: number): string;
  drop(): Promise<void>;
}

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Creates an empty database with a random name. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `wz_test_${randomBytes(6).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  return {
    name,
    url: `postgres://postgres@${PG_HOST}:${PG_PORT}/${name}`,
    urlVia: (port) => `postgres://postgres@127.0.0.1:${port}/${name}`,
    drop: () =>
      admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => {}),
  };
}

/** Runs one query in a test database (to look behind the stores). */
export async function queryIn<R extends pg.QueryResultRow>(
  url: string,
  text: string,
  values?: unknown[],
): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(text, values)).rows;
  } finally {
    await client.end();
  }
}

export interface Outage {
  port: number;
  /** Refuses new connections and cuts the open ones (the database is gone). */
  down(): Promise<void>;
  /** Accepts connections again on the same port. */
  up(): Promise<void>;
  close(): Promise<void>;
}

/** A TCP proxy on a port of its own in front of PostgreSQL. */
export async function startOutageProxy(): Promise<Outage> {
  const sockets = new Set<net.Socket>();
  let server: net.Server | null = null;
  let port = 0;
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const s = net.createServer((client) => {
        const upstream = net.connect(PG_PORT, PG_HOST);
        for (const sock of [client, upstream]) {
          sockets.add(sock);
          sock.on('close', () => sockets.delete(sock));
          sock.on('error', () => {
            client.destroy();
            upstream.destroy();
          });
        }
        client.pipe(upstream).pipe(client);
      });
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => {
        port = (s.address() as net.AddressInfo).port;
        server = s;
        resolve();
      });
    });
  const down = async () => {
    const s = server;
    server = null;
    for (const sock of sockets) sock.destroy();
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  };
  await listen();
  return { port, down, up: listen, close: down };
}
