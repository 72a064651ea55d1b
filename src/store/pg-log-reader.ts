/**
 * The console's read queries over the question log (src/admin/log-reader.ts) on
 * PostgreSQL: the same answers as the SQLite reader, over every replica's questions.
 */
import type { QuestionTally } from '../admin/gaps.js';
import {
  ROWS_PAGE,
  toLogRow,
  type DayFigures,
  type FeedbackRow,
  type LogReader,
  type Raw,
} from '../admin/log-reader.js';
import { iso } from './pg-admin-stores.js';
import type { PgDatabase } from './pg-database.js';

type PgRaw = Omit<Raw, 'found' | 'cited_chunk_ids'> & { found: boolean; cited_chunk_ids: string[] };

const COLUMNS = `message_id, ${iso('at')} AS at, session_id, transport, question, found, cited_chunk_ids,
  latency_ms, mode, rating, comment, ${iso('rated_at')} AS rated_at`;

/** The reader over a replica's pool. */
export function pgLogReader(db: PgDatabase): LogReader {
  return {
    async tallies(range, gapsOnly, limit = 2000) {
      const r = await db.query<QuestionTally>(
        `SELECT question_key AS key, count(*)::int AS count, ${iso('min(at)')} AS "firstAt",
           ${iso('max(at)')} AS "lastAt", (count(*) FILTER (WHERE rating = 'down'))::int AS "downVotes",
           (array_agg(question ORDER BY at DESC))[1] AS question,
           (array_agg(cited_chunk_ids ORDER BY at DESC))[1] AS "chunkIds"
         FROM questions WHERE at >= $1 AND at < $2 ${gapsOnly ? `AND (NOT found OR rating = 'down')` : ''}
         GROUP BY question_key ORDER BY count(*) DESC, max(at) DESC LIMIT $3`,
        [range.from, range.to, limit],
      );
      return r.rows;
    },
    async feedback(limit, rating) {
      const r = await db.query<PgRaw>(
        `SELECT ${COLUMNS} FROM questions WHERE rating IS NOT NULL ${rating ? 'AND rating = $2' : ''}
         ORDER BY questions.rated_at DESC LIMIT $1`,
        rating ? [limit, rating] : [limit],
      );
      return r.rows.map((q): FeedbackRow => ({
        messageId: q.message_id,
        at: q.at,
        question: q.question,
        found: q.found,
        rating: q.rating as 'up' | 'down',
        comment: q.comment,
        ratedAt: q.rated_at,
        citedChunkIds: q.cited_chunk_ids,
      }));
    },
    async days(range) {
      const r = await db.query<DayFigures>(
        `SELECT to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, count(*)::int AS questions,
           (count(*) FILTER (WHERE found))::int AS answered,
           (count(*) FILTER (WHERE rating = 'up'))::int AS up,
           (count(*) FILTER (WHERE rating = 'down'))::int AS down
         FROM questions WHERE at >= $1 AND at < $2 GROUP BY day ORDER BY day`,
        [range.from, range.to],
      );
      return r.rows;
    },
    async citedCounts(range) {
      const r = await db.query<{ chunkId: string; n: number }>(
        `SELECT j AS "chunkId", count(*)::int AS n
         FROM questions, jsonb_array_elements_text(cited_chunk_ids) AS j
         WHERE at >= $1 AND at < $2 AND found GROUP BY j`,
        [range.from, range.to],
      );
      return new Map(r.rows.map((c) => [c.chunkId, c.n]));
    },
    async *rows(range) {
      // Keyset pages: no cursor holds a connection while the export streams to a slow client.
      let after: { at: string; id: string } | null = null;
      for (;;) {
        const r: { rows: PgRaw[] } = after
          ? await db.query<PgRaw>(
              `SELECT ${COLUMNS} FROM questions WHERE questions.at < $1 AND (questions.at, message_id) > ($2::timestamptz, $3)
               ORDER BY questions.at, message_id LIMIT ${ROWS_PAGE}`,
              [range.to, after.at, after.id],
            )
          : await db.query<PgRaw>(
              `SELECT ${COLUMNS} FROM questions WHERE questions.at >= $1 AND questions.at < $2
               ORDER BY questions.at, message_id LIMIT ${ROWS_PAGE}`,
              [range.from, range.to],
            );
        for (const q of r.rows) yield toLogRow(q);
        if (r.rows.length < ROWS_PAGE) return;
        const last = r.rows[r.rows.length - 1]!;
        after = { at: last.at, id: last.message_id };
      }
    },
    async purgeBefore(before) {
      const r = await db.query('DELETE FROM questions WHERE at < $1', [before]);
      return r.rowCount ?? 0;
    },
  };
}
