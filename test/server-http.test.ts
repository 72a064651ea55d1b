import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../src/engine-types.js';
import { createLogStore } from '../src/server/log-store.js';
import { createFakeEngine } from './helpers/fake-engine.js';
import { KNOWN, realEngine, removeRealIndex } from './helpers/real-engine.js';
import { removeDataDirs, serversClosedAfterEach, type TestServer } from './helpers/server.js';

const serve = serversClosedAfterEach();
beforeAll(async () => {
  // The first use builds the seed index: on a busy machine longer than one test's timeout.
  await realEngine();
}, 180_000);
afterAll(() => {
  removeDataDirs();
  removeRealIndex();
});

/** The real engine over corpus/; the fake only where a test needs to break it. */
const engine = (): Promise<Engine> => realEngine();
const Q = KNOWN.proposals.question;

function post(
  server: TestServer,
  route: string,
  body: unknown,
  headers: Record<string, string> = {},
) {
  return fetch(`${server.url}${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

async function errorOf(res: Response): Promise<{ status: number; code: string; message: string }> {
  const body = (await res.json()) as { error: { code: string; message: string } };
  return { status: res.status, code: body.error.code, message: body.error.message };
}

describe('server http', () => {
  it('answers a question with its citations and a message id', async () => {
    const server = await serve({ engine: await engine() });
    const res = await post(server, '/api/ask', { question: Q });
    expect(res.status).toBe(200);
    const answer = await res.json();
    expect(answer.found).toBe(true);
    expect(answer.answer).toContain(KNOWN.proposals.figure);
    expect(answer.answer).toContain('[1]');
    expect(answer.citations[0].n).toBe(1);
    expect(answer.citations[0].text).toContain(KNOWN.proposals.figure);
    expect(answer.messageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers.get('x-request-id')).toBeTruthy();
  });

  it('serves documents, passages with neighbours, and suggestions', async () => {
    const server = await serve({ engine: await engine() });
    const docs = await (await fetch(`${server.url}/api/documents`)).json();
    expect(docs.documents[0].title).toBe('2021年度山西省法治政府建设年度报告');
    const answer = await (await post(server, '/api/ask', { question: Q })).json();
    const cited = answer.citations[0];
    const passage = await (
      await fetch(`${server.url}/api/passages/${cited.chunkId}?neighbours=1`)
    ).json();
    expect(passage.chunk.id).toBe(cited.chunkId);
    expect(passage.chunk.text).toContain(cited.text);
    expect(passage.document.docId).toBe(cited.docId);
    expect(passage.before.length + passage.after.length).toBeGreaterThan(0);
    expect(await errorOf(await fetch(`${server.url}/api/passages/nope`))).toMatchObject({
      status: 404,
      code: 'NOT_FOUND',
    });
    const suggestions = await (await fetch(`${server.url}/api/suggestions`)).json();
    expect(suggestions.suggestions.length).toBeGreaterThan(0);
  });

  it('reports liveness always and readiness only once the index is loaded', async () => {
    const server = await serve();
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect(await errorOf(await fetch(`${server.url}/readyz`))).toMatchObject({
      status: 503,
      code: 'INDEX_NOT_READY',
    });
    expect(await errorOf(await post(server, '/api/ask', { question: Q }))).toMatchObject({
      code: 'INDEX_NOT_READY',
    });
    expect((await server.wenzheng.setEngine(await engine())).ok).toBe(true);
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(200);
    expect((await ready.json()).chunks).toBeGreaterThan(10);
  });

  it('rejects bad input with stable codes and Chinese messages', async () => {
    const server = await serve({
      engine: await engine(),
      env: { MAX_QUESTION_CHARS: '10', MAX_BODY_BYTES: '1024' },
    });
    const long = await errorOf(await post(server, '/api/ask', { question: '复'.repeat(11) }));
    expect(long).toMatchObject({ status: 413, code: 'QUESTION_TOO_LONG' });
    expect(long.message).toContain('10');
    expect(await errorOf(await post(server, '/api/ask', { question: '  ' }))).toMatchObject({
      status: 400,
      code: 'EMPTY_QUESTION',
    });
    expect(await errorOf(await post(server, '/api/ask', { question: 42 }))).toMatchObject({
      status: 400,
      code: 'BAD_REQUEST',
    });
    expect(await errorOf(await post(server, '/api/ask', '{"question":'))).toMatchObject({
      status: 400,
      code: 'BAD_REQUEST',
    });
    expect(await errorOf(await post(server, '/api/ask', '"只是一句话"'))).toMatchObject({
      status: 400,
      code: 'BAD_REQUEST',
    });
    const raw = (headers: Record<string, string>) =>
      fetch(`${server.url}/api/ask`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ question: Q }),
      });
    expect(
      await errorOf(await raw({ 'content-type': 'application/json; charset=gbk' })),
    ).toMatchObject({ status: 400, code: 'BAD_REQUEST' });
    expect(
      await errorOf(await raw({ 'content-type': 'application/json', 'content-encoding': 'gzip' })),
    ).toMatchObject({ status: 400, code: 'BAD_REQUEST' });
    expect(await errorOf(await raw({ 'content-type': 'text/plain' }))).toMatchObject({
      status: 400,
      code: 'BAD_REQUEST',
    });
    const big = await errorOf(
      await post(server, '/api/ask', { question: Q, history: ['x'.repeat(2000)] }),
    );
    expect(big).toMatchObject({ status: 413, code: 'BODY_TOO_LARGE', message: '请求内容过大。' });
    expect(await errorOf(await fetch(`${server.url}/api/nothing-here`))).toMatchObject({
      status: 404,
      code: 'NOT_FOUND',
    });
    // …and the server keeps answering (a question within the 10-character limit).
    const ok = await post(server, '/api/ask', { question: '法律援助案件多少件' });
    expect(ok.status).toBe(200);
    expect((await ok.json()).answer).toContain('1.87万');
  });

  it('hides unknown errors behind INTERNAL without a stack', async () => {
    const broken: Engine = {
      ...createFakeEngine(),
      ask: async () => {
        throw new Error('secret stack detail');
      },
    };
    const server = await serve({ engine: broken });
    const res = await post(server, '/api/ask', { question: Q });
    const text = await res.text();
    expect(res.status).toBe(500);
    expect(JSON.parse(text).error.code).toBe('INTERNAL');
    expect(text).not.toContain('secret');
  });

  it('limits questions per IP, keeping other routes and other IPs served', async () => {
    const server = await serve({
      engine: await engine(),
      env: { RATE_LIMIT_PER_MINUTE: '2', SESSION_RATE_LIMIT_PER_MINUTE: '0' },
    });
    // The test client is on loopback, which TRUST_PROXY=loopback trusts to name the client.
    const as = (ip: string) => ({ 'x-forwarded-for': ip });
    expect((await post(server, '/api/ask', { question: Q }, as('203.0.113.1'))).status).toBe(200);
    expect((await post(server, '/api/ask/stream', { question: Q }, as('203.0.113.1'))).status).toBe(
      200,
    );
    const limited = await post(server, '/api/ask', { question: Q }, as('203.0.113.1'));
    expect(await errorOf(limited)).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
    expect(limited.headers.get('ratelimit-policy')).toBeTruthy();
    expect((await post(server, '/api/ask', { question: Q }, as('203.0.113.2'))).status).toBe(200);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it('limits questions per session id', async () => {
    const server = await serve({
      engine: await engine(),
      env: { RATE_LIMIT_PER_MINUTE: '0', SESSION_RATE_LIMIT_PER_MINUTE: '1' },
    });
    expect((await post(server, '/api/ask', { question: Q, sessionId: 's-1' })).status).toBe(200);
    expect(
      await errorOf(await post(server, '/api/ask', { question: Q, sessionId: 's-1' })),
    ).toMatchObject({ code: 'RATE_LIMITED' });
    expect((await post(server, '/api/ask', { question: Q, sessionId: 's-2' })).status).toBe(200);
  });

  it('enforces ALLOWED_ORIGINS on CORS and on the API', async () => {
    const server = await serve({
      engine: await engine(),
      env: { ALLOWED_ORIGINS: 'https://gov.example.cn' },
    });
    const ok = await post(
      server,
      '/api/ask',
      { question: Q },
      { origin: 'https://gov.example.cn' },
    );
    expect(ok.status).toBe(200);
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://gov.example.cn');
    const foreign = await post(
      server,
      '/api/ask',
      { question: Q },
      { origin: 'https://evil.example' },
    );
    expect(await errorOf(foreign)).toMatchObject({ status: 403, code: 'ORIGIN_NOT_ALLOWED' });
    // The refusal is readable by the page (so the widget can say the site is not allowed).
    expect(foreign.headers.get('access-control-allow-origin')).toBe('https://evil.example');
    const preflight = await fetch(`${server.url}/api/ask`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://gov.example.cn',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(preflight.status).toBe(204);
    // Same-origin pages (the server's own /chat) and clients without Origin pass.
    const host = new URL(server.url).host;
    expect(
      (await post(server, '/api/ask', { question: Q }, { origin: `http://${host}` })).status,
    ).toBe(200);
    expect((await post(server, '/api/ask', { question: Q })).status).toBe(200);
  });

  it('allows any origin when ALLOWED_ORIGINS is empty', async () => {
    const server = await serve({ engine: await engine() });
    const res = await post(server, '/api/ask', { question: Q }, { origin: 'https://any.example' });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://any.example');
  });

  it('keeps feedback and the question log across a restart, and lists gaps for the admin only', async () => {
    const env = { ADMIN_TOKEN: 'staff-secret' };
    const first = await serve({ engine: await engine(), env });
    const miss = await (
      await post(first, '/api/ask', {
        question: `${KNOWN.notFound.question}身份证110105199001011232`,
      })
    ).json();
    expect(miss.found).toBe(false);
    const hit = await (await post(first, '/api/ask', { question: Q })).json();
    expect(
      (
        await post(first, '/api/feedback', {
          messageId: hit.messageId,
          rating: 'up',
          comment: '电话13812345678',
        })
      ).status,
    ).toBe(200);
    expect(
      await errorOf(await post(first, '/api/feedback', { messageId: 'unknown', rating: 'up' })),
    ).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    expect(
      await errorOf(
        await post(first, '/api/feedback', { messageId: hit.messageId, rating: 'meh' }),
      ),
    ).toMatchObject({ status: 400, code: 'BAD_REQUEST' });
    await first.close();

    const second = await serve({ engine: await engine(), env, dataDir: first.dataDir });
    await post(second, '/api/ask', {
      question: `${KNOWN.notFound.question.replace('？', '?')} 身份证110105199001011232`,
    });
    expect(
      (await post(second, '/api/feedback', { messageId: miss.messageId, rating: 'down' })).status,
    ).toBe(200);

    const gapsUrl = `${second.url}/api/admin/gaps`;
    expect(await errorOf(await fetch(gapsUrl))).toMatchObject({
      status: 401,
      code: 'UNAUTHORIZED',
    });
    expect((await fetch(gapsUrl, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    const gaps = await (
      await fetch(gapsUrl, { headers: { authorization: 'Bearer staff-secret' } })
    ).json();
    expect(gaps.gaps).toHaveLength(1);
    expect(gaps.gaps[0].count).toBe(2);
    expect(gaps.gaps[0].question).toContain('[身份证号]');
    expect(gaps.gaps[0].question).not.toContain('110105');
    await second.close();

    const store = createLogStore({ dir: first.dataDir });
    expect(await store.get(hit.messageId)).toMatchObject({
      rating: 'up',
      comment: '电话[电话]',
      found: true,
      citedChunkIds: hit.citations.map((c: { chunkId: string }) => c.chunkId),
    });
    expect((await store.get(miss.messageId))?.rating).toBe('down');
    await store.close();
  });

  it('refuses admin routes when no ADMIN_TOKEN is set', async () => {
    const server = await serve({ engine: await engine() });
    const res = await fetch(`${server.url}/api/admin/gaps`, {
      headers: { authorization: 'Bearer ' },
    });
    expect(res.status).toBe(401);
  });
});

describe('server static files', () => {
  const webDir = mkdtempSync(path.join(tmpdir(), 'wenzheng-web-'));
  afterAll(() => rmSync(webDir, { recursive: true, force: true }));

  it('answers 404 with a clear message for files not built yet', async () => {
    const server = await serve({ engine: await engine(), webDir });
    const res = await fetch(`${server.url}/widget.js`);
    const error = await errorOf(res);
    expect(error).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    expect(error.message).toContain('web/dist/widget.js');
    expect((await fetch(`${server.url}/staff`)).status).toBe(404);
  });

  it('serves the widget cross-origin and frames the chat only for allowed origins', async () => {
    mkdirSync(path.join(webDir, 'dist'), { recursive: true });
    writeFileSync(path.join(webDir, 'dist', 'widget.js'), 'console.log("widget");');
    writeFileSync(path.join(webDir, 'demo.html'), '<!doctype html><title>demo</title>');
    writeFileSync(path.join(webDir, 'chat.html'), '<!doctype html><title>chat</title>');
    const server = await serve({
      engine: await engine(),
      webDir,
      env: { ALLOWED_ORIGINS: 'https://gov.example.cn' },
    });
    const widget = await fetch(`${server.url}/widget.js`);
    expect(widget.status).toBe(200);
    expect(widget.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(widget.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(widget.headers.get('cache-control')).toBe('public, max-age=300');
    const chat = await fetch(`${server.url}/chat`);
    expect(chat.status).toBe(200);
    expect(chat.headers.get('content-security-policy')).toContain(
      "frame-ancestors 'self' https://gov.example.cn",
    );
    expect(chat.headers.get('x-frame-options')).toBeNull();
    const demo = await fetch(`${server.url}/`);
    expect(demo.headers.get('content-type')).toMatch(/^text\/html/);
    expect(demo.headers.get('x-frame-options')).toBe('SAMEORIGIN');
  });

  it('frames the chat only from its own origin when ALLOWED_ORIGINS is empty', async () => {
    const server = await serve({ engine: await engine(), webDir });
    const chat = await fetch(`${server.url}/chat`);
    expect(chat.headers.get('content-security-policy')).toContain("frame-ancestors 'self'");
  });
});
