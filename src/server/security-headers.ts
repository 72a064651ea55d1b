/**
 * Helmet's response headers, worked out once. Helmet runs twelve small middlewares per
 * request and rebuilds the Content-Security-Policy string each time; with static options
 * the headers are the same for every response, so they are computed at start-up by
 * running helmet once against a recording response, and then set in one step.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';

/** The headers `middleware` sets (and removes), replayed on every response. */
export function precomputedHeaders(middleware: RequestHandler): RequestHandler {
  const set: Array<[string, string | string[]]> = [];
  const removed: string[] = [];
  const recorder = {
    setHeader(name: string, value: string | number | string[]) {
      set.push([name, Array.isArray(value) ? value : String(value)]);
      return recorder;
    },
    removeHeader(name: string) {
      removed.push(name);
    },
    getHeader: () => undefined,
    hasHeader: () => false,
  };
  let synchronous = false;
  const req = { headers: {}, method: 'GET', url: '/' } as unknown as IncomingMessage;
  middleware(req as never, recorder as unknown as ServerResponse as never, () => {
    synchronous = true;
  });
  // A middleware that depends on the request or answers later cannot be replayed.
  if (!synchronous) return middleware;
  return (_req, res, next) => {
    for (const [name, value] of set) res.setHeader(name, value);
    for (const name of removed) res.removeHeader(name);
    next();
  };
}
