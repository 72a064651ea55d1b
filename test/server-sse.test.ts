import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFakeEngine } from './helpers/fake-engine.js';
import { KNOWN, realEngine, removeRealIndex } from './helpers/real-engine.js';
import { removeDataDirs, serversClosedAfterEach, type TestServer } from './helpers/server.js';
import { readSse } from './helpers/sse.js';

const serve = serversClosedAfterEach();
beforeAll(async () => {
  // The first use builds the seed index: on a busy machine longer than one test's timeout.
  await realEngine();
}, 180_000);
afterAll(() => {
  removeDataDirs();
  removeRealIndex();
});

const post = (server: TestServer, route: string, body: unknown) =>
  fetch(`${server.url}${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('server sse', () => {
  it('streams the same answer as POST /api/ask, with the socket events', async () => {
    const server = await serve({ engine: await realEngine() });
    const question = { question: KNOWN.legalAdvice.question };
    const plain = await (await post(server, '/api/ask', question)).json();
    const res = await post(server, '/api/ask/stream', question);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-cache, no-transform');
    expect(res.headers.get('x-accel-buffering')).toBe('no');
    const { events } = await readSse(res);
    const kinds = events.map((e) => e.event);
    expect(kinds[0]).toBe('answer.start');
    expect(kinds.at(-1)).toBe('answer.done');
    expect(kinds.slice(1, -1).every((k) => k === 'answer.delta')).toBe(true);
    expect(kinds.length).toBeGreaterThan(2);
    for (const e of events) expect(e.frame.type).toBe(e.event);
    const done = events.at(-1)!.frame;
    if (done.type !== 'answer.done') throw new Error('no done');
    const { messageId: a, ...streamed } = done.answer;
    const { messageId: b, ...answered } = plain;
    expect(a).not.toBe(b);
    expect(streamed).toEqual(answered);
    expect(streamed.found).toBe(true);
    expect(streamed.answer).toContain(KNOWN.legalAdvice.figure);
    expect(streamed.citations[0]?.text).toContain(KNOWN.legalAdvice.figure);
    const deltas = events.flatMap((e) => (e.frame.type === 'answer.delta' ? [e.frame.text] : []));
    expect(deltas.join('')).toBe(streamed.answer);
  });

  it('sends comment pings while an answer takes its time', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const server = await serve({ engine: createFakeEngine({ gate }), ssePingMs: 20 });
    const res = await post(server, '/api/ask/stream', { question: '复议' });
    // The answer is held until two pings have arrived (no guess at how long that takes).
    const { comments, events } = await readSse(res, (soFar) => {
      if ((soFar.match(/^: ping$/gm) ?? []).length >= 2) release();
    });
    expect(comments.filter((c) => c === 'ping').length).toBeGreaterThanOrEqual(2);
    expect(events.at(-1)?.event).toBe('answer.done');
  });

  it('answers checks that fail before the stream opens as JSON errors', async () => {
    const server = await serve({ engine: await realEngine() });
    const res = await post(server, '/api/ask/stream', { question: '复'.repeat(201) });
    expect(res.status).toBe(413);
    expect((await res.json()).error.code).toBe('QUESTION_TOO_LONG');
  });

  it('reports engine failures inside the stream as an error event', async () => {
    const engine = createFakeEngine();
    const server = await serve({
      engine: {
        ...engine,
        ask: async () => {
          throw new Error('boom');
        },
      },
    });
    const { events } = await readSse(await post(server, '/api/ask/stream', { question: '复议' }));
    expect(events.at(-1)).toMatchObject({
      event: 'error',
      frame: { code: 'INTERNAL', message: '服务内部错误，请稍后再试。' },
    });
  });
});
