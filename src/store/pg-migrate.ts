/**
 * Versioned migrations for PostgreSQL: `NNN_name.sql` files in a folder, applied in order,
 * each recorded in `schema_migrations`. One transaction under an advisory lock, so replicas
 * that start together apply each migration once and none sees a half-made schema; a
 * failed migration leaves the schema as it was.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type pg from 'pg';

/** The advisory lock key every replica takes while migrating (an arbitrary constant). */
export const MIGRATION_LOCK_KEY = 7_406_561_163;

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export interface MigrateResult {
  /** Versions applied by this call. */
  applied: number[];
  /** The schema version after it. */
  version: number;
}

/** The migrations in a folder, in version order; a malformed or repeated number is an error. */
export function readMigrations(dir: string): Migration[] {
  const out: Migration[] = [];
  for (const file of readdirSync(dir).sort()) {
    if (!file.endsWith('.sql')) continue;
    const m = /^(\d+)_([\w-]+)\.sql$/.exec(file);
    if (!m) throw new Error(`migration file name must be NNN_name.sql: ${file}`);
    const version = Number(m[1]);
    if (out.some((x) => x.version === version))
      throw new Error(`two migrations numbered ${version} in ${dir}`);
    out.push({ version, name: m[2]!, sql: readFileSync(path.join(dir, file), 'utf8') });
  }
  return out.sort((a, b) => a.version - b.version);
}

/** Applies the pending migrations of `dir`. */
export async function migrate(pool: pg.Pool, dir: string): Promise<MigrateResult> {
  const migrations = readMigrations(dir);
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const done = new Set(
      (await client.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map(
        (r) => r.version,
      ),
    );
    const applied: number[] = [];
    for (const m of migrations) {
      if (done.has(m.version)) continue;
      await client.query(m.sql);
      await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
        m.version,
        m.name,
      ]);
      applied.push(m.version);
    }
    await client.query('COMMIT');
    client.release();
    const version = Math.max(0, ...done, ...applied);
    return { applied, version };
  } catch (error) {
    await client.query('ROLLBACK').then(
      () => client.release(),
      () => client.release(true),
    );
    throw error;
  }
}
