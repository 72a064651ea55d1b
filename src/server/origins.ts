/**
 * Who may embed Wenzheng: the ALLOWED_ORIGINS policy, applied to CORS, to API requests
 * from browsers, to WebSocket upgrades and to `frame-ancestors` of the full-page chat.
 *
 * Empty list (the development default): any origin may call the API and open sockets,
 * and the full-page chat may only be framed by this server's own pages. Non-empty: only
 * the listed origins, plus same-origin pages and clients that send no Origin (curl,
 * server-to-server), which a browser cannot pretend to be.
 */
import type { IncomingMessage } from 'node:http';

export interface OriginPolicy {
  /** True when a request with these headers may use the API or open a socket. */
  allows(req: Pick<IncomingMessage, 'headers'>): boolean;
  /** The CSP `frame-ancestors` sources for the full-page chat. */
  frameAncestors: string[];
  /** True when the allow-list is empty (any origin allowed). */
  open: boolean;
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

/** Builds the policy from ALLOWED_ORIGINS. */
export function createOriginPolicy(allowedOrigins: readonly string[]): OriginPolicy {
  const allowed = new Set(allowedOrigins.map(normaliseOrigin));
  const open = allowed.size === 0;
  return {
    open,
    frameAncestors: open ? ["'self'"] : ["'self'", ...allowed],
    allows(req) {
      const origin = req.headers.origin;
      if (open || origin === undefined) return true;
      return allowed.has(normaliseOrigin(origin)) || sameOrigin(origin, req.headers.host);
    },
  };
}
