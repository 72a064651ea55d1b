/**
 * The question log's PostgreSQL backend (DATABASE_URL): the `questions` table of
 * migrations/postgres, shared by every replica, written by src/server/log-store.ts.
 * A batch is one statement over a JSON array.
 */
import type { Gap, LogBackend } from '../server/log-store.js';
import { iso } from './pg-admin-stores.js';
import { unavailableReason, type PgDatabase } from './pg-database.js';
import { toStoredQuestion, type QuestionRow } from './rows.js';

/** The backend over a replica's pool. Closing it leaves the pool open (others share it). */
export function pgLogBackend(db: PgDatabase): LogBackend {
  return {
    where: `PostgreSQL ${db.where}`,
    advice:
      '请检查数据库服务是否在运行、网络是否连通、DATABASE_URL 中的地址和账号密码是否正确；数据库恢复后记录会自动补写。',
    // Opening succeeds only when the server answers: a retry after an outage must not
    // count as a recovery before the database is back.
    async open() {
      await db.ready();
      await db.query('SELECT 1');
    },
    async probe() {
      await db.query('SELECT 1');
    },
    async insert(rows) {
      await db.query(
        `INSERT INTO questions
          (message_id, at, session_id, transport, question, question_key, found, cited_chunk_ids, latency_ms, mode, rating, comment, rated_at)
         SELECT r->>0, (r->>1)::timestamptz, r->>2, r->>3, r->>4, r->>5, (r->>6)::int = 1, (r->>7)::jsonb, (r->>8)::int,
           r->>9, r->>10, r->>11, (r->>12)::timestamptz
         FROM jsonb_array_elements($1::jsonb) AS r
         ON CONFLICT (message_id) DO NOTHING`,
        [JSON.stringify(rows)],
      );
    },
    async rate(messageId, rating, comment, at) {
      const r = await db.query(
        'UPDATE questions SET rating = $1, comment = $2, rated_at = $3 WHERE message_id = $4',
        [rating, comment, at, messageId],
      );
      return (r.rowCount ?? 0) > 0;
    },
    async gaps(limit) {
      const r = await db.query<Gap>(
        `SELECT (array_agg(question ORDER BY at DESC))[1] AS question, count(*)::int AS count,
           ${iso('max(at)')} AS "lastAskedAt"
         FROM questions WHERE NOT found GROUP BY question_key
         ORDER BY count(*) DESC, max(at) DESC LIMIT $1`,
        [limit],
      );
      return r.rows;
    },
    async get(messageId) {
      const r = await db.query<QuestionRow>(
        `SELECT message_id, ${iso('at')} AS at, session_id, transport, question, found, cited_chunk_ids,
           latency_ms, mode, rating, comment FROM questions WHERE message_id = $1`,
        [messageId],
      );
      return r.rows[0] ? toStoredQuestion(r.rows[0]) : null;
    },
    reset() {
      // The pool replaces broken connections itself.
    },
    reason(error) {
      return unavailableReason((error as { cause?: unknown }).cause ?? error) ?? '数据库出错';
    },
    async close() {
      // The pool is closed by its owner (src/store/storage.ts).
    },
  };
}
