/**
 * Where a replica keeps its state, chosen once from the config: the SQLite file in
 * DATA_DIR (the embedded default), or PostgreSQL when DATABASE_URL is set. Either way the
 * same three things: the console's stores, the log reader, and the question log writer.
 */
import path from 'node:path';
import { createLogReader, type LogReader } from '../admin/log-reader.js';
import { openSqliteAdminStores } from '../admin/sqlite-store.js';
import type { AdminStores } from '../admin/store.js';
import type { Config } from '../config.js';
import { createLogStore, type LogStore, type LogStoreOptions } from '../server/log-store.js';
import { openPgAdminStores } from './pg-admin-stores.js';
import { createPgDatabase, type PgDatabase, type PgLogger } from './pg-database.js';
import { pgLogBackend } from './pg-log.js';
import { pgLogReader } from './pg-log-reader.js';

export type StorageConfig = Pick<
  Config,
  | 'DATA_DIR'
  | 'ROOT_DIR'
  | 'DATABASE_URL'
  | 'PG_POOL_MAX'
  | 'PG_IDLE_TIMEOUT_MS'
  | 'PG_CONNECT_TIMEOUT_MS'
  | 'PG_STATEMENT_TIMEOUT_MS'
>;

export interface Storage {
  kind: 'sqlite' | 'postgres';
  /** The file or `host:port/database`, for messages. */
  where: string;
  stores: AdminStores;
  reader: LogReader;
  /** The question log writer on this storage (one per process), spooled under `<DATA_DIR>/log-spool`. */
  createLog(options?: Omit<LogStoreOptions, 'dir' | 'backend'>): LogStore;
  /** Closes the stores (and the PostgreSQL pool); call after the log writer closed. */
  close(): Promise<void>;
}

/**
 * The reader, each query after the question log has written what it accepted: an answer
 * given a moment ago is in the figures (the log writes asynchronously, in batches).
 */
function settledReader(reader: LogReader, settle: () => Promise<unknown>): LogReader {
  return {
    tallies: (range, gapsOnly, limit) =>
      settle().then(() => reader.tallies(range, gapsOnly, limit)),
    feedback: (limit, rating) => settle().then(() => reader.feedback(limit, rating)),
    days: (range) => settle().then(() => reader.days(range)),
    citedCounts: (range) => settle().then(() => reader.citedCounts(range)),
    rows: (range) => ({
      async *[Symbol.asyncIterator]() {
        await settle();
        yield* reader.rows(range);
      },
    }),
    purgeBefore: (before) => settle().then(() => reader.purgeBefore(before)),
  };
}

export interface StorageOptions {
  config: Readonly<StorageConfig>;
  logger?: PgLogger;
  /** @default Date.now */
  clock?: () => number;
}

/** Where the question log's spool files are (kill -9 safety, see log-spool.ts). */
export const spoolDirOf = (dataDir: string) => path.join(dataDir, 'log-spool');

/** The SQLite storage in DATA_DIR (opens synchronously). */
export function openSqliteStorage(options: StorageOptions): Storage {
  const dir = options.config.DATA_DIR;
  const stores = openSqliteAdminStores({ dir, ...(options.clock ? { clock: options.clock } : {}) });
  let log: LogStore | null = null;
  return {
    kind: 'sqlite',
    where: path.join(dir, 'wenzheng.sqlite'),
    stores,
    reader: settledReader(createLogReader(stores.db), async () => log?.settle()),
    createLog: (logOptions = {}) =>
      (log = createLogStore({
        spoolDir: spoolDirOf(dir),
        ...logOptions,
        dir,
        ...(options.clock ? { clock: options.clock } : {}),
      })),
    close: () => stores.close(),
  };
}

/** The PostgreSQL pool of a config (DATABASE_URL set). */
export function pgDatabaseOf(config: Readonly<StorageConfig>, logger?: PgLogger): PgDatabase {
  return createPgDatabase(
    {
      url: config.DATABASE_URL,
      max: config.PG_POOL_MAX,
      idleTimeoutMs: config.PG_IDLE_TIMEOUT_MS,
      connectTimeoutMs: config.PG_CONNECT_TIMEOUT_MS,
      statementTimeoutMs: config.PG_STATEMENT_TIMEOUT_MS,
      migrationsDir: path.join(config.ROOT_DIR, 'migrations', 'postgres'),
    },
    logger,
  );
}

/**
 * Opens the storage the config names. With DATABASE_URL it connects and applies the
 * migrations first, and rejects (STORE_UNAVAILABLE, the reason in Chinese) when the
 * database cannot be reached: a replica does not start without its database.
 */
export async function openStorage(options: StorageOptions): Promise<Storage> {
  const { config } = options;
  if (config.DATABASE_URL === '') return openSqliteStorage(options);
  const db = pgDatabaseOf(config, options.logger);
  let stores: AdminStores;
  try {
    stores = await openPgAdminStores({
      db,
      ...(options.clock ? { clock: options.clock } : {}),
    });
  } catch (error) {
    await db.close();
    throw error;
  }
  let log: LogStore | null = null;
  return {
    kind: 'postgres',
    where: db.where,
    stores,
    reader: settledReader(pgLogReader(db), async () => log?.settle()),
    createLog: (logOptions = {}) =>
      (log = createLogStore({
        spoolDir: spoolDirOf(config.DATA_DIR),
        ...logOptions,
        backend: pgLogBackend(db),
        ...(options.clock ? { clock: options.clock } : {}),
      })),
    async close() {
      await stores.close();
      await db.close();
    },
  };
}
