import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { createApp } from '../src/server/app.js';
import { createLogStore } from '../src/server/log-store.js';
import { createLogger } from '../src/server/logger.js';
import { createFakeEngine } from './helpers/fake-engine.js';

/** A real server on port 0 whose pino lines (at debug) are collected. */
async function serveWithLogs(engine = createFakeEngine()) {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  const config = loadConfig({ env: { LOG_LEVEL: 'debug' } });
  const wenzheng = createApp({
    config,
    engine,
    store: createLogStore({ dir: ':memory:' }),
    logger: createLogger({ level: 'debug', destination }),
  });
  await new Promise<void>((resolve) => wenzheng.server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(wenzheng.server.address() as AddressInfo).port}`;
  return { url, lines, close: () => wenzheng.shutdown({ timeoutMs: 1000 }) };
}

const ask = (url: string, question: string, requestId?: string) =>
  fetch(`${url}/api/ask`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(requestId ? { 'x-request-id': requestId } : {}),
    },
    body: JSON.stringify({ question }),
  });

describe('server logging', () => {
  it('writes JSON lines with request ids and never the unmasked question', async () => {
    const server = await serveWithLogs();
    try {
      const res = await ask(
        server.url,
        '复议 身份证110105199001011232 电话13812345678 a@b.cn',
        'req-42',
      );
      expect(res.headers.get('x-request-id')).toBe('req-42');
      await res.json();
      const all = server.lines.join('\n');
      expect(all).not.toContain('110105199001011232');
      expect(all).not.toContain('13812345678');
      expect(all).not.toContain('a@b.cn');
      const records = server.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(records.find((r) => r.msg === 'answered')).toMatchObject({
        reqId: 'req-42',
        found: true,
      });
      expect(records.find((r) => r.msg === 'question')?.question).toContain('[身份证号]');
    } finally {
      await server.close();
    }
  });

  it('logs an unknown error with its cause while the client sees only INTERNAL', async () => {
    const engine = {
      ...createFakeEngine(),
      ask: async () => {
        throw new Error('index file truncated');
      },
    };
    const server = await serveWithLogs(engine);
    try {
      const body = await (await ask(server.url, '复议')).text();
      expect(body).not.toContain('truncated');
      const failure = server.lines
        .map((l) => JSON.parse(l) as { msg?: string; err?: { message?: string; stack?: string } })
        .find((r) => r.msg === 'request failed');
      expect(failure?.err?.message).toBe('index file truncated');
      expect(failure?.err?.stack).toBeTruthy();
    } finally {
      await server.close();
    }
  });

  it('answers malformed percent-encoding in a passage id with 400 and logs no stack trace', async () => {
    const server = await serveWithLogs();
    try {
      const res = await fetch(`${server.url}/api/passages/%E0%A4%A`);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('BAD_REQUEST');
      const all = server.lines.join('\n');
      expect(all).not.toContain('URIError');
      expect(all).not.toMatch(/"stack"/);
      expect(server.lines.some((l) => JSON.parse(l).status === 400)).toBe(true);
    } finally {
      await server.close();
    }
  });
});
