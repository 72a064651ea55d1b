/**
 * Answers to repeated questions, kept in memory (least recently used out first). Citizens
 * ask the same few things (the suggested questions most of all), and the engine answers
 * the same question with the same history the same way for as long as the process has
 * its index, so a repeat is served without the engine. The streamed pieces are kept too,
 * so a cached answer streams like a fresh one.
 *
 * With REDIS_URL the in-memory cache is the first level and a shared one the second
 * (src/shared-state/shared-answers.ts): an answer computed by one replica serves the
 * others, keyed by the engine's scope (index version, synonyms, curated answers, settings).
 */
import { createHash } from 'node:crypto';
import type { Answer } from '../types.js';

export interface CachedAnswer {
  answer: Answer;
  /** The pieces the engine passed to onDelta, in order. */
  deltas: string[];
}

export interface AnswerCache {
  get(question: string, history: readonly string[]): CachedAnswer | undefined;
  set(question: string, history: readonly string[], value: CachedAnswer): void;
  readonly size: number;
}

/** The cache key: the question as asked (trimmed) and the history it follows. */
function keyOf(question: string, history: readonly string[]): string {
  return JSON.stringify([question.trim(), history]);
}

/** A cache shared by replicas (the second level); never rejects, misses when unreachable. */
export interface SharedAnswers {
  get(key: string): Promise<CachedAnswer | undefined>;
  set(key: string, value: CachedAnswer): void;
}

/** The shared cache's key of a question within an engine's scope (hashed: keys stay short). */
export function sharedAnswerKey(scope: string, question: string, history: readonly string[]) {
  return `${scope}:${createHash('sha1').update(keyOf(question, history)).digest('base64url')}`;
}

/** @param max entries kept; 0 turns the cache off. */
export function createAnswerCache(max: number): AnswerCache {
  const entries = new Map<string, CachedAnswer>();
  return {
    get(question, history) {
      if (max === 0) return undefined;
      const key = keyOf(question, history);
      const hit = entries.get(key);
      if (hit) {
        // Map keeps insertion order: re-inserting marks the entry most recently used.
        entries.delete(key);
        entries.set(key, hit);
      }
      return hit;
    },
    set(question, history, value) {
      if (max === 0) return;
      const key = keyOf(question, history);
      entries.delete(key);
      entries.set(key, value);
      if (entries.size > max) entries.delete(entries.keys().next().value!);
    },
    get size() {
      return entries.size;
    },
  };
}
