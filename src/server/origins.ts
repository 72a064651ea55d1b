/**
 * Who may embed Wenzheng: the allowed-origins policy, applied to CORS, to API requests
 * from browsers, to WebSocket upgrades and to `frame-ancestors` of the full-page chat.
 *
 * Empty list (the development default): any origin may call the API and open sockets,
 * and the full-page chat may only be framed by this server's own pages. Non-empty: only
 * the listed origins, plus same-origin pages and clients that send no Origin (curl,
 * server-to-server), which a browser cannot pretend to be. The list is read on every
 * check, so an operator's change applies at once.
 */
import type { IncomingMessage } from 'node:http';

export interface OriginPolicy {
  /** True when a request with these headers may use the API or open a socket. */
  allows(req: Pick<IncomingMessage, 'headers'>): boolean;
  /** The CSP `frame-ancestors` sources for the full-page chat. */
  frameAncestors(): string[];
  /** True when the allow-list is empty (any origin allowed). */
  open(): boolean;
}

/** Lower-cases and drops a trailing slash, as browsers serialise origins. */
export function normaliseOrigin(origin: string): string {
  return origin.trim().toLowerCase().replace(/\/+$/, '');
}

function sameOrigin(origin: string, host: string | undefined): boolean {
  if (!host) return false;
  try {
    return new URL(origin).host === host.toLowerCase();
  } catch {
    return false;
  }
}

/** Builds the policy from the allowed origins (a list, or a function returning the current list). */
export function createOriginPolicy(
  allowedOrigins: readonly string[] | (() => readonly string[]),
): OriginPolicy {
  const current = typeof allowedOrigins === 'function' ? allowedOrigins : () => allowedOrigins;
  // The set is rebuilt only when the list's contents change (also when edited in place).
  let seen: string | null = null;
  let allowed = new Set<string>();
  const set = (): Set<string> => {
    const list = current();
    const key = list.join('\n');
    if (key !== seen) {
      seen = key;
      allowed = new Set(list.map(normaliseOrigin));
    }
    return allowed;
  };
  return {
    open: () => set().size === 0,
    frameAncestors: () => (set().size === 0 ? ["'self'"] : ["'self'", ...set()]),
    allows(req) {
      const origin = req.headers.origin;
      const list = set();
      if (list.size === 0 || origin === undefined) return true;
      return list.has(normaliseOrigin(origin)) || sameOrigin(origin, req.headers.host);
    },
  };
}
