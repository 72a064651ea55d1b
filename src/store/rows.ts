/**
 * Database rows to records, for both databases: SQLite returns JSON columns as text and
 * flags as 0/1, PostgreSQL returns jsonb parsed, booleans as booleans and bigint as text.
 */
import type { CuratedAnswer } from '../admin/curated.js';
import type { Role, UserRecord } from '../admin/store.js';
import type { StoredQuestion } from '../server/log-store.js';

/** A JSON list column: parsed (PostgreSQL) or its text (SQLite). */
export const stringList = (v: string | string[]): string[] =>
  typeof v === 'string' ? (JSON.parse(v) as string[]) : v;

/** A flag column: boolean (PostgreSQL) or 0/1 (SQLite). */
export const flag = (v: boolean | number): boolean => v === true || v === 1;

export type UserRow = {
  name: string;
  role: Role;
  password_hash: string;
  failed_attempts: number;
  locked_until: number | string | null;
  created_at: string;
};

export const toUser = (r: UserRow): UserRecord => ({
  name: r.name,
  role: r.role,
  passwordHash: r.password_hash,
  failedAttempts: r.failed_attempts,
  lockedUntil: r.locked_until === null ? null : Number(r.locked_until),
  createdAt: r.created_at,
});

export type CuratedRow = {
  id: string;
  version: number;
  question: string;
  paraphrases: string | string[];
  answer: string;
  chunk_ids: string | string[];
  author: string;
  updated_at: string;
};

export const toCurated = (r: CuratedRow): CuratedAnswer => ({
  id: r.id,
  version: r.version,
  question: r.question,
  paraphrases: stringList(r.paraphrases),
  answer: r.answer,
  chunkIds: stringList(r.chunk_ids),
  author: r.author,
  updatedAt: r.updated_at,
});

export type QuestionRow = {
  message_id: string;
  /** ISO text. */
  at: string;
  session_id: string | null;
  transport: StoredQuestion['transport'];
  question: string;
  found: boolean | number;
  cited_chunk_ids: string | string[];
  latency_ms: number;
  mode: string;
  rating: string | null;
  comment: string | null;
};

export const toStoredQuestion = (row: QuestionRow): StoredQuestion => ({
  messageId: row.message_id,
  at: Date.parse(row.at),
  sessionId: row.session_id,
  transport: row.transport,
  question: row.question,
  found: flag(row.found),
  citedChunkIds: stringList(row.cited_chunk_ids),
  latencyMs: row.latency_ms,
  mode: row.mode,
  rating: row.rating,
  comment: row.comment,
});
