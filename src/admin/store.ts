/**
 * The operator console's persistent state, as small asynchronous interfaces: users,
 * sessions, the audit log, curated answers, synonyms, settings, gap verdicts and jobs.
 * sqlite-store.ts implements them on the question log's SQLite file (the embedded
 * default), src/store/pg-admin-stores.ts on PostgreSQL (DATABASE_URL); both pass the same
 * suite (test/store.test.ts).
 */
import type { CuratedAnswer, CuratedDraft } from './curated.js';
import type { LexiconEntry } from '../text/lexicon.js';

export type Role = 'editor' | 'viewer';

export interface UserRecord {
  name: string;
  role: Role;
  /** `scrypt$N$r$p$salt$hash` (see passwords.ts). */
  passwordHash: string;
  failedAttempts: number;
  /** Epoch ms until which sign-in is refused, or null. */
  lockedUntil: number | null;
  createdAt: string;
}

export interface UserStore {
  get(name: string): Promise<UserRecord | null>;
  list(): Promise<UserRecord[]>;
  add(name: string, role: Role, passwordHash: string): Promise<void>;
  setPassword(name: string, passwordHash: string): Promise<boolean>;
  remove(name: string): Promise<boolean>;
  /** Counts a failed sign-in; returns the count. */
  recordFailure(name: string): Promise<number>;
  /** Clears the failure count and any lock. */
  clearFailures(name: string): Promise<void>;
  lock(name: string, until: number): Promise<void>;
}

export interface SessionRecord {
  /** sha256 of the cookie value (the value itself is never stored). */
  idHash: string;
  user: string;
  csrfToken: string;
  expiresAt: number;
}

export interface SessionStore {
  create(session: SessionRecord): Promise<void>;
  get(idHash: string): Promise<SessionRecord | null>;
  delete(idHash: string): Promise<void>;
  /** Deletes every session of a user (password change, removal). */
  deleteForUser(user: string): Promise<void>;
  purgeExpired(now: number): Promise<void>;
}

export interface AuditEntry {
  at: string;
  actor: string;
  action: string;
  target: string;
  detail: string;
}

export interface AuditStore {
  record(entry: Omit<AuditEntry, 'at'>): Promise<void>;
  /** Newest first. */
  list(limit: number): Promise<AuditEntry[]>;
}

export interface CuratedStore {
  /** The live version of every curated answer. */
  list(): Promise<CuratedAnswer[]>;
  /** Every version of one, newest first. */
  history(id: string): Promise<CuratedAnswer[]>;
  /** A new answer (no id) or a new version of one. */
  save(draft: CuratedDraft, author: string, id?: string): Promise<CuratedAnswer>;
  /** Withdraws it (its versions stay in the history). */
  remove(id: string, author: string): Promise<boolean>;
}

export interface SynonymRecord extends LexiconEntry {
  id: number;
  author: string;
  at: string;
}

export interface SynonymStore {
  list(): Promise<SynonymRecord[]>;
  add(entry: LexiconEntry, author: string): Promise<SynonymRecord>;
  remove(id: number): Promise<boolean>;
}

export interface SettingsStore {
  /** Values the operator set (keys absent: the configured default applies). */
  get(): Promise<Record<string, unknown>>;
  set(values: Record<string, unknown>): Promise<void>;
}

export type Verdict = 'not-in-reports' | 'should-answer';

export interface VerdictRecord {
  verdict: Verdict;
  by: string;
  at: string;
}

export interface VerdictStore {
  /** Verdicts by question key. */
  all(): Promise<Map<string, VerdictRecord>>;
  set(keys: string[], verdict: Verdict | null, by: string): Promise<void>;
}

export type JobState = 'queued' | 'running' | 'done' | 'failed';

export interface JobRecord {
  jobId: string;
  kind: 'upload' | 'delete' | 'update' | 'reindex' | 'startup';
  state: JobState;
  /** The document the job is about (absent for a re-index). */
  docId?: string;
  actor: string;
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
  progress: {
    phase: string;
    files: number;
    filesTotal: number;
    passages: number;
    embedded: number;
    embedTotal: number;
  };
  /** Why it failed, in Chinese. */
  error?: string;
  /** Files that could not be read, with the reason, one per file. */
  failures: Array<{ docId: string; reason: string }>;
  /** Counts of the finished build. */
  result?: {
    documents: number;
    chunks: number;
    added: number;
    changed: number;
    removed: number;
    ms: number;
  };
}

export interface JobStore {
  save(job: JobRecord): Promise<void>;
  get(jobId: string): Promise<JobRecord | null>;
  /** Newest first. */
  list(limit: number): Promise<JobRecord[]>;
}

/** Every store of the console. */
export interface AdminStores {
  users: UserStore;
  sessions: SessionStore;
  audit: AuditStore;
  curated: CuratedStore;
  synonyms: SynonymStore;
  settings: SettingsStore;
  verdicts: VerdictStore;
  jobs: JobStore;
  close(): Promise<void>;
}
