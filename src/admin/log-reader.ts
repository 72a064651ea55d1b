/**
 * Read queries over the question log (the `questions` table log-store.ts writes) for the
 * console: gap tallies, the feedback list, daily figures, cited passages, the CSV export,
 * and the retention purge. A connection of its own on the same file.
 */
import type Database from 'better-sqlite3';
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
  tallies(range: Range, gapsOnly: boolean, limit?: number): QuestionTally[];
  /** Rated answers, newest first. */
  feedback(limit: number, rating?: 'up' | 'down'): FeedbackRow[];
  days(range: Range): DayFigures[];
  /** How often each passage was cited in the range. */
  citedCounts(range: Range): Map<string, number>;
  /** Every logged question in the range, oldest first. */
  rows(range: Range): IterableIterator<LogRow>;
  /** Deletes questions asked before `before` (ISO); returns how many. */
  purgeBefore(before: string): number;
}

type Raw = {
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

/** The reader over an open database (the console's connection to wenzheng.sqlite). */
export function createLogReader(db: Database.Database): LogReader {
  const hasTable = () =>
    db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'questions'").get() !==
    undefined;
  const ids = (s: string) => JSON.parse(s) as string[];
  return {
    tallies(range, gapsOnly, limit = 2000) {
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
    feedback(limit, rating) {
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
    days(range) {
      if (!hasTable()) return [];
      return db
        .prepare(
          `SELECT substr(at, 1, 10) AS day, COUNT(*) AS questions, SUM(found) AS answered,
            SUM(CASE WHEN rating = 'up' THEN 1 ELSE 0 END) AS up, SUM(CASE WHEN rating = 'down' THEN 1 ELSE 0 END) AS down
          FROM questions WHERE at >= @from AND at < @to GROUP BY day ORDER BY day`,
        )
        .all(range) as DayFigures[];
    },
    citedCounts(range) {
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
    *rows(range) {
      if (!hasTable()) return;
      for (const r of db
        .prepare('SELECT * FROM questions WHERE at >= @from AND at < @to ORDER BY at')
        .iterate(range) as IterableIterator<Raw>) {
        yield {
          at: r.at,
          sessionId: r.session_id,
          transport: r.transport,
          question: r.question,
          found: r.found === 1,
          mode: r.mode,
          latencyMs: r.latency_ms,
          rating: r.rating,
          comment: r.comment,
          citedChunkIds: ids(r.cited_chunk_ids),
        };
      }
    },
    purgeBefore(before) {
      if (!hasTable()) return 0;
      return db.prepare('DELETE FROM questions WHERE at < ?').run(before).changes;
    },
  };
}
