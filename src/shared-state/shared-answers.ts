/**
 * The second level of the answer cache, in Redis: one key per answer with a time to live,
 * so an answer one replica computed serves the others until the engine's scope changes (a
 * new index version, synonyms, curated answers or settings give a new scope, so an old
 * answer is never served for a new index). Unreachable or slow: a miss, never an error.
 */
import type { CachedAnswer, SharedAnswers } from '../server/answer-cache.js';
import type { RedisLink } from './redis-link.js';

export interface SharedAnswersOptions {
  link: RedisLink;
  ttlSeconds: number;
  /** @default 200 */
  timeoutMs?: number;
}

/** Builds the shared level over the link. */
export function createSharedAnswers(options: SharedAnswersOptions): SharedAnswers {
  const { link, ttlSeconds } = options;
  const timeoutMs = options.timeoutMs ?? 200;
  return {
    async get(key) {
      if (!link.up) return undefined;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<null>((resolve) => {
        timer = setTimeout(() => resolve(null), timeoutMs);
      });
      const text = await Promise.race([
        link.client.get(link.key(`answer:${key}`)).catch(() => null),
        timeout,
      ]);
      clearTimeout(timer);
      if (typeof text !== 'string') return undefined;
      try {
        return JSON.parse(text) as CachedAnswer;
      } catch {
        return undefined;
      }
    },
    set(key, value) {
      if (!link.up) return;
      void link.client
        .set(link.key(`answer:${key}`), JSON.stringify(value), {
          expiration: { type: 'EX', value: ttlSeconds },
        })
        .catch(() => {});
    },
  };
}
