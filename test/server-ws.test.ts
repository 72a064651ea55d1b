import { once } from 'node:events';
import type { IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFakeEngine } from './helpers/fake-engine.js';
import { KNOWN, realEngine, removeRealIndex } from './helpers/real-engine.js';
import type { WebSocket } from 'ws';
import { removeDataDirs, serversClosedAfterEach } from './helpers/server.js';
import { frames, opened, sendJson } from './helpers/ws-client.js';

const serve = serversClosedAfterEach();
beforeAll(async () => {
  // The first use builds the seed index: on a busy machine longer than one test's timeout.
  await realEngine();
}, 180_000);
afterAll(() => {
  removeDataDirs();
  removeRealIndex();
});

const Q = KNOWN.proposals.question;

/** Resolves with the HTTP status of a refused upgrade. */
async function refusedStatus(
  ws: WebSocket,
): Promise<{ status: number; body: string; allowOrigin: unknown }> {
  const [, res] = (await once(ws, 'unexpected-response')) as [unknown, IncomingMessage];
  let body = '';
  for await (const chunk of res) body += String(chunk);
  return {
    status: res.statusCode ?? 0,
    body,
    allowOrigin: res.headers['access-control-allow-origin'],
  };
}

describe('server ws', () => {
  it('streams start, delta and done frames with the answer and its citations', async () => {
    const server = await serve({ engine: await realEngine() });
    const ws = await opened(server.connect());
    const inbox = frames(ws);
    sendJson(ws, { type: 'ask', id: 'q1', question: Q, history: [] });
    const start = await inbox.next('answer.start');
    const done = await inbox.next('answer.done');
    expect(start).toMatchObject({ id: 'q1' });
    expect(done.answer.messageId).toBe(start.messageId);
    expect(done.answer.found).toBe(true);
    expect(done.answer.answer).toContain(KNOWN.proposals.figure);
    expect(done.answer.citations[0]?.n).toBe(1);
    expect(done.answer.citations[0]?.text).toContain(KNOWN.proposals.figure);
    const deltas = inbox.seen.filter((f) => f.type === 'answer.delta');
    expect(deltas.map((d) => d.seq)).toEqual(deltas.map((_, i) => i));
    expect(deltas.map((d) => d.text).join('')).toBe(done.answer.answer);
    // Frame order: start, deltas, done.
    expect(inbox.seen[0]?.type).toBe('answer.start');
    expect(inbox.seen.at(-1)?.type).toBe('answer.done');
  });

  it('answers a follow-up on another replica from the history the client sends', async () => {
    const engine = await realEngine();
    const [a, b] = [await serve({ engine }), await serve({ engine })];
    const first = await opened(a.connect());
    const firstInbox = frames(first);
    sendJson(first, { type: 'ask', id: '1', question: KNOWN.legalAdvice.question });
    expect((await firstInbox.next('answer.done')).answer.found).toBe(true);
    const second = await opened(b.connect());
    const inbox = frames(second);
    sendJson(second, {
      type: 'ask',
      id: '2',
      question: '法律援助呢？',
      history: [KNOWN.legalAdvice.question],
    });
    const done = await inbox.next('answer.done');
    expect(done.answer.resolvedQuestion).toContain('法律咨询');
    expect(done.answer.answer).toContain('1.87万');
  });

  it('answers ping with pong', async () => {
    const server = await serve({ engine: await realEngine() });
    const ws = await opened(server.connect());
    const inbox = frames(ws);
    sendJson(ws, { type: 'ping', id: 'p' });
    expect(await inbox.next('pong')).toEqual({ type: 'pong', id: 'p' });
  });

  it('answers bad, unknown and binary frames with error frames and stays open', async () => {
    const server = await serve({ engine: await realEngine() });
    const ws = await opened(server.connect());
    const inbox = frames(ws);
    ws.send('not json');
    expect(await inbox.next('error')).toMatchObject({
      code: 'INVALID_FRAME',
      message: '消息格式不正确。',
    });
    sendJson(ws, { type: 'ask', id: 'bad', question: 7 });
    expect(await inbox.next('error', (f) => f.id === 'bad')).toMatchObject({
      code: 'INVALID_FRAME',
    });
    sendJson(ws, { type: 'subscribe', id: 'u1' });
    expect(await inbox.next('error', (f) => f.id === 'u1')).toMatchObject({
      code: 'UNKNOWN_FRAME',
    });
    ws.send(Buffer.from([1, 2, 3]), { binary: true });
    expect(await inbox.next('error', (f) => f.code === 'BINARY_NOT_ALLOWED')).toBeTruthy();
    sendJson(ws, { type: 'ask', id: 'long', question: '复'.repeat(201) });
    expect(await inbox.next('error', (f) => f.id === 'long')).toMatchObject({
      code: 'QUESTION_TOO_LONG',
    });
    sendJson(ws, { type: 'ask', id: 'ok', question: Q });
    expect((await inbox.next('answer.done', (f) => f.id === 'ok')).answer.found).toBe(true);
    expect(ws.readyState).toBe(ws.OPEN);
  });

  it('closes a socket that sends an oversize frame with 1009 and keeps serving others', async () => {
    const server = await serve({ engine: await realEngine(), env: { WS_MAX_PAYLOAD: '1024' } });
    const other = await opened(server.connect());
    const big = await opened(server.connect());
    big.send(JSON.stringify({ type: 'ask', id: 'x', question: '复'.repeat(1000) }));
    const [code] = (await once(big, 'close')) as [number];
    expect(code).toBe(1009);
    const inbox = frames(other);
    sendJson(other, { type: 'ask', id: 'o', question: Q });
    expect((await inbox.next('answer.done')).answer.found).toBe(true);
  });

  it('refuses a foreign Origin with 403 before the upgrade', async () => {
    const server = await serve({
      engine: await realEngine(),
      env: { ALLOWED_ORIGINS: 'https://gov.example.cn' },
    });
    const foreign = server.connect({ origin: 'https://evil.example' });
    const refused = await refusedStatus(foreign);
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.body).error.code).toBe('ORIGIN_NOT_ALLOWED');
    expect(refused.allowOrigin).toBe('https://evil.example');
    expect(server.wenzheng.ws.clients).toBe(0);
    const allowed = await opened(server.connect({ origin: 'https://gov.example.cn' }));
    const inbox = frames(allowed);
    sendJson(allowed, { type: 'ask', id: 'a', question: Q });
    expect((await inbox.next('answer.done')).id).toBe('a');
  });

  it('limits concurrent sockets per IP', async () => {
    const server = await serve({ engine: await realEngine(), env: { WS_MAX_PER_IP: '2' } });
    const first = await opened(server.connect());
    await opened(server.connect());
    const third = await refusedStatus(server.connect());
    expect(third.status).toBe(429);
    expect(JSON.parse(third.body).error.code).toBe('TOO_MANY_CONNECTIONS');
    first.close();
    await once(first, 'close');
    await new Promise((r) => setTimeout(r, 20));
    await opened(server.connect());
  });

  it('limits questions per IP and per session, in one budget with HTTP and SSE', async () => {
    const server = await serve({
      engine: await realEngine(),
      env: { RATE_LIMIT_PER_MINUTE: '3', SESSION_RATE_LIMIT_PER_MINUTE: '1' },
    });
    const ws = await opened(server.connect());
    const inbox = frames(ws);
    const ask = async (id: string, sessionId?: string) => {
      sendJson(ws, { type: 'ask', id, question: Q, ...(sessionId ? { sessionId } : {}) });
      return Promise.race([
        inbox.next('answer.done', (f) => f.id === id),
        inbox.next('error', (f) => f.id === id),
      ]);
    };
    expect((await ask('1', 'a')).type).toBe('answer.done');
    expect(await ask('2', 'a')).toMatchObject({ type: 'error', code: 'RATE_LIMITED' });
    expect((await ask('3', 'b')).type).toBe('answer.done');
    expect(await ask('4', 'c')).toMatchObject({
      type: 'error',
      code: 'RATE_LIMITED',
      message: '提问太频繁了，请稍后再试。',
    });
    // The socket spent this IP's three questions: HTTP and SSE draw from the same budget.
    const post = (route: string) =>
      fetch(`${server.url}${route}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ question: Q }),
      });
    expect((await post('/api/ask')).status).toBe(429);
    expect((await post('/api/ask/stream')).status).toBe(429);
  });

  it('allows one answer in flight per socket', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const server = await serve({ engine: createFakeEngine({ gate }) });
    const ws = await opened(server.connect());
    const inbox = frames(ws);
    sendJson(ws, { type: 'ask', id: 'first', question: Q });
    await inbox.next('answer.delta');
    sendJson(ws, { type: 'ask', id: 'second', question: Q });
    expect(await inbox.next('error', (f) => f.id === 'second')).toMatchObject({ code: 'BUSY' });
    release();
    expect((await inbox.next('answer.done')).id).toBe('first');
  });

  it('terminates sockets that stop answering heartbeats', async () => {
    const server = await serve({ engine: await realEngine(), env: { WS_HEARTBEAT_MS: '50' } });
    const dead = await opened(server.connect({ autoPong: false }));
    const live = await opened(server.connect());
    const [code] = (await once(dead, 'close')) as [number];
    expect(code).toBe(1006);
    expect(live.readyState).toBe(live.OPEN);
  });

  it('refuses upgrades on other paths', async () => {
    const server = await serve({ engine: await realEngine() });
    const ws = new (await import('ws')).WebSocket(`${server.url.replace('http', 'ws')}/elsewhere`);
    ws.on('error', () => {});
    expect((await refusedStatus(ws)).status).toBe(404);
  });
});
