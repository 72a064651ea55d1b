/**
 * Rate and connection limits. HTTP questions are limited by express-rate-limit (per IP and
 * per session id); WebSocket questions and sockets are counted here, separately, with the
 * same per-minute settings. A limit of 0 turns it off (the benchmarks use that).
 */
import type { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { AppError } from '../errors.js';

/** Counts hits per key in fixed one-window buckets. */
export interface WindowCounter {
  /** Records one hit; false when the key is over its limit for this window. */
  hit(key: string): boolean;
}

export interface WindowCounterOptions {
  /** Hits allowed per key per window; 0 turns the limit off. */
  limit: number;
  /** @default 60_000 */
  windowMs?: number;
  /** @default Date.now */
  clock?: () => number;
}

/** A fixed-window counter, the same model express-rate-limit's MemoryStore uses. */
export function createWindowCounter(options: WindowCounterOptions): WindowCounter {
  const { limit } = options;
  const windowMs = options.windowMs ?? 60_000;
  const clock = options.clock ?? Date.now;
  let windowStart = clock();
  let counts = new Map<string, number>();
  return {
    hit(key) {
      if (limit === 0) return true;
      const now = clock();
      if (now - windowStart >= windowMs) {
        // Dropping the whole map at each window bounds memory by one window's clients.
        windowStart = now;
        counts = new Map();
      }
      const count = (counts.get(key) ?? 0) + 1;
      counts.set(key, count);
      return count <= limit;
    },
  };
}

/** Counts open sockets per key. */
export interface ConnectionCounter {
  /** Takes a slot; false (and nothing taken) when the key is at its maximum. */
  acquire(key: string): boolean;
  release(key: string): void;
  count(key: string): number;
}

/** @param max sockets per key; 0 turns the limit off. */
export function createConnectionCounter(max: number): ConnectionCounter {
  const open = new Map<string, number>();
  return {
    acquire(key) {
      const count = open.get(key) ?? 0;
      if (max !== 0 && count >= max) return false;
      open.set(key, count + 1);
      return true;
    },
    release(key) {
      const count = (open.get(key) ?? 0) - 1;
      if (count > 0) open.set(key, count);
      else open.delete(key);
    },
    count(key) {
      return open.get(key) ?? 0;
    },
  };
}

/** Express's compiled `trust proxy` predicate (`app.get('trust proxy fn')`). */
export type TrustFn = (address: string, hop: number) => boolean;

/**
 * The client address of a raw request (a WebSocket upgrade never becomes an Express
 * request), by the same walk as Express's `req.ip` (proxy-addr): from the socket address
 * back through X-Forwarded-For, stopping at the first hop that is not trusted.
 */
export function clientIp(req: IncomingMessage, trust: TrustFn): string {
  const socketAddress = req.socket.remoteAddress ?? '';
  const header = req.headers['x-forwarded-for'];
  const forwarded = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .reverse();
  const chain = [socketAddress, ...forwarded];
  for (let hop = 0; hop < chain.length - 1; hop++) {
    if (!trust(chain[hop]!, hop)) return chain[hop]!;
  }
  return chain[chain.length - 1]!;
}

/** The key an address is limited by: IPv6 addresses by their /56 (one household or host). */
export function ipKey(ip: string): string {
  return ipKeyGenerator(ip);
}

/** Turns TRUST_PROXY into the value Express's `trust proxy` setting expects. */
export function trustProxySetting(value: string): boolean | number | string {
  if (value === 'true') return true;
  if (value === 'false' || value === '') return false;
  if (/^\d+$/.test(value)) return Number(value);
  return value;
}

export interface HttpQuestionLimitOptions {
  perIpPerMinute: number;
  perSessionPerMinute: number;
}

/**
 * Middlewares limiting HTTP questions per IP and per body `sessionId` (mount after the
 * JSON parser). Over the limit they pass RATE_LIMITED to the error translator.
 */
export function httpQuestionLimits(options: HttpQuestionLimitOptions): RequestHandler[] {
  const handler: RequestHandler = (_req, _res, next) => next(new AppError('RATE_LIMITED'));
  const limits: RequestHandler[] = [];
  if (options.perIpPerMinute > 0) {
    limits.push(
      rateLimit({
        windowMs: 60_000,
        limit: options.perIpPerMinute,
        standardHeaders: 'draft-8',
        legacyHeaders: false,
        identifier: 'ip',
        handler,
      }),
    );
  }
  if (options.perSessionPerMinute > 0) {
    limits.push(
      rateLimit({
        windowMs: 60_000,
        limit: options.perSessionPerMinute,
        standardHeaders: false,
        legacyHeaders: false,
        skip: (req) => typeof req.body?.sessionId !== 'string',
        keyGenerator: (req) => `session:${String(req.body.sessionId)}`,
        handler,
      }),
    );
  }
  return limits;
}
