/**
 * Read queries over the question log (the `questions` table log-store.ts writes) for the
 * console: gap tallies, the feedback list, daily figures, cited passages, the CSV export,
 * and the retention purge. This file holds the interface and its SQLite implementation (a
 * connection of its own on the same file); src/store/pg-log-reader.ts is PostgreSQL's.
 */
import type Database from 'better-sqlite3';
import { flag, stringList } from '../store/rows.js';
import type { QuestionTally } from './gaps.js';

export interface FeedbackRow {
  messageId: string;
  at: string;
  question: string;
  found: boolean;
  rating: 'up' | 'down';
  comment: string | null;
  ratedAt: string | null;
  citedChunkIds: string[];
}

export interface DayFigures {
  /** YYYY-MM-DD (UTC). */
  day: string;
  questions: number;
  answered: number;
  up: number;
  down: number;
}

export interface LogRow {
  at: string;
  sessionId: string | null;
  transport: string;
  question: string;
  found: boolean;
  mode: string;
  latencyMs: number;
  rating: string | null;
  comment: string | null;
  citedChunkIds: string[];
}

/** A time range: ISO timestamps, `to` exclusive. */
export interface Range {
  from: string;
  to: string;
}

export interface LogReader {
  /** Distinct wordings in the range; `gapsOnly`: refused or down-voted askings only. */
  tallies(range: Range, gapsOnly: boolean, limit?: number): Promise<QuestionTally[]>;
  /** Rated answers, newest first. */
  feedback(limit: number, rating?: 'up' | 'down'): Promise<FeedbackRow[]>;
  days(range: Range): Promise<DayFigures[]>;
  /** How often each passage was cited in the range. */
  citedCounts(range: Range): Promise<Map<string, number>>;
  /** Every logged question in the range, oldest first (read a page at a time). */
  rows(range: Range): AsyncIterable<LogRow>;
  /** Deletes questions asked before `before` (ISO); returns how many. */
  purgeBefore(before: string): Promise<number>;
}

export type Raw = {
  message_id: string;
  at: string;
  session_id: string | null;
  transport: string;
  question: string;
  found: number;
  cited_chunk_ids: string;
  latency_ms: number;
  mode: string;
  rating: string | null;
  comment: string | null;
  rated_at: string | null;
};

/** Rows the export reads per query. */
export const ROWS_PAGE = 1000;

/** A log row as the export shows it. */
export function toLogRow(
  r: Omit<Raw, 'cited_chunk_ids' | 'found'> & {
    found: number | boolean;
    cited_chunk_ids: string | string[];
  },
): LogRow {
  return {
    at: r.at,
    sessionId: r.session_id,
    transport: r.transport,
    question: r.question,
    found: flag(r.found),
    mode: r.mode,
    latencyMs: r.latency_ms,
    rating: r.rating,
    comment: r.comment,
    citedChunkIds: stringList(r.cited_chunk_ids),
  };
}

/** The reader over an open database (the console's connection to wenzheng.sqlite). */
export function createLogReader(db: Database.Database): LogReader {
  const hasTable = () =>
    db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'questions'").get() !==
    undefined;
  const ids = (s: string) => JSON.parse(s) as string[];
  return {
    async tallies(range, gapsOnly, limit = 2000) {
      if (!hasTable()) return [];
      // The same conditions on the outer rows and on the subquery that finds the latest asking.
      const where = (t: string) =>
        `${t}.at >= @from AND ${t}.at < @to${gapsOnly ? ` AND (${t}.found = 0 OR ${t}.rating = 'down')` : ''}`;
      const rows = db
        .prepare(
          `SELECT question_key AS key, COUNT(*) AS count, MIN(at) AS firstAt, MAX(at) AS lastAt,
            SUM(CASE WHEN rating = 'down' THEN 1 ELSE 0 END) AS downVotes,
            (SELECT q2.question || char(31) || q2.cited_chunk_ids FROM questions q2
              WHERE q2.question_key = q.question_key AND ${where('q2')} ORDER BY q2.at DESC LIMIT 1) AS last
          FROM questions q WHERE ${where('q')} GROUP BY question_key ORDER BY count DESC, lastAt DESC LIMIT @limit`,
        )
        .all({ ...range, limit }) as Array<{
        key: string;
        count: number;
        firstAt: string;
        lastAt: string;
        downVotes: number;
        last: string;
      }>;
      return rows.map((r) => {
        const [question = '', cited = '[]'] = r.last.split('\u001f');
        return {
          key: r.key,
          question,
          count: r.count,
          firstAt: r.firstAt,
          lastAt: r.lastAt,
          downVotes: r.downVotes,
          chunkIds: ids(cited),
        };
      });
    },
    async feedback(limit, rating) {
      if (!hasTable()) return [];
      const rows = db
        .prepare(
          `SELECT * FROM questions WHERE rating IS NOT NULL ${rating ? 'AND rating = @rating' : ''} ORDER BY rated_at DESC LIMIT @limit`,
        )
        .all({ limit, rating: rating ?? null }) as Raw[];
      return rows.map((r) => ({
        messageId: r.message_id,
        at: r.at,
        question: r.question,
        found: r.found === 1,
        rating: r.rating as 'up' | 'down',
        comment: r.comment,
        ratedAt: r.rated_at,
        citedChunkIds: ids(r.cited_chunk_ids),
      }));
    },
    async days(range) {
      if (!hasTable()) return [];
      return db
        .prepare(
          `SELECT substr(at, 1, 10) AS day, COUNT(*) AS questions, SUM(found) AS answered,
            SUM(CASE WHEN rating = 'up' THEN 1 ELSE 0 END) AS up, SUM(CASE WHEN rating = 'down' THEN 1 ELSE 0 END) AS down
          FROM questions WHERE at >= @from AND at < @to GROUP BY day ORDER BY day`,
        )
        .all(range) as DayFigures[];
    },
    async citedCounts(range) {
      const counts = new Map<string, number>();
      if (!hasTable()) return counts;
      const rows = db
        .prepare(
          `SELECT j.value AS chunkId, COUNT(*) AS n FROM questions, json_each(questions.cited_chunk_ids) j
          WHERE at >= @from AND at < @to AND found = 1 GROUP BY j.value`,
        )
        .all(range) as Array<{ chunkId: string; n: number }>;
      for (const r of rows) counts.set(r.chunkId, r.n);
      return counts;
    },
    async *rows(range) {
      if (!hasTable()) return;
      // A page at a time (by at, then message id): the connection is free between pages
      // for the console's other requests while the export streams.
      const page = db.prepare(
        `SELECT * FROM questions WHERE at < @to AND (at > @at OR (at = @at AND message_id > @id))
        ORDER BY at, message_id LIMIT ${ROWS_PAGE}`,
      );
      let after = { at: range.from, id: '' };
      // The first page starts at `from` itself (at = from AND message_id > '' covers it).
      for (;;) {
        const batch = page.all({ to: range.to, at: after.at, id: after.id }) as Raw[];
        for (const r of batch) yield toLogRow(r);
        if (batch.length < ROWS_PAGE) return;
        const last = batch[batch.length - 1]!;
        after = { at: last.at, id: last.message_id };
      }
    },
    async purgeBefore(before) {
      if (!hasTable()) return 0;
      return db.prepare('DELETE FROM questions WHERE at < ?').run(before).changes;
    },
  };
}
