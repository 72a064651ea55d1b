/**
 * The question log's spool: each accepted row (and each rating kept with a row still
 * waiting) is appended to a file of this process with one synchronous write before the
 * answer goes out, so a process killed with kill -9 loses nothing the kernel was given.
 * When every accepted row is in the database the file starts afresh. A process that
 * starts takes over the files of processes that are gone (their rows are written again;
 * a message id already in the database is skipped) and removes them.
 */
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';

/** One line of a spool file: a row (the columns of PendingRow) or a rating of one. */
export type SpoolEntry =
  | { row: unknown[] }
  | { rate: [messageId: string, rating: string, comment: string | null, at: string] };

export interface LogSpool {
  readonly file: string;
  /** Appends entries (one write); throws when the file cannot be written. */
  append(entries: SpoolEntry[]): void;
  /** Replaces the content (after the rows in it were written, or to compact it). */
  reset(entries?: SpoolEntry[]): void;
  /** Lines appended since the last reset. */
  readonly lines: number;
  close(): void;
}

const NAME = /^spool-(\d+)-([0-9a-f]+)\.jsonl$/;

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

const encode = (entries: SpoolEntry[]) => entries.map((e) => `${JSON.stringify(e)}\n`).join('');

/** Opens this process's spool file in `dir` (created if needed). */
export function openSpool(dir: string): LogSpool {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `spool-${process.pid}-${randomBytes(4).toString('hex')}.jsonl`);
  let fd = openSync(file, 'a');
  let lines = 0;
  return {
    file,
    get lines() {
      return lines;
    },
    append(entries) {
      if (entries.length === 0) return;
      writeSync(fd, encode(entries));
      lines += entries.length;
    },
    reset(entries = []) {
      if (entries.length === 0) {
        ftruncateSync(fd, 0);
      } else {
        // Written beside and renamed: a crash in between leaves the old file or the new one.
        const next = `${file}.next`;
        const nfd = openSync(next, 'w');
        writeSync(nfd, encode(entries));
        closeSync(nfd);
        renameSync(next, file);
        closeSync(fd);
        fd = openSync(file, 'a');
      }
      lines = entries.length;
    },
    close() {
      closeSync(fd);
      if (lines === 0) rmSync(file, { force: true });
    },
  };
}

/**
 * Reads and removes the spool files of processes that are gone (not `own`): their entries,
 * oldest file first. A line cut short by the kill is skipped. Never throws for a file it
 * cannot take.
 */
export function takeOrphanedSpools(dir: string, own: string): SpoolEntry[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const entries: SpoolEntry[] = [];
  for (const name of names.sort()) {
    const m = NAME.exec(name);
    const file = path.join(dir, name);
    if (!m || file === own) continue;
    const pid = Number(m[1]);
    // The same pid is a process before this one (a restarted container is pid 1 again).
    if (pid !== process.pid && alive(pid)) continue;
    // Claimed by an atomic rename first: of two processes that look at once, one takes it.
    // Under this process's pid, so that if it dies holding the file, the next one takes it.
    const claimed = path.join(dir, `spool-${process.pid}-${randomBytes(4).toString('hex')}.jsonl`);
    try {
      renameSync(file, claimed);
    } catch {
      continue; // taken by another process, or the folder is read-only
    }
    for (const line of readFileSync(claimed, 'utf8').split('\n')) {
      if (line.trim() === '') continue;
      try {
        entries.push(JSON.parse(line) as SpoolEntry);
      } catch {
        // the last line, half written when the process died
      }
    }
    rmSync(claimed, { force: true });
  }
  return entries;
}
