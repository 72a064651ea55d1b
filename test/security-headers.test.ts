import express from 'express';
import helmet from 'helmet';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { precomputedHeaders } from '../src/server/security-headers.js';

/** The response headers of GET / on an app using `middleware`. */
async function headersWith(middleware: express.RequestHandler): Promise<Record<string, string>> {
  const app = express();
  app.use(middleware);
  app.get('/', (_req, res) => void res.json({ ok: true }));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  try {
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    const out: Record<string, string> = {};
    res.headers.forEach((v, k) => {
      if (k !== 'date' && k !== 'etag') out[k] = v;
    });
    return out;
  } finally {
    server.close();
  }
}

describe('security-headers', () => {
  it("sets exactly helmet's headers, X-Powered-By removed", async () => {
    const options = { contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } };
    const expected = await headersWith(helmet(options));
    const actual = await headersWith(precomputedHeaders(helmet(options)));
    expect(actual).toEqual(expected);
    expect(actual['content-security-policy']).toContain("default-src 'self'");
    expect(actual['x-powered-by']).toBeUndefined();
  });

  it('keeps a middleware that does not finish at once as it is', () => {
    const later: express.RequestHandler = (_req, _res, next) => void setImmediate(next);
    expect(precomputedHeaders(later)).toBe(later);
  });
});
