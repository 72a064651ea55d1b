/**
 * The question log and feedback: answered questions are buffered in memory and written in
 * batches to a backend, SQLite at `<DATA_DIR>/wenzheng.sqlite` (src/store/sqlite-log.ts,
 * the default) or PostgreSQL (src/store/pg-log.ts, DATABASE_URL). Callers pass text that
 * is already masked (see mask.ts); the store masks again anyway, so a forgotten call
 * cannot leak an ID-card number into the database.
 *
 * The store is never on the answer path. It does not throw from recordQuestion, at open or
 * in its write timer: a database that cannot be opened or written (disk full, read-only
 * file, damaged file, a PostgreSQL server down or unreachable) turns the store `degraded`.
 * Rows then wait in memory, up to `maxPending`, and are written when a retry (with
 * exponential backoff) succeeds; beyond that the oldest are dropped and counted. Each
 * failure episode is logged once, and its recovery once. Nothing accepted is dropped
 * while the store is healthy. One write is in flight at a time, in order.
 *
 * With `spoolDir`, every accepted row is also appended to a spool file before
 * recordQuestion returns (log-spool.ts): a process killed mid-batch, or stopped while the
 * database is down, leaves its rows there, and the next process on that DATA_DIR writes
 * them.
 */
import { AppError } from '../errors.js';
import { maskPersonalData } from '../text/mask.js';
import { sqliteLogBackend } from '../store/sqlite-log.js';
import { openSpool, takeOrphanedSpools, type LogSpool, type SpoolEntry } from './log-spool.js';

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

/** A logged question with its rating. */
export type StoredQuestion = QuestionRecord & { rating: string | null; comment: string | null };

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
  /** Accepts an answered question; never throws, never waits. */
  recordQuestion(record: QuestionRecord): void;
  /**
   * Stores a rating on a logged answer; false when the message id is unknown. While the
   * store is degraded a rating of a still-pending answer waits with it; any other rejects
   * with STORE_UNAVAILABLE.
   */
  recordFeedback(messageId: string, rating: 'up' | 'down', comment?: string): Promise<boolean>;
  /** Questions answered with found: false, grouped, most frequent first (STORE_UNAVAILABLE while degraded). */
  gaps(limit?: number): Promise<Gap[]>;
  /** One logged question with its rating (for tests and the staff console). */
  get(messageId: string): Promise<StoredQuestion | null>;
  status(): LogStoreStatus;
  /**
   * Resolves once every row accepted so far is written (true) or the attempt failed
   * (false): readers on other connections (the console) call it first, so they see every
   * answered question.
   */
  settle(): Promise<boolean>;
  /** Writes what is pending (one last attempt) and closes the backend. */
  close(): Promise<void>;
}

/**
 * A row waiting to be written: message_id, at (ISO), session_id, transport, question,
 * question_key, found (0/1), cited_chunk_ids (JSON), latency_ms, mode, rating, comment,
 * rated_at (ISO).
 */
export type PendingRow = [
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

/** Where the log is written: one database. Every method may throw; the store handles it. */
export interface LogBackend {
  /** The database, for the operator (a file, or `PostgreSQL host:port/db`). */
  readonly where: string;
  /** What the operator should check while it fails, in Chinese. */
  readonly advice: string;
  /** Connects and makes sure the table exists. */
  open(): Promise<void>;
  /** Writes rows (a message id already written is skipped). */
  insert(rows: PendingRow[]): Promise<void>;
  /** Sets the rating of one row; false when there is none. */
  rate(messageId: string, rating: string, comment: string | null, at: string): Promise<boolean>;
  gaps(limit: number): Promise<Gap[]>;
  get(messageId: string): Promise<StoredQuestion | null>;
  /** Drops the connection after a failure (the next open() makes a new one). */
  reset(): void;
  /**
   * Checks that the database answers (a server database can go away while nothing is
   * written); the store calls it every `probeMs` while healthy and idle. Absent: only
   * writes and reads find a failure (a local file).
   */
  probe?(): Promise<void>;
  /** The operator's name for what went wrong, in Chinese. */
  reason(error: unknown): string;
  close(): Promise<void>;
}

/** The part of a pino logger the store uses. */
export interface StoreLogger {
  info(obj: object, msg: string): void;
  warn?(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface LogStoreOptions {
  /** Folder of the SQLite file (`:memory:` keeps it in memory); ignored with `backend`. */
  dir?: string;
  /** Another database (PostgreSQL). @default SQLite in `dir` */
  backend?: LogBackend;
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
  /** Folder of the spool files (kill -9 safety). @default no spool */
  spoolDir?: string;
  /** How often the spool folder is looked at for files of processes that are gone, in ms. @default 1000 */
  adoptMs?: number;
  /** How often an idle, healthy store checks a backend that can be probed, in ms. @default 5000 */
  probeMs?: number;
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

const detailOf = (error: unknown): string => {
  const e = (error as { cause?: unknown }).cause ?? error;
  const code = (e as { code?: unknown }).code;
  return `${typeof code === 'string' ? `${code}: ` : ''}${e instanceof Error ? e.message : String(e)}`;
};

/** Opens (creating if needed) the question log. Never throws: a database that will not open makes it degraded. */
export function createLogStore(options: LogStoreOptions): LogStore {
  const backend = options.backend ?? sqliteLogBackend(options.dir ?? ':memory:');
  const clock = options.clock ?? Date.now;
  const batchMs = options.batchMs ?? 50;
  const batchSize = options.batchSize ?? 200;
  const maxPending = options.maxPending ?? 10_000;
  const retryMs = options.retryMs ?? 1000;
  const retryMaxMs = options.retryMaxMs ?? 60_000;
  const logger = options.logger;
  const where = backend.where;

  let opened = false;
  let failure: { reason: string; detail: string } | null = null;
  let failures = 0;
  let dropped = 0;
  let backoff = retryMs;
  let closed = false;
  let pending: PendingRow[] = [];
  /** Rows of the write in flight (they count as pending; a failed write puts them back). */
  let inFlight = 0;
  let timer: NodeJS.Timeout | null = null;
  let retryTimer: NodeJS.Timeout | null = null;
  let chain: Promise<boolean> = Promise.resolve(true);
  let spool: LogSpool | null = null;

  let spoolBroken = false;
  /**
   * Appends to the spool (or rewrites it with `reset`). A spool that cannot be written
   * (a full disk) is skipped, warned about once and counted; answering goes on, and the
   * next successful write of the database rewrites it whole.
   */
  const spooled = (entries: SpoolEntry[], reset = false) => {
    if (!spool || (spoolBroken && !reset)) return;
    try {
      if (reset) spool.reset(entries);
      else spool.append(entries);
      spoolBroken = false;
    } catch (error) {
      if (!spoolBroken) {
        failures += 1;
        (logger?.warn ?? logger?.info)?.call(
          logger,
          { file: spool.file, reason: detailOf(error) },
          'question log spool cannot be written: rows are kept in memory only until it can',
        );
      }
      spoolBroken = true;
    }
  };
  const asEntries = (rows: PendingRow[]): SpoolEntry[] => rows.map((row) => ({ row }));

  /** Drops the oldest rows beyond maxPending; true when it dropped any. */
  const trim = (): boolean => {
    if (pending.length <= maxPending) return false;
    // Only while degraded can the buffer fill: a healthy store writes every batchMs.
    const over = pending.length - maxPending;
    pending.splice(0, over);
    dropped += over;
    return true;
  };

  /** Records a failure: the first of an episode is logged, later ones only counted. */
  const fail = (error: unknown, action: string) => {
    failures += 1;
    const first = failure === null;
    failure = { reason: backend.reason(error), detail: detailOf(error) };
    if (first)
      logger?.error(
        { where, action, reason: failure.detail, pending: pending.length },
        `question log ${action} failed: answering continues, rows wait in memory`,
      );
    // Reopened at the next retry: a connection that hit an I/O error may be unusable.
    opened = false;
    try {
      backend.reset();
    } catch {
      // already unusable
    }
    if (!closed && !retryTimer) {
      retryTimer = setTimeout(retry, backoff);
      retryTimer.unref();
      backoff = Math.min(backoff * 2, retryMaxMs);
    }
  };

  const recovered = () => {
    if (failure) logger?.info({ where, failures, dropped }, 'question log writable again');
    failure = null;
    backoff = retryMs;
  };

  const connect = async (): Promise<boolean> => {
    if (opened) return true;
    try {
      await backend.open();
      opened = true;
      return true;
    } catch (error) {
      fail(error, 'open');
      return false;
    }
  };

  /** Writes what is pending; on failure keeps it (the newest maxPending rows) for the retry. */
  const flushOnce = async (): Promise<boolean> => {
    if (failure && retryTimer) return false; // a retry is scheduled: do not hammer a failing database
    if (!(await connect())) return false;
    if (pending.length > 0) {
      const batch = pending;
      pending = [];
      inFlight = batch.length;
      try {
        await backend.insert(batch);
      } catch (error) {
        pending = batch.concat(pending);
        trim();
        fail(error, 'write');
        return false;
      } finally {
        inFlight = 0;
      }
    }
    // What is written leaves the spool; what arrived meanwhile stays in it.
    if (spool && (spoolBroken || spool.lines > pending.length)) spooled(asEntries(pending), true);
    else if (!spool && options.spoolDir && !closed) {
      try {
        spool = openSpool(options.spoolDir);
        spooled(asEntries(pending));
      } catch {
        spool = null; // still not writable: warned at start
      }
    }
    recovered();
    return true;
  };

  /**
   * Queues a flush behind the one in flight (or joins the one queued and not started yet,
   * which will take every row accepted so far); resolves true once they are written.
   */
  let queued: Promise<boolean> | null = null;
  const flush = (): Promise<boolean> => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (queued) return queued;
    const run = () => {
      queued = null;
      return flushOnce();
    };
    queued = chain = chain.then(run, run);
    return queued;
  };

  function retry(): void {
    retryTimer = null;
    if (!closed) void flush();
  }

  const unavailable = () =>
    new AppError('STORE_UNAVAILABLE', {
      detail: failure ? `${where}: ${failure.detail}` : where,
    });

  /** Runs a read after a successful flush; a failure of the read itself degrades the store too. */
  const read = async <T>(work: () => Promise<T>): Promise<T> => {
    if (!(await flush())) throw unavailable();
    try {
      return await work();
    } catch (error) {
      fail(error, 'read');
      throw unavailable();
    }
  };

  /** Takes over the spool files of processes that are gone; their rows are written with ours. */
  const adopt = () => {
    if (!options.spoolDir || closed) return;
    const recovered: PendingRow[] = [];
    for (const entry of takeOrphanedSpools(options.spoolDir, spool?.file ?? '')) {
      if ('row' in entry) recovered.push(entry.row as PendingRow);
      else {
        const row = recovered.find((r) => r[0] === entry.rate[0]);
        if (row) [row[10], row[11], row[12]] = entry.rate.slice(1) as [string, string, string];
      }
    }
    if (recovered.length === 0) return;
    pending.push(...recovered);
    trim();
    spooled(asEntries(recovered));
    logger?.info(
      { where, rows: recovered.length },
      'question log: rows of a stopped process recovered from its spool',
    );
    if (!failure) void flush();
  };

  if (options.spoolDir) {
    try {
      spool = openSpool(options.spoolDir);
    } catch (error) {
      // A read-only or full DATA_DIR: the next successful write tries again.
      (logger?.warn ?? logger?.info)?.call(
        logger,
        { dir: options.spoolDir, reason: detailOf(error) },
        'question log spool cannot be opened: rows are kept in memory only until it can',
      );
    }
    try {
      adopt();
    } catch (error) {
      logger?.info(
        { dir: options.spoolDir, reason: detailOf(error) },
        'question log spool folder unreadable',
      );
    }
  }

  void flush();

  // A server database that goes away while nobody asks is found by the probe, so /readyz
  // says so before the first question is kept waiting in memory.
  const probe = backend.probe?.bind(backend);
  // Spools of processes killed since (a sibling worker, a replica on this DATA_DIR) are
  // taken over within a second, without waiting for a restart.
  const adoptTimer = options.spoolDir
    ? setInterval(() => {
        try {
          adopt();
        } catch {
          // an unreadable spool folder: tried again at the next beat
        }
      }, options.adoptMs ?? 1000)
    : null;
  adoptTimer?.unref();
  const probeTimer = probe
    ? setInterval(() => {
        if (closed || failure || !opened || inFlight > 0 || pending.length > 0) return;
        probe().catch((error: unknown) => {
          if (!failure && !closed) fail(error, 'check');
        });
      }, options.probeMs ?? 5000)
    : null;
  probeTimer?.unref();

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
      spooled(asEntries(pending.slice(-1)));
      if (trim() && spool && spool.lines > 2 * maxPending) spooled(asEntries(pending), true);
      if (failure) return; // the retry timer writes them
      if (pending.length >= batchSize || batchMs === 0) void flush();
      else if (!timer) {
        timer = setTimeout(() => void flush(), batchMs);
        timer.unref();
      }
    },
    async recordFeedback(messageId, rating, comment) {
      const masked = comment === undefined ? null : maskPersonalData(comment);
      const at = new Date(clock()).toISOString();
      if (await flush()) {
        try {
          return await backend.rate(messageId, rating, masked, at);
        } catch (error) {
          fail(error, 'write');
        }
      }
      const row = pending.find((r) => r[0] === messageId);
      if (!row) throw unavailable();
      row[10] = rating;
      row[11] = masked;
      row[12] = at;
      spooled([{ rate: [messageId, rating, masked, at] }]);
      return true;
    },
    gaps(limit = 50) {
      return read(() => backend.gaps(limit));
    },
    get(messageId) {
      return read(() => backend.get(messageId));
    },
    settle: () => (closed ? Promise.resolve(pending.length === 0) : flush()),
    status() {
      const base = { pending: pending.length + inFlight, dropped, failures };
      if (!failure) return { status: 'ok', ...base };
      return {
        status: 'degraded',
        ...base,
        message:
          `问题记录库 ${where} 无法写入（${failure.reason}）。问答照常进行，记录暂存在内存中（最多 ${maxPending} 条，` +
          `已暂存 ${base.pending} 条，已丢弃 ${dropped} 条），服务会自动重试。${backend.advice}`,
      };
    },
    async close() {
      if (closed) return;
      if (probeTimer) clearInterval(probeTimer);
      if (adoptTimer) clearInterval(adoptTimer);
      if (retryTimer) clearTimeout(retryTimer);
      retryTimer = null;
      failure = null; // one last attempt, with no retry after it
      closed = true;
      await flush();
      if (pending.length > 0)
        logger?.error(
          { where, rows: pending.length, spool: spool?.file ?? null },
          spool
            ? 'question log closed with rows it could not write: kept in the spool for the next start'
            : 'question log closed with rows it could not write',
        );
      if (pending.length === 0) spooled([], true);
      try {
        spool?.close();
      } catch {
        // nothing more to keep
      }
      spool = null;
      await backend.close().catch(() => {});
    },
  };
}
