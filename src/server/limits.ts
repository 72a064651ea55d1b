/**
 * Rate and connection limits: one question budget per client shared by HTTP, SSE and
 * WebSocket (per IP and per session id), TCP connections per address, sockets per IP.
 * A limit of 0 turns it off (the benchmarks use that).
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Socket } from 'node:net';
import type { NextFunction, RequestHandler, Response } from 'express';
import { ipKeyGenerator } from 'express-rate-limit';
import { AppError, ERROR_CODES } from '../errors.js';

/** Counts hits per key in fixed one-window buckets. */
export interface WindowCounter {
  /** Records one hit; false when the key is over its limit for this window. */
  hit(key: string): boolean;
  /** Records one hit and says what is left of the key's window. */
  take(key: string): BudgetDecision;
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
  const take = (key: string): BudgetDecision => {
    if (limit === 0) return { ok: true, limit: 0, remaining: 0, resetSeconds: 0 };
    const now = clock();
    if (now - windowStart >= windowMs) {
      // Dropping the whole map at each window bounds memory by one window's clients.
      windowStart = now;
      counts = new Map();
    }
    const count = (counts.get(key) ?? 0) + 1;
    counts.set(key, count);
    const resetSeconds = Math.max(1, Math.ceil((windowStart + windowMs - now) / 1000));
    return { ok: count <= limit, limit, remaining: Math.max(0, limit - count), resetSeconds };
  };
  return {
    take,
    hit: (key) => take(key).ok,
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

/** Whether a client may ask one more question, and when its window resets. */
export interface BudgetDecision {
  ok: boolean;
  /** The limit that decided (per IP, else per session), with what is left of it. */
  limit: number;
  remaining: number;
  /** Seconds until the window resets. */
  resetSeconds: number;
}

/**
 * One question budget per client, shared by HTTP, SSE and WebSocket (and, with REDIS_URL,
 * by every replica: src/shared-state/shared-budget.ts).
 */
export interface QuestionBudget {
  /**
   * Takes one question from the client's IP budget and, when given, its session's.
   * `session` is the body's sessionId (or, on a socket without one, the socket).
   * In-process budgets decide at once; a shared one answers after a round trip.
   */
  take(ip: string, session?: string): BudgetDecision | Promise<BudgetDecision>;
  readonly perIpPerMinute: number;
}

export interface QuestionBudgetOptions {
  /** 0 turns the per-IP limit off. */
  perIpPerMinute: number;
  /** 0 turns the per-session limit off. */
  perSessionPerMinute: number;
  /** @default Date.now */
  clock?: () => number;
}

/** The budget every transport draws from, so that 30 a minute means 30, however they are asked. */
export function createQuestionBudget(options: QuestionBudgetOptions): QuestionBudget {
  const clock = options.clock ?? Date.now;
  const windowMs = 60_000;
  const perIp = createWindowCounter({ limit: options.perIpPerMinute, windowMs, clock });
  const perSession = createWindowCounter({ limit: options.perSessionPerMinute, windowMs, clock });
  return {
    perIpPerMinute: options.perIpPerMinute,
    take(ip, session) {
      const byIp = perIp.take(ipKey(ip));
      if (!byIp.ok || session === undefined) return byIp;
      const bySession = perSession.take(`session:${session}`);
      if (!bySession.ok) return bySession;
      // The headers show the per-IP budget, or the session's when there is no per-IP limit.
      return byIp.limit > 0 ? byIp : bySession;
    },
  };
}

/**
 * Middleware spending the shared budget on an HTTP question (mount after the JSON
 * parser, which gives the sessionId). Sets the IETF RateLimit headers (draft 8) and, over
 * the limit, Retry-After and RATE_LIMITED.
 */
export function httpQuestionLimit(budget: QuestionBudget): RequestHandler {
  const decide = (decision: BudgetDecision, res: Response, next: NextFunction) => {
    if (decision.limit > 0) {
      res.setHeader('RateLimit-Policy', `"questions";q=${decision.limit};w=60`);
      res.setHeader('RateLimit', `"questions";r=${decision.remaining};t=${decision.resetSeconds}`);
    }
    if (decision.ok) return next();
    res.setHeader('Retry-After', String(decision.resetSeconds));
    next(new AppError('RATE_LIMITED'));
  };
  return (req, res, next) => {
    const sessionId =
      typeof req.body?.sessionId === 'string' ? (req.body.sessionId as string) : undefined;
    const decision = budget.take(req.ip ?? req.socket.remoteAddress ?? '', sessionId);
    if (decision instanceof Promise) decision.then((d) => decide(d, res, next), next);
    else decide(decision, res, next);
  };
}

/**
 * Takes a WebSocket slot for a client address: a function that gives it back, or null
 * when the address is at its cap. In-process by default; with REDIS_URL counted across
 * replicas (src/shared-state/shared-sockets.ts).
 */
export type SocketSlots = (ip: string) => (() => void) | null | Promise<(() => void) | null>;

/** Socket slots counted in this process; `max` per address, 0 = no limit. */
export function localSocketSlots(max: number): SocketSlots {
  const counter = createConnectionCounter(max);
  return (ip) => {
    if (!counter.acquire(ip)) return null;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      counter.release(ip);
    };
  };
}

export interface ConnectionCapOptions {
  /** Open TCP connections per socket address; 0 = no limit. */
  maxPerIp: number;
  /** Called when a connection is refused. */
  onRefused?: (ip: string) => void;
}

/**
 * Caps the TCP connections (HTTP keep-alive, SSE, WebSocket alike) one address holds: the
 * one beyond the cap gets 429 TOO_MANY_CONNECTIONS and is closed before any request is
 * read, so one host holding half-sent requests cannot take every file descriptor. The
 * address is the socket's: behind a reverse proxy the cap applies to the proxy.
 */
export function capConnectionsPerIp(
  server: Server,
  options: ConnectionCapOptions,
): ConnectionCounter {
  const counter = createConnectionCounter(options.maxPerIp);
  // Before the HTTP server's own listener, so a refused socket is closed before it is parsed.
  server.prependListener('connection', (socket: Socket) => {
    const ip = ipKey(socket.remoteAddress ?? '');
    if (!counter.acquire(ip)) {
      options.onRefused?.(ip);
      const { status, message } = ERROR_CODES.TOO_MANY_CONNECTIONS;
      const body = JSON.stringify({ error: { code: 'TOO_MANY_CONNECTIONS', message } });
      socket.on('error', () => socket.destroy());
      socket.pause();
      socket.end(
        `HTTP/1.1 ${status} TOO_MANY_CONNECTIONS\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\n` +
          `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
        () => socket.destroy(),
      );
      return;
    }
    socket.once('close', () => counter.release(ip));
  });
  return counter;
}
