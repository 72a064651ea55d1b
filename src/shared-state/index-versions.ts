/**
 * The versioned layout of INDEX_DIR, shared by every replica on one volume:
 *   versions/<id>/   one immutable folder per published index (never written after publishing)
 *   current          a symbolic link to versions/<id>, swapped atomically (rename over it)
 *   .replicas/<id>   which version each running replica serves, kept fresh by a heartbeat
 * An INDEX_DIR of an older release, where `current` is a plain folder, stays readable; the
 * next publish moves that folder into versions/ and replaces it with the link.
 * A version is removed once it is neither current nor served by a replica whose heartbeat
 * is fresh.
 */
import { existsSync, lstatSync, readlinkSync, realpathSync } from 'node:fs';
import {
  mkdir,
  readdir,
  readFile,
  rename,
  rm,
  stat,
  symlink,
  utimes,
  writeFile,
} from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';

/** A replica whose heartbeat is older than this no longer protects its version. */
export const REPLICA_STALE_MS = 30_000;

export const versionsDir = (indexDir: string) => path.join(indexDir, 'versions');
const linkPath = (indexDir: string) => path.join(indexDir, 'current');
const replicasDir = (indexDir: string) => path.join(indexDir, '.replicas');

/** The version `current` names: a folder under versions/, `current` for a plain folder, null when none. */
export function currentVersion(indexDir: string): string | null {
  const link = linkPath(indexDir);
  try {
    if (lstatSync(link).isSymbolicLink()) return path.basename(readlinkSync(link));
    return existsSync(path.join(link, 'manifest.json')) ? 'current' : null;
  } catch {
    return null;
  }
}

/** The folder to read the live index from: `current` resolved once, so every file comes from one version. */
export function liveDir(indexDir: string): string {
  try {
    return realpathSync(linkPath(indexDir));
  } catch {
    return linkPath(indexDir);
  }
}

/** A new version id: sortable by time, unique per process. */
export function newVersionId(clock: () => number = Date.now): string {
  return `v${clock()}-${process.pid}-${Math.random().toString(36).slice(2, 6)}`;
}

/**
 * Publishes a complete index folder (`built`, a sibling under INDEX_DIR) as version `id`
 * and points `current` at it. Returns the id.
 */
export async function publishVersion(indexDir: string, built: string, id: string): Promise<string> {
  await mkdir(versionsDir(indexDir), { recursive: true });
  await rename(built, path.join(versionsDir(indexDir), id));
  const link = linkPath(indexDir);
  try {
    if (!lstatSync(link).isSymbolicLink()) {
      // The layout before versions: the plain folder becomes a version like any other.
      await rename(link, path.join(versionsDir(indexDir), `legacy-${id}`));
    }
  } catch {
    // no current yet
  }
  const tmpLink = path.join(indexDir, `.build-link-${id}`);
  await symlink(path.join('versions', id), tmpLink);
  await rename(tmpLink, link);
  return id;
}

export interface ReplicaRecord {
  replicaId: string;
  version: string;
}

/** Records which version a replica serves (and refreshes its heartbeat). */
export async function registerReplica(indexDir: string, record: ReplicaRecord): Promise<void> {
  await mkdir(replicasDir(indexDir), { recursive: true });
  const file = path.join(replicasDir(indexDir), `${record.replicaId}.json`);
  const body = JSON.stringify({ ...record, host: hostname(), pid: process.pid });
  await writeFile(file, body);
  const now = new Date();
  await utimes(file, now, now);
}

/** Forgets a replica (it is shutting down). */
export async function unregisterReplica(indexDir: string, replicaId: string): Promise<void> {
  await rm(path.join(replicasDir(indexDir), `${replicaId}.json`), { force: true });
}

/** Versions served by replicas with a fresh heartbeat; stale records are removed. */
export async function versionsInUse(
  indexDir: string,
  clock: () => number = Date.now,
): Promise<Set<string>> {
  const inUse = new Set<string>();
  let names: string[];
  try {
    names = await readdir(replicasDir(indexDir));
  } catch {
    return inUse;
  }
  for (const name of names) {
    const file = path.join(replicasDir(indexDir), name);
    try {
      const { mtimeMs } = await stat(file);
      if (clock() - mtimeMs > REPLICA_STALE_MS) {
        await rm(file, { force: true });
        continue;
      }
      const record = JSON.parse(await readFile(file, 'utf8')) as Partial<ReplicaRecord>;
      if (typeof record.version === 'string') inUse.add(record.version);
    } catch {
      // a record being written or removed right now: skip it
    }
  }
  return inUse;
}

/** Removes the versions no replica uses (all but `current` and those in use); returns their ids. */
export async function pruneVersions(
  indexDir: string,
  clock: () => number = Date.now,
): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(versionsDir(indexDir));
  } catch {
    return [];
  }
  const inUse = await versionsInUse(indexDir, clock);
  const current = currentVersion(indexDir);
  const doomed = names.filter((n) => n !== current && !inUse.has(n));
  for (const n of doomed)
    await rm(path.join(versionsDir(indexDir), n), { recursive: true, force: true });
  return doomed;
}
