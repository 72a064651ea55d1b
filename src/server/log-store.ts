/**
 * The question log and feedback, in SQLite (better-sqlite3) at `<DATA_DIR>/wenzheng.sqlite`.
 * Callers pass text that is already masked (see mask.ts); the store masks again anyway, so
 * a forgotten call cannot leak an ID-card number into the file.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { maskPersonalData } from './mask.js';

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

export interface LogStore {
  recordQuestion(record: QuestionRecord): void;
  /** Stores a rating on a logged answer; false when the message id is unknown. */
  recordFeedback(messageId: string, rating: 'up' | 'down', comment?: string): boolean;
  /** Questions answered with found: false, grouped, most frequent first. */
  gaps(limit?: number): Gap[];
  /** One logged question with its rating (for tests and the staff console). */
  get(messageId: string): (QuestionRecord & { rating: string | null; comment: string | null }) | null;
  close(): void;
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

/** Opens (creating if needed) the question log. */
export function createLogStore(options: LogStoreOptions): LogStore {
  const clock = options.clock ?? Date.now;
  options = { batchMs: 50, batchSize: 200, ...options };
  let file = ':memory:';
  if (options.dir !== ':memory:') {
    mkdirSync(options.dir, { recursive: true });
    file = path.join(options.dir, 'wenzheng.sqlite');
  }
  const db = new Database(file);
  // WAL + NORMAL: one fsync per checkpoint rather than per answer; a crash can lose the
  // last few log lines, never corrupt the file.
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(SCHEMA);

  // A batch is one statement over a JSON array (SQLite's json_each): binding and stepping
  // once per batch costs far less than once per row.
  const insertBatch = db.prepare(`INSERT INTO questions
    (message_id, at, session_id, transport, question, question_key, found, cited_chunk_ids, latency_ms, mode)
    SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5, value ->> 6, value ->> 7, value ->> 8, value ->> 9
    FROM json_each(?)`);
  const rate = db.prepare(
    'UPDATE questions SET rating = ?, comment = ?, rated_at = ? WHERE message_id = ?',
  );
  const selectGaps = db.prepare(`SELECT
      (SELECT q2.question FROM questions q2 WHERE q2.found = 0 AND q2.question_key = q.question_key
        ORDER BY q2.at DESC LIMIT 1) AS question,
      COUNT(*) AS count, MAX(at) AS lastAskedAt
    FROM questions q WHERE found = 0 GROUP BY question_key
    ORDER BY count DESC, lastAskedAt DESC LIMIT ?`);
  const selectOne = db.prepare('SELECT * FROM questions WHERE message_id = ?');

  // Answers are logged in batches: one transaction per tick instead of one per answer.
  // Anything that reads the log (or rates an answer) writes the batch first.
  let pending: unknown[][] = [];
  let timer: NodeJS.Timeout | null = null;
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (pending.length === 0 || !db.open) return;
    const rows = pending;
    pending = [];
    insertBatch.run(JSON.stringify(rows));
  };

  return {
    recordQuestion(record) {
      const question = maskPersonalData(record.question);
      // In the column order of insertBatch.
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
      ]);
      if (pending.length >= options.batchSize! || options.batchMs === 0) flush();
      else if (!timer) {
        timer = setTimeout(flush, options.batchMs);
        timer.unref();
      }
    },
    recordFeedback(messageId, rating, comment) {
      flush();
      const masked = comment === undefined ? null : maskPersonalData(comment);
      const at = new Date(clock()).toISOString();
      return rate.run(rating, masked, at, messageId).changes > 0;
    },
    gaps(limit = 50) {
      flush();
      return selectGaps.all(limit) as Gap[];
    },
    get(messageId) {
      flush();
      const row = selectOne.get(messageId) as Row | undefined;
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
    close() {
      flush();
      if (db.open) db.close();
    },
  };
}
