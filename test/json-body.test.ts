/**
 * The API's JSON body reader on a real socket: JSON bodies are parsed, and a body of any
 * other type is left whole for the route, even when the route starts reading it late
 * (an upload route that first checks the session).
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonBody } from '../src/server/json-body.js';

describe('jsonBody', () => {
  let url = '';
  let close: () => void = () => {};

  beforeAll(async () => {
    const app = express();
    app.use(jsonBody(1024, 2000));
    app.post('/json', (req, res) => {
      res.json({ body: req.body as unknown });
    });
    app.post('/raw', (req, res) => {
      // Reads the body only after the data has had time to arrive.
      setTimeout(() => {
        const parts: Buffer[] = [];
        req.on('data', (d: Buffer) => parts.push(d));
        req.on('end', () => res.json({ bytes: Buffer.concat(parts).length }));
      }, 150);
    });
    app.use(
      (error: { code?: string }, _req: express.Request, res: express.Response, _n: unknown) => {
        void _n;
        res.status(400).json({ code: error.code });
      },
    );
    const server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => server.close();
  });
  afterAll(() => close());

  it('parses a JSON object', async () => {
    const res = await fetch(`${url}/json`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ q: '问' }),
    });
    expect(await res.json()).toEqual({ body: { q: '问' } });
  });

  it('leaves a multipart body whole for a route that reads it late', async () => {
    const form = new FormData();
    form.set('file', new Blob([new Uint8Array(200_000).fill(65)]), 'a.txt');
    const res = await fetch(`${url}/raw`, { method: 'POST', body: form });
    const { bytes } = (await res.json()) as { bytes: number };
    expect(bytes).toBeGreaterThan(200_000);
  });

  it('refuses a JSON body over the limit with BODY_TOO_LARGE', async () => {
    const res = await fetch(`${url}/json`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ q: 'x'.repeat(2000) }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ code: 'BODY_TOO_LARGE' });
  });
});
