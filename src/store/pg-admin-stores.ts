/**
 * The console's stores (src/admin/store.ts) on PostgreSQL, shared by every replica. What
 * must not race between replicas is one statement or one transaction: a failed sign-in is
 * counted with `failed_attempts + 1 … RETURNING`, a curated answer's next version is
 * numbered under a per-answer advisory lock. Jobs belong to the replica that runs them; a
 * replica that stops touching its row in `replicas` is gone, and its unfinished jobs are
 * marked failed by the next replica that starts.
 */
import { randomUUID } from 'node:crypto';
import type {
  AdminStores,
  AuditEntry,
  JobRecord,
  SynonymRecord,
  Verdict,
  VerdictRecord,
} from '../admin/store.js';
import type { PgDatabase } from './pg-database.js';
import { toCurated, toUser, type CuratedRow, type UserRow } from './rows.js';

/** A timestamptz column as the ISO text the SQLite store keeps (UTC, milliseconds). */
export const iso = (column: string) =>
  `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** How often a replica says it is up, and how long without that it counts as gone. */
const HEARTBEAT_MS = 10_000;
const GONE_AFTER_S = 45;

export interface PgAdminStoresOptions {
  db: PgDatabase;
  /** This replica's id. @default a random UUID */
  replicaId?: string;
  /** @default Date.now */
  clock?: () => number;
}

const USER_COLUMNS = `name, role, password_hash, failed_attempts, locked_until, ${iso('created_at')} AS created_at`;

const CURATED_COLUMNS = `id, version, question, paraphrases, answer, chunk_ids, author, ${iso('updated_at')} AS updated_at`;

/**
 * Opens the stores: registers this replica, then marks failed the jobs left queued or
 * running by replicas that are gone. Rejects (STORE_UNAVAILABLE) when the database cannot
 * be reached or migrated.
 */
export async function openPgAdminStores(
  options: PgAdminStoresOptions,
): Promise<AdminStores & { replicaId: string }> {
  const { db } = options;
  const clock = options.clock ?? Date.now;
  const now = () => new Date(clock()).toISOString();
  const replicaId = options.replicaId ?? randomUUID();

  const touch = () =>
    db.query(
      `INSERT INTO replicas (id) VALUES ($1) ON CONFLICT (id) DO UPDATE SET seen_at = now()`,
      [replicaId],
    );
  await touch();
  await db.query(`DELETE FROM replicas WHERE seen_at < now() - make_interval(secs => $1)`, [
    GONE_AFTER_S * 4,
  ]);
  await db.query(
    `UPDATE admin_jobs SET state = 'failed',
       body = body || jsonb_build_object('state', 'failed', 'error', $2::text, 'finishedAt', $3::text)
     WHERE state IN ('queued', 'running') AND owner <> $1
       AND owner NOT IN (SELECT id FROM replicas WHERE seen_at >= now() - make_interval(secs => $4))`,
    [replicaId, '服务重启，任务中断，请重新提交。', now(), GONE_AFTER_S],
  );
  // A heartbeat that fails (the database is down) is tried again at the next beat.
  const heartbeat = setInterval(() => void touch().catch(() => {}), HEARTBEAT_MS);
  heartbeat.unref();

  const changed = (r: { rowCount: number | null }) => (r.rowCount ?? 0) > 0;

  return {
    replicaId,
    users: {
      async get(name) {
        const r = await db.query<UserRow>(
          `SELECT ${USER_COLUMNS} FROM admin_users WHERE name = $1`,
          [name],
        );
        return r.rows[0] ? toUser(r.rows[0]) : null;
      },
      async list() {
        const r = await db.query<UserRow>(`SELECT ${USER_COLUMNS} FROM admin_users ORDER BY name`);
        return r.rows.map(toUser);
      },
      async add(name, role, hash) {
        await db.query(
          'INSERT INTO admin_users (name, role, password_hash, created_at) VALUES ($1, $2, $3, $4)',
          [name, role, hash, now()],
        );
      },
      async setPassword(name, hash) {
        return changed(
          await db.query(
            'UPDATE admin_users SET password_hash = $1, failed_attempts = 0, locked_until = NULL WHERE name = $2',
            [hash, name],
          ),
        );
      },
      async remove(name) {
        return changed(await db.query('DELETE FROM admin_users WHERE name = $1', [name]));
      },
      async recordFailure(name) {
        const r = await db.query<{ failed_attempts: number }>(
          'UPDATE admin_users SET failed_attempts = failed_attempts + 1 WHERE name = $1 RETURNING failed_attempts',
          [name],
        );
        return r.rows[0]?.failed_attempts ?? 0;
      },
      async clearFailures(name) {
        await db.query(
          'UPDATE admin_users SET failed_attempts = 0, locked_until = NULL WHERE name = $1',
          [name],
        );
      },
      async lock(name, until) {
        await db.query(
          'UPDATE admin_users SET locked_until = $1, failed_attempts = 0 WHERE name = $2',
          [until, name],
        );
      },
    },
    sessions: {
      async create(s) {
        await db.query(
          'INSERT INTO admin_sessions (id_hash, user_name, csrf_token, expires_at) VALUES ($1, $2, $3, $4)',
          [s.idHash, s.user, s.csrfToken, s.expiresAt],
        );
      },
      async get(idHash) {
        const r = await db.query<{
          id_hash: string;
          user_name: string;
          csrf_token: string;
          expires_at: string;
        }>('SELECT * FROM admin_sessions WHERE id_hash = $1', [idHash]);
        const s = r.rows[0];
        return s
          ? {
              idHash: s.id_hash,
              user: s.user_name,
              csrfToken: s.csrf_token,
              expiresAt: Number(s.expires_at),
            }
          : null;
      },
      async delete(idHash) {
        await db.query('DELETE FROM admin_sessions WHERE id_hash = $1', [idHash]);
      },
      async deleteForUser(user) {
        await db.query('DELETE FROM admin_sessions WHERE user_name = $1', [user]);
      },
      async purgeExpired(at) {
        await db.query('DELETE FROM admin_sessions WHERE expires_at < $1', [at]);
      },
    },
    audit: {
      async record(e) {
        await db.query(
          'INSERT INTO admin_audit (at, actor, action, target, detail) VALUES ($1, $2, $3, $4, $5)',
          [now(), e.actor, e.action, e.target, e.detail],
        );
      },
      async list(limit) {
        const r = await db.query<AuditEntry>(
          `SELECT ${iso('at')} AS at, actor, action, target, detail FROM admin_audit ORDER BY id DESC LIMIT $1`,
          [limit],
        );
        return r.rows;
      },
    },
    curated: {
      async list() {
        const r = await db.query<CuratedRow>(
          `SELECT ${CURATED_COLUMNS} FROM (
             SELECT DISTINCT ON (id) * FROM admin_curated ORDER BY id, version DESC) latest
           WHERE NOT withdrawn ORDER BY latest.updated_at DESC`,
        );
        return r.rows.map(toCurated);
      },
      async history(id) {
        const r = await db.query<CuratedRow>(
          `SELECT ${CURATED_COLUMNS} FROM admin_curated WHERE id = $1 ORDER BY version DESC`,
          [id],
        );
        return r.rows.map(toCurated);
      },
      save(draft, author, id) {
        const curatedId = id ?? randomUUID();
        const at = now();
        return db.transaction(async (client) => {
          // Two editors on two replicas saving the same answer get versions n+1 and n+2.
          await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
            `curated:${curatedId}`,
          ]);
          const r = await client.query<{ version: number }>(
            `INSERT INTO admin_curated (id, version, question, paraphrases, answer, chunk_ids, author, updated_at)
             SELECT $1, COALESCE(MAX(version), 0) + 1, $2, $3::jsonb, $4, $5::jsonb, $6, $7
             FROM admin_curated WHERE id = $1 RETURNING version`,
            [
              curatedId,
              draft.question,
              JSON.stringify(draft.paraphrases),
              draft.answer,
              JSON.stringify(draft.chunkIds),
              author,
              at,
            ],
          );
          return { ...draft, id: curatedId, version: r.rows[0]!.version, author, updatedAt: at };
        });
      },
      remove(id, author) {
        return db.transaction(async (client) => {
          await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`curated:${id}`]);
          // Withdrawing is a version too, so the history shows who withdrew it and when.
          const r = await client.query(
            `INSERT INTO admin_curated (id, version, question, paraphrases, answer, chunk_ids, author, updated_at, withdrawn)
             SELECT id, version + 1, question, paraphrases, answer, chunk_ids, $2, $3, true
             FROM admin_curated WHERE id = $1 ORDER BY version DESC LIMIT 1`,
            [id, author, now()],
          );
          return changed(r);
        });
      },
    },
    synonyms: {
      async list() {
        const r = await db.query<{
          id: string;
          official: string[];
          everyday: string[];
          author: string;
          at: string;
        }>(
          `SELECT id, official, everyday, author, ${iso('at')} AS at FROM admin_synonyms ORDER BY id`,
        );
        return r.rows.map((s): SynonymRecord => ({
          id: Number(s.id),
          official: s.official,
          everyday: s.everyday,
          author: s.author,
          at: s.at,
        }));
      },
      async add(entry, author) {
        const at = now();
        const r = await db.query<{ id: string }>(
          'INSERT INTO admin_synonyms (official, everyday, author, at) VALUES ($1::jsonb, $2::jsonb, $3, $4) RETURNING id',
          [JSON.stringify(entry.official), JSON.stringify(entry.everyday), author, at],
        );
        return { ...entry, id: Number(r.rows[0]!.id), author, at };
      },
      async remove(id) {
        return changed(await db.query('DELETE FROM admin_synonyms WHERE id = $1', [id]));
      },
    },
    settings: {
      async get() {
        const r = await db.query<{ key: string; value: unknown }>(
          'SELECT key, value FROM admin_settings',
        );
        return Object.fromEntries(r.rows.map((s) => [s.key, s.value]));
      },
      async set(values) {
        const entries = Object.entries(values);
        if (entries.length === 0) return;
        await db.query(
          `INSERT INTO admin_settings (key, value)
           SELECT key, value FROM jsonb_each($1::jsonb)
           ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
          [JSON.stringify(values)],
        );
      },
    },
    verdicts: {
      async all() {
        const r = await db.query<{
          question_key: string;
          verdict: Verdict;
          by_user: string;
          at: string;
        }>(`SELECT question_key, verdict, by_user, ${iso('at')} AS at FROM admin_verdicts`);
        const out = new Map<string, VerdictRecord>();
        for (const v of r.rows)
          out.set(v.question_key, { verdict: v.verdict, by: v.by_user, at: v.at });
        return out;
      },
      async set(keys, verdict, by) {
        if (verdict === null) {
          await db.query('DELETE FROM admin_verdicts WHERE question_key = ANY($1::text[])', [keys]);
          return;
        }
        await db.query(
          `INSERT INTO admin_verdicts (question_key, verdict, by_user, at)
           SELECT k, $2, $3, $4 FROM unnest($1::text[]) AS k
           ON CONFLICT (question_key) DO UPDATE SET verdict = excluded.verdict, by_user = excluded.by_user, at = excluded.at`,
          [[...new Set(keys)], verdict, by, now()],
        );
      },
    },
    jobs: {
      async save(job) {
        await db.query(
          `INSERT INTO admin_jobs (job_id, created_at, state, owner, body) VALUES ($1, $2, $3, $4, $5::jsonb)
           ON CONFLICT (job_id) DO UPDATE SET state = excluded.state, body = excluded.body`,
          [job.jobId, job.createdAt, job.state, replicaId, JSON.stringify(job)],
        );
      },
      async get(jobId) {
        const r = await db.query<{ body: JobRecord }>(
          'SELECT body FROM admin_jobs WHERE job_id = $1',
          [jobId],
        );
        return r.rows[0]?.body ?? null;
      },
      async list(limit) {
        const r = await db.query<{ body: JobRecord }>(
          'SELECT body FROM admin_jobs ORDER BY created_at DESC LIMIT $1',
          [limit],
        );
        return r.rows.map((j) => j.body);
      },
    },
    async close() {
      clearInterval(heartbeat);
      await db.query('DELETE FROM replicas WHERE id = $1', [replicaId]).catch(() => {});
    },
  };
}
