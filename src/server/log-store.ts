/**
 * The question log and feedback, in SQLite (better-sqlite3) at `<DATA_DIR>/wenzheng.sqlite`.
 * Callers pass text that is already masked (see mask.ts); the store masks again anyway, so
 * a forgotten call cannot leak an ID-card number into the file.
 *
 * The store is never on the answer path. It does not throw from recordQuestion, at open or
 * in its write timer: a database that cannot be opened or written (disk full, read-only
 * file or folder, damaged file) turns the store `degraded`. Rows then wait in memory, up to
 * `maxPending`, and are written when a retry (with exponential backoff) succeeds; beyond
 * that the oldest are dropped and counted. Each failure episode is logged once, and its
 * recovery once. Nothing accepted is dropped while the store is healthy.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { AppError } from '../errors.js';
import { maskPersonalData } from '../text/mask.js';

/** One answered question, as logged. */
export interface QuestionRecord {
  messageId: string;
  /** Milliseconds since the epoch. */
  at: number;
  sessionId: string | null;
  transport: 'http' | 'sse' | 'ws';
  /** The normalised question (masked before storage). */
  question: string;
  found: boolean;
  citedChunkIds: string[];
  latencyMs: number;
  mode: string;
}

/** A question the reports did not answer, with how often it was asked. */
export interface Gap {
  question: string;
  count: number;
  lastAskedAt: string;
}

/** What /readyz shows of the store. */
export interface LogStoreStatus {
  status: 'ok' | 'degraded';
  /** For the operator, in Chinese, while degraded: what failed, what it means, what to do. */
  message?: string;
  /** Rows accepted and not yet written. */
  pending: number;
  /** Rows dropped since start because the store was down and the buffer was full. */
  dropped: number;
  /** Failed opens and writes since start. */
  failures: number;
}

export interface LogStore {
  /** Accepts an answered question; never throws. */
  recordQuestion(record: QuestionRecord): void;
  /**
   * Stores a rating on a logged answer; false when the message id is unknown. While the
   * store is degraded a rating of a still-pending answer waits with it; any other throws
   * STORE_UNAVAILABLE.
   */
  recordFeedback(messageId: string, rating: 'up' | 'down', comment?: string): boolean;
  /** Questions answered with found: false, grouped, most frequent first (STORE_UNAVAILABLE while degraded). */
  gaps(limit?: number): Gap[];
  /** One logged question with its rating (for tests and the staff console). */
  get(
    messageId: string,
  ): (QuestionRecord & { rating: string | null; comment: string | null }) | null;
  status(): LogStoreStatus;
  close(): void;
}

/** The part of a pino logger the store uses. */
export interface StoreLogger {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface LogStoreOptions {
  /** Folder for the database file; `:memory:` keeps it in memory. */
  dir: string;
  /** @default Date.now */
  clock?: () => number;
  /** Longest a logged answer waits to be written, in ms (0: at once). @default 50 */
  batchMs?: number;
  /** Rows that trigger a write at once. @default 200 */
  batchSize?: number;
  /** Rows kept in memory while the database cannot be written. @default 10000 */
  maxPending?: number;
  /** First retry after a failure, in ms; doubles up to retryMaxMs. @default 1000 */
  retryMs?: number;
  /** @default 60000 */
  retryMaxMs?: number;
  /** @default no logging */
  logger?: StoreLogger;
}

/** Folds a question to the key gaps are grouped by: width, case, spaces and end punctuation. */
export function gapKey(question: string): string {
  return question
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\s+/g, '')
    .replace(/[?？!！。.,，、;；:：~～]+$/u, '');
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS questions (
  message_id TEXT PRIMARY KEY,
  at TEXT NOT NULL,
  session_id TEXT,
  transport TEXT NOT NULL,
  question TEXT NOT NULL,
  question_key TEXT NOT NULL,
  found INTEGER NOT NULL,
  cited_chunk_ids TEXT NOT NULL,
  latency_ms INTEGER NOT NULL,
  mode TEXT NOT NULL,
  rating TEXT,
  comment TEXT,
  rated_at TEXT
);
CREATE INDEX IF NOT EXISTS questions_gaps ON questions (found, question_key);
`;

interface Row {
  message_id: string;
  at: string;
  session_id: string | null;
  transport: QuestionRecord['transport'];
  question: string;
  found: number;
  cited_chunk_ids: string;
  latency_ms: number;
  mode: string;
  rating: string | null;
  comment: string | null;
}

/** A row waiting to be written, in the column order of the insert (rating, comment, rated_at last). */
type PendingRow = [
  string,
  string,
  string | null,
  string,
  string,
  string,
  number,
  string,
  number,
  string,
  string | null,
  string | null,
  string | null,
];

/** SQLite's error codes, as the operator would describe them. */
const REASONS: Array<[RegExp, string]> = [
  [/SQLITE_FULL/, '磁盘已满'],
  [/SQLITE_READONLY/, '文件或所在目录只读'],
  [/SQLITE_CANTOPEN/, '无法打开文件（目录不存在或没有权限）'],
  [/SQLITE_NOTADB|SQLITE_CORRUPT/, '文件已损坏或不是 SQLite 数据库'],
  [/SQLITE_IOERR/, '磁盘读写出错'],
  [/EACCES|EPERM|EROFS/, '没有写权限或文件系统只读'],
  [/ENOSPC/, '磁盘已满'],
];

function reasonOf(error: unknown): { reason: string; detail: string } {
  const code = (error as { code?: unknown }).code;
  const detail = `${typeof code === 'string' ? `${code}: ` : ''}${error instanceof Error ? error.message : String(error)}`;
  const reason = REASONS.find(([pattern]) => pattern.test(detail))?.[1] ?? '未知错误';
  return { reason, detail };
}

interface Statements {
  db: Database.Database;
  insertBatch: Database.Statement;
  rate: Database.Statement;
  selectGaps: Database.Statement;
  selectOne: Database.Statement;
}

function openDatabase(file: string): Statements {
  const db = new Database(file);
  try {
    // WAL + NORMAL: one fsync per checkpoint rather than per answer; a crash can lose the
    // last few log lines, never corrupt the file.
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec(SCHEMA);
    return {
      db,
      // A batch is one statement over a JSON array (SQLite's json_each): binding and stepping
      // once per batch costs far less than once per row.
      insertBatch: db.prepare(`INSERT OR IGNORE INTO questions
        (message_id, at, session_id, transport, question, question_key, found, cited_chunk_ids, latency_ms, mode, rating, comment, rated_at)
        SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5, value ->> 6, value ->> 7, value ->> 8, value ->> 9,
          value ->> 10, value ->> 11, value ->> 12
        FROM json_each(?)`),
      rate: db.prepare(
        'UPDATE questions SET rating = ?, comment = ?, rated_at = ? WHERE message_id = ?',
      ),
      selectGaps: db.prepare(`SELECT
          (SELECT q2.question FROM questions q2 WHERE q2.found = 0 AND q2.question_key = q.question_key
            ORDER BY q2.at DESC LIMIT 1) AS question,
          COUNT(*) AS count, MAX(at) AS lastAskedAt
        FROM questions q WHERE found = 0 GROUP BY question_key
        ORDER BY count DESC, lastAskedAt DESC LIMIT ?`),
      selectOne: db.prepare('SELECT * FROM questions WHERE message_id = ?'),
    };
  } catch (error) {
    db.close();
    throw error;
  }
}

/** Opens (creating if needed) the question log. Never throws: a database that will not open makes it degraded. */
export function createLogStore(options: LogStoreOptions): LogStore {
  const clock = options.clock ?? Date.now;
  const batchMs = options.batchMs ?? 50;
  const batchSize = options.batchSize ?? 200;
  const maxPending = options.maxPending ?? 10_000;
  const retryMs = options.retryMs ?? 1000;
  const retryMaxMs = options.retryMaxMs ?? 60_000;
  const logger = options.logger;
  const file = options.dir === ':memory:' ? ':memory:' : path.join(options.dir, 'wenzheng.sqlite');

  let sql: Statements | null = null;
  let failure: { reason: string; detail: string } | null = null;
  let failures = 0;
  let dropped = 0;
  let backoff = retryMs;
  let closed = false;
  let pending: PendingRow[] = [];
  let timer: NodeJS.Timeout | null = null;
  let retryTimer: NodeJS.Timeout | null = null;

  /** Records a failure: the first of an episode is logged, later ones only counted. */
  const fail = (error: unknown, action: string) => {
    failures += 1;
    const first = failure === null;
    failure = reasonOf(error);
    if (first)
      logger?.error(
        { file, action, reason: failure.detail, pending: pending.length },
        `question log ${action} failed: answering continues, rows wait in memory`,
      );
    if (sql) {
      // Reopened at the next retry: a connection that hit an I/O error may be unusable.
      try {
        sql.db.close();
      } catch {
        // already unusable
      }
      sql = null;
    }
    if (!closed && !retryTimer) {
      retryTimer = setTimeout(retry, backoff);
      retryTimer.unref();
      backoff = Math.min(backoff * 2, retryMaxMs);
    }
  };

  const recovered = () => {
    if (failure) logger?.info({ file, failures, dropped }, 'question log writable again');
    failure = null;
    backoff = retryMs;
  };

  const connect = (): Statements | null => {
    if (sql) return sql;
    try {
      if (file !== ':memory:') mkdirSync(options.dir, { recursive: true });
      sql = openDatabase(file);
      return sql;
    } catch (error) {
      fail(error, 'open');
      return null;
    }
  };

  /** Writes what is pending; on failure keeps it (the newest maxPending rows) for the retry. */
  const flush = (): boolean => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (failure && retryTimer) return false; // a retry is scheduled: do not hammer a failing disk
    const s = connect();
    if (!s) return false;
    if (pending.length > 0) {
      try {
        s.insertBatch.run(JSON.stringify(pending));
        pending = [];
      } catch (error) {
        fail(error, 'write');
        return false;
      }
    }
    recovered();
    return true;
  };

  function retry(): void {
    retryTimer = null;
    if (!closed) flush();
  }

  const unavailable = () =>
    new AppError('STORE_UNAVAILABLE', { detail: failure ? `${file}: ${failure.detail}` : file });

  connect();

  return {
    recordQuestion(record) {
      if (closed) return;
      const question = maskPersonalData(record.question);
      pending.push([
        record.messageId,
        new Date(record.at).toISOString(),
        record.sessionId,
        record.transport,
        question,
        gapKey(question),
        record.found ? 1 : 0,
        JSON.stringify(record.citedChunkIds),
        Math.round(record.latencyMs),
        record.mode,
        null,
        null,
        null,
      ]);
      if (pending.length > maxPending) {
        // Only while degraded can the buffer fill: a healthy store writes every batchMs.
        const over = pending.length - maxPending;
        pending.splice(0, over);
        dropped += over;
      }
      if (failure) return; // the retry timer writes them
      if (pending.length >= batchSize || batchMs === 0) flush();
      else if (!timer) {
        timer = setTimeout(flush, batchMs);
        timer.unref();
      }
    },
    recordFeedback(messageId, rating, comment) {
      const masked = comment === undefined ? null : maskPersonalData(comment);
      const at = new Date(clock()).toISOString();
      if (flush() && sql) {
        try {
          return sql.rate.run(rating, masked, at, messageId).changes > 0;
        } catch (error) {
          fail(error, 'write');
        }
      }
      const row = pending.find((r) => r[0] === messageId);
      if (!row) throw unavailable();
      row[10] = rating;
      row[11] = masked;
      row[12] = at;
      return true;
    },
    gaps(limit = 50) {
      if (!flush() || !sql) throw unavailable();
      return sql.selectGaps.all(limit) as Gap[];
    },
    get(messageId) {
      if (!flush() || !sql) throw unavailable();
      const row = sql.selectOne.get(messageId) as Row | undefined;
      if (!row) return null;
      return {
        messageId: row.message_id,
        at: Date.parse(row.at),
        sessionId: row.session_id,
        transport: row.transport,
        question: row.question,
        found: row.found === 1,
        citedChunkIds: JSON.parse(row.cited_chunk_ids) as string[],
        latencyMs: row.latency_ms,
        mode: row.mode,
        rating: row.rating,
        comment: row.comment,
      };
    },
    status() {
      const base = { pending: pending.length, dropped, failures };
      if (!failure) return { status: 'ok', ...base };
      return {
        status: 'degraded',
        ...base,
        message:
          `问题记录库 ${file} 无法写入（${failure.reason}）。问答照常进行，记录暂存在内存中（最多 ${maxPending} 条，` +
          `已暂存 ${pending.length} 条，已丢弃 ${dropped} 条），服务会自动重试。请检查磁盘空间和文件权限；` +
          '若文件已损坏，请将其移走，服务会新建一个。',
      };
    },
    close() {
      if (closed) return;
      if (retryTimer) clearTimeout(retryTimer);
      retryTimer = null;
      failure = null; // one last attempt, with no retry after it
      closed = true;
      flush();
      if (pending.length > 0)
        logger?.error(
          { file, lost: pending.length },
          'question log closed with rows it could not write',
        );
      if (sql?.db.open) sql.db.close();
      sql = null;
    },
  };
}
