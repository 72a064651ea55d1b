/**
 * The PostgreSQL connection of a replica (DATABASE_URL): one pg pool, kept well (a bounded
 * size, idle connections closed, a connect and a statement timeout, errors of idle
 * connections caught instead of crashing the process), and the schema brought up to date
 * before the first query (see pg-migrate.ts). Errors that mean "the database cannot be
 * reached" become STORE_UNAVAILABLE with the operator's reason in Chinese; every other
 * error (a bug, a constraint) passes through unchanged.
 */
import pg from 'pg';
import { AppError } from '../errors.js';
import { migrate, type MigrateResult } from './pg-migrate.js';

export interface PgPoolSettings {
  /** postgres://user:password@host:port/database */
  url: string;
  /** Connections per replica. @default 10 */
  max?: number;
  /** An idle connection is closed after this long, in ms. @default 30000 */
  idleTimeoutMs?: number;
  /** Longest wait for a new connection, in ms. @default 5000 */
  connectTimeoutMs?: number;
  /** Longest a statement may run, in ms (0: no limit). @default 15000 */
  statementTimeoutMs?: number;
  /** The folder of numbered .sql migrations. @default <project>/migrations/postgres */
  migrationsDir: string;
}

/** The part of a pino logger the database uses. */
export interface PgLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface PgDatabase {
  /** `host:port/database` (never the password), for messages. */
  readonly where: string;
  /** Runs one statement (after the schema is ready). */
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(
    text: string,
    values?: unknown[],
  ): Promise<pg.QueryResult<R>>;
  /** Runs `work` in one transaction on one connection (BEGIN … COMMIT, ROLLBACK on error). */
  transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T>;
  /** Applies pending migrations once; a failed attempt is retried by the next call. */
  ready(): Promise<MigrateResult>;
  /** Pool figures for the operator. */
  poolStats(): { total: number; idle: number; waiting: number };
  close(): Promise<void>;
}

/** Error codes and messages that mean the server cannot be reached or used right now. */
const UNREACHABLE: Array<[RegExp, string]> = [
  [/ECONNREFUSED/, '连接被拒绝（数据库服务未运行或端口不对）'],
  [/ENOTFOUND|EAI_AGAIN/, '找不到数据库主机（DATABASE_URL 中的主机名有误或 DNS 不可用）'],
  [
    /ETIMEDOUT|timeout exceeded when trying to connect|Connection terminated due to connection timeout/i,
    '连接超时（网络不通或数据库过载）',
  ],
  [
    /ECONNRESET|EPIPE|Connection terminated|terminating connection|57P01|57P02|57P03/i,
    '连接中断（数据库重启或网络故障）',
  ],
  [/28P01|28000|password authentication failed/i, '账号或密码不正确（检查 DATABASE_URL）'],
  [/3D000|does not exist/i, '数据库不存在（先用 createdb 创建）'],
  [
    /53300|too many clients|remaining connection slots/i,
    '数据库连接数已满（调小 PG_POOL_MAX 或调大 max_connections）',
  ],
  [/53100|could not extend file|No space left/i, '数据库磁盘已满'],
  [/25006|read-only transaction/i, '数据库处于只读状态（备库或维护中）'],
  [
    /57014|canceling statement due to statement timeout/i,
    '语句超时（数据库过载，见 PG_STATEMENT_TIMEOUT_MS）',
  ],
];

/** The operator's reason for an error that means the database is unavailable, or null for any other error. */
export function unavailableReason(error: unknown): string | null {
  const e = error as { code?: unknown; message?: unknown };
  const text = `${typeof e.code === 'string' ? e.code : ''} ${typeof e.message === 'string' ? e.message : String(error)}`;
  return UNREACHABLE.find(([pattern]) => pattern.test(text))?.[1] ?? null;
}

/** `host:port/database` of a URL, without user or password. */
export function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || '5432'}${u.pathname}`;
  } catch {
    return '(DATABASE_URL 格式有误)';
  }
}

/** Creates the pool; nothing connects until the first query. */
export function createPgDatabase(settings: PgPoolSettings, logger?: PgLogger): PgDatabase {
  const where = describeUrl(settings.url);
  const statementTimeout = settings.statementTimeoutMs ?? 15_000;
  const pool = new pg.Pool({
    connectionString: settings.url,
    max: settings.max ?? 10,
    idleTimeoutMillis: settings.idleTimeoutMs ?? 30_000,
    connectionTimeoutMillis: settings.connectTimeoutMs ?? 5000,
    application_name: 'wenzheng',
    ...(statementTimeout > 0 ? { statement_timeout: statementTimeout } : {}),
    // TCP keep-alive finds a connection a dead server or a NAT dropped.
    keepAlive: true,
  });
  // An idle connection the server closes (restart, failover) emits here; unhandled it
  // would crash the process. The pool drops it and opens a new one when next needed.
  pool.on('error', (error) => {
    logger?.warn({ where, err: error.message }, 'PostgreSQL: an idle connection failed (dropped)');
  });

  const wrap = (error: unknown): unknown => {
    const reason = unavailableReason(error);
    if (reason === null) return error;
    return new AppError('STORE_UNAVAILABLE', {
      detail: `PostgreSQL ${where}: ${reason}: ${error instanceof Error ? error.message : String(error)}`,
      cause: error,
    });
  };

  let migrated: Promise<MigrateResult> | null = null;
  const ready = (): Promise<MigrateResult> => {
    migrated ??= migrate(pool, settings.migrationsDir).then(
      (result) => {
        if (result.applied.length > 0)
          logger?.info({ where, applied: result.applied }, 'PostgreSQL: migrations applied');
        return result;
      },
      (error: unknown) => {
        migrated = null; // the next call tries again
        throw wrap(error);
      },
    );
    return migrated;
  };

  return {
    where,
    async query<R extends pg.QueryResultRow>(text: string, values?: unknown[]) {
      await ready();
      try {
        return await pool.query<R>(text, values);
      } catch (error) {
        throw wrap(error);
      }
    },
    async transaction(work) {
      await ready();
      let client: pg.PoolClient;
      try {
        client = await pool.connect();
      } catch (error) {
        throw wrap(error);
      }
      try {
        await client.query('BEGIN');
        const result = await work(client);
        await client.query('COMMIT');
        client.release();
        return result;
      } catch (error) {
        // A broken connection is not put back in the pool.
        await client.query('ROLLBACK').then(
          () => client.release(),
          () => client.release(true),
        );
        throw wrap(error);
      }
    },
    ready,
    poolStats: () => ({
      total: pool.totalCount,
      idle: pool.idleCount,
      waiting: pool.waitingCount,
    }),
    async close() {
      if (!pool.ended) await pool.end();
    },
  };
}
