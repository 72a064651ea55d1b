/**
 * The console's stores (store.ts) on SQLite: tables prefixed `admin_` in the question
 * log's file, `<DATA_DIR>/wenzheng.sqlite`, through a connection of their own (WAL lets
 * it read and write beside the log store's). better-sqlite3 is synchronous; the methods
 * return promises only to keep the interface PostgreSQL's (src/store/pg-admin-stores.ts).
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { toCurated, toUser, type CuratedRow, type UserRow } from '../store/rows.js';
import type {
  AdminStores,
  AuditEntry,
  JobRecord,
  SessionRecord,
  SynonymRecord,
  Verdict,
  VerdictRecord,
} from './store.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS admin_users (
  name TEXT PRIMARY KEY, role TEXT NOT NULL, password_hash TEXT NOT NULL,
  failed_attempts INTEGER NOT NULL DEFAULT 0, locked_until INTEGER, created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS admin_sessions (
  id_hash TEXT PRIMARY KEY, user TEXT NOT NULL, csrf_token TEXT NOT NULL, expires_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS admin_audit (
  id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, actor TEXT NOT NULL,
  action TEXT NOT NULL, target TEXT NOT NULL, detail TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS admin_curated (
  id TEXT NOT NULL, version INTEGER NOT NULL, question TEXT NOT NULL, paraphrases TEXT NOT NULL,
  answer TEXT NOT NULL, chunk_ids TEXT NOT NULL, author TEXT NOT NULL, updated_at TEXT NOT NULL,
  withdrawn INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (id, version));
CREATE TABLE IF NOT EXISTS admin_synonyms (
  id INTEGER PRIMARY KEY AUTOINCREMENT, official TEXT NOT NULL, everyday TEXT NOT NULL,
  author TEXT NOT NULL, at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS admin_settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS admin_verdicts (
  question_key TEXT PRIMARY KEY, verdict TEXT NOT NULL, by TEXT NOT NULL, at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS admin_jobs (job_id TEXT PRIMARY KEY, created_at TEXT NOT NULL, body TEXT NOT NULL);
`;

export interface SqliteAdminStoresOptions {
  /** DATA_DIR (the file is wenzheng.sqlite inside it). */
  dir: string;
  /** @default Date.now */
  clock?: () => number;
}

/** The database file the question log and the console share. */
export function databaseFile(dir: string): string {
  return path.join(dir, 'wenzheng.sqlite');
}

/** Opens the console's stores; jobs left queued or running by a previous process are marked failed. */
export function openSqliteAdminStores(
  options: SqliteAdminStoresOptions,
): AdminStores & { db: Database.Database } {
  mkdirSync(options.dir, { recursive: true });
  const clock = options.clock ?? Date.now;
  const iso = () => new Date(clock()).toISOString();
  const db = new Database(databaseFile(options.dir));
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  db.exec(SCHEMA);

  const latestCurated = db.prepare(`SELECT c.* FROM admin_curated c
    JOIN (SELECT id, MAX(version) AS v FROM admin_curated GROUP BY id) m ON m.id = c.id AND m.v = c.version
    WHERE c.withdrawn = 0 ORDER BY c.updated_at DESC`);
  const saveJob = db.prepare(
    'INSERT INTO admin_jobs (job_id, created_at, body) VALUES (?, ?, ?) ON CONFLICT(job_id) DO UPDATE SET body = excluded.body',
  );

  for (const row of db
    .prepare(
      "SELECT body FROM admin_jobs WHERE json_extract(body, '$.state') IN ('queued', 'running')",
    )
    .all() as Array<{ body: string }>) {
    const job = JSON.parse(row.body) as JobRecord;
    saveJob.run(
      job.jobId,
      job.createdAt,
      JSON.stringify({
        ...job,
        state: 'failed',
        error: '服务重启，任务中断，请重新提交。',
        finishedAt: iso(),
      }),
    );
  }

  return {
    db,
    users: {
      get: async (name) => {
        const row = db.prepare('SELECT * FROM admin_users WHERE name = ?').get(name) as
          UserRow | undefined;
        return row ? toUser(row) : null;
      },
      list: async () =>
        (db.prepare('SELECT * FROM admin_users ORDER BY name').all() as UserRow[]).map(toUser),
      add: async (name, role, hash) => {
        db.prepare(
          'INSERT INTO admin_users (name, role, password_hash, created_at) VALUES (?, ?, ?, ?)',
        ).run(name, role, hash, iso());
      },
      setPassword: async (name, hash) =>
        db
          .prepare(
            'UPDATE admin_users SET password_hash = ?, failed_attempts = 0, locked_until = NULL WHERE name = ?',
          )
          .run(hash, name).changes > 0,
      remove: async (name) =>
        db.prepare('DELETE FROM admin_users WHERE name = ?').run(name).changes > 0,
      recordFailure: async (name) => {
        db.prepare(
          'UPDATE admin_users SET failed_attempts = failed_attempts + 1 WHERE name = ?',
        ).run(name);
        const row = db
          .prepare('SELECT failed_attempts FROM admin_users WHERE name = ?')
          .get(name) as { failed_attempts: number } | undefined;
        return row?.failed_attempts ?? 0;
      },
      clearFailures: async (name) => {
        db.prepare(
          'UPDATE admin_users SET failed_attempts = 0, locked_until = NULL WHERE name = ?',
        ).run(name);
      },
      lock: async (name, until) => {
        db.prepare(
          'UPDATE admin_users SET locked_until = ?, failed_attempts = 0 WHERE name = ?',
        ).run(until, name);
      },
    },
    sessions: {
      create: async (s: SessionRecord) => {
        db.prepare(
          'INSERT INTO admin_sessions (id_hash, user, csrf_token, expires_at) VALUES (?, ?, ?, ?)',
        ).run(s.idHash, s.user, s.csrfToken, s.expiresAt);
      },
      get: async (idHash) => {
        const r = db.prepare('SELECT * FROM admin_sessions WHERE id_hash = ?').get(idHash) as
          { id_hash: string; user: string; csrf_token: string; expires_at: number } | undefined;
        return r
          ? { idHash: r.id_hash, user: r.user, csrfToken: r.csrf_token, expiresAt: r.expires_at }
          : null;
      },
      delete: async (idHash) => {
        db.prepare('DELETE FROM admin_sessions WHERE id_hash = ?').run(idHash);
      },
      deleteForUser: async (user) => {
        db.prepare('DELETE FROM admin_sessions WHERE user = ?').run(user);
      },
      purgeExpired: async (now) => {
        db.prepare('DELETE FROM admin_sessions WHERE expires_at < ?').run(now);
      },
    },
    audit: {
      record: async (e) => {
        db.prepare(
          'INSERT INTO admin_audit (at, actor, action, target, detail) VALUES (?, ?, ?, ?, ?)',
        ).run(iso(), e.actor, e.action, e.target, e.detail);
      },
      list: async (limit) =>
        db
          .prepare(
            'SELECT at, actor, action, target, detail FROM admin_audit ORDER BY id DESC LIMIT ?',
          )
          .all(limit) as AuditEntry[],
    },
    curated: {
      list: async () => (latestCurated.all() as CuratedRow[]).map(toCurated),
      history: async (id) =>
        (
          db
            .prepare('SELECT * FROM admin_curated WHERE id = ? ORDER BY version DESC')
            .all(id) as CuratedRow[]
        ).map(toCurated),
      save: async (draft, author, id) => {
        const curatedId = id ?? randomUUID();
        const row = db
          .prepare('SELECT MAX(version) AS v FROM admin_curated WHERE id = ?')
          .get(curatedId) as { v: number | null };
        const version = (row.v ?? 0) + 1;
        const at = iso();
        db.prepare(
          `INSERT INTO admin_curated (id, version, question, paraphrases, answer, chunk_ids, author, updated_at)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(
          curatedId,
          version,
          draft.question,
          JSON.stringify(draft.paraphrases),
          draft.answer,
          JSON.stringify(draft.chunkIds),
          author,
          at,
        );
        return { ...draft, id: curatedId, version, author, updatedAt: at };
      },
      remove: async (id, author) => {
        const last = db
          .prepare('SELECT * FROM admin_curated WHERE id = ? ORDER BY version DESC LIMIT 1')
          .get(id) as CuratedRow | undefined;
        if (!last) return false;
        // Withdrawing is a version too, so the history shows who withdrew it and when.
        db.prepare(
          `INSERT INTO admin_curated (id, version, question, paraphrases, answer, chunk_ids, author, updated_at, withdrawn)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1)`,
        ).run(
          id,
          last.version + 1,
          last.question,
          last.paraphrases,
          last.answer,
          last.chunk_ids,
          author,
          iso(),
        );
        return true;
      },
    },
    synonyms: {
      list: async () =>
        (
          db.prepare('SELECT * FROM admin_synonyms ORDER BY id').all() as Array<{
            id: number;
            official: string;
            everyday: string;
            author: string;
            at: string;
          }>
        ).map((r): SynonymRecord => ({
          id: r.id,
          official: JSON.parse(r.official) as string[],
          everyday: JSON.parse(r.everyday) as string[],
          author: r.author,
          at: r.at,
        })),
      add: async (entry, author) => {
        const at = iso();
        const info = db
          .prepare(
            'INSERT INTO admin_synonyms (official, everyday, author, at) VALUES (?, ?, ?, ?)',
          )
          .run(JSON.stringify(entry.official), JSON.stringify(entry.everyday), author, at);
        return { ...entry, id: Number(info.lastInsertRowid), author, at };
      },
      remove: async (id) =>
        db.prepare('DELETE FROM admin_synonyms WHERE id = ?').run(id).changes > 0,
    },
    settings: {
      get: async () => {
        const out: Record<string, unknown> = {};
        for (const r of db.prepare('SELECT key, value FROM admin_settings').all() as Array<{
          key: string;
          value: string;
        }>)
          out[r.key] = JSON.parse(r.value);
        return out;
      },
      set: async (values) => {
        const put = db.prepare(
          'INSERT INTO admin_settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
        );
        db.transaction(() => {
          for (const [k, v] of Object.entries(values)) put.run(k, JSON.stringify(v));
        })();
      },
    },
    verdicts: {
      all: async () => {
        const out = new Map<string, VerdictRecord>();
        for (const r of db.prepare('SELECT * FROM admin_verdicts').all() as Array<{
          question_key: string;
          verdict: Verdict;
          by: string;
          at: string;
        }>) {
          out.set(r.question_key, { verdict: r.verdict, by: r.by, at: r.at });
        }
        return out;
      },
      set: async (keys, verdict, by) => {
        const put = db.prepare(
          'INSERT INTO admin_verdicts (question_key, verdict, by, at) VALUES (?, ?, ?, ?) ON CONFLICT(question_key) DO UPDATE SET verdict = excluded.verdict, by = excluded.by, at = excluded.at',
        );
        const del = db.prepare('DELETE FROM admin_verdicts WHERE question_key = ?');
        const at = iso();
        db.transaction(() => {
          for (const k of keys) {
            if (verdict) put.run(k, verdict, by, at);
            else del.run(k);
          }
        })();
      },
    },
    jobs: {
      save: async (job) => {
        saveJob.run(job.jobId, job.createdAt, JSON.stringify(job));
      },
      get: async (jobId) => {
        const r = db.prepare('SELECT body FROM admin_jobs WHERE job_id = ?').get(jobId) as
          { body: string } | undefined;
        return r ? (JSON.parse(r.body) as JobRecord) : null;
      },
      list: async (limit) =>
        (
          db
            .prepare('SELECT body FROM admin_jobs ORDER BY created_at DESC LIMIT ?')
            .all(limit) as Array<{ body: string }>
        ).map((r) => JSON.parse(r.body) as JobRecord),
    },
    close: async () => {
      if (db.open) db.close();
    },
  };
}
