/**
 * LLM answers through the real app: model tokens arrive as answer.delta frames over the
 * WebSocket and the streaming HTTP route; answer.done carries the checked answer, its
 * mode, and `replaced` when shown text failed a check.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { withLlm } from '../src/answer/llm-engine.js';
import { loadConfig, PROJECT_ROOT } from '../src/config.js';
import type { Engine } from '../src/engine-types.js';
import { startFakeOpenAI, type FakeOpenAI } from './helpers/fake-openai.js';
import { KNOWN, realEngine, removeRealIndex } from './helpers/real-engine.js';
import { removeDataDirs, startServer, type TestServer } from './helpers/server.js';
import { readSse } from './helpers/sse.js';
import { frames, opened, sendJson } from './helpers/ws-client.js';

let fake: FakeOpenAI;
let engine: Engine;
const open: TestServer[] = [];

beforeAll(async () => {
  fake = await startFakeOpenAI();
  const config = loadConfig({
    root: PROJECT_ROOT,
    env: {
      LLM_PROVIDER: 'openai',
      LLM_BASE_URL: fake.url,
      LLM_MODEL: 'fake-model',
      LLM_TIMEOUT_MS: '1000',
    },
  });
  engine = withLlm(await realEngine(), config);
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});
afterAll(async () => {
  await fake.close();
  removeDataDirs();
  removeRealIndex();
});

async function serve(): Promise<TestServer> {
  const server = await startServer({ engine });
  open.push(server);
  return server;
}

const GOOD = '全年办理人大代表建议811件[1]。';

describe('llm-server', () => {
  it('streams checked sentences over the WebSocket and ends with the checked llm answer', async () => {
    const server = await serve();
    const text = `${GOOD}${GOOD.replace('811件', '811件建议')}`;
    fake.reply({ kind: 'answer', text, pieceChars: 2 });
    const ws = await opened(server.connect());
    const seen = frames(ws);
    sendJson(ws, { type: 'ask', id: 'q1', question: KNOWN.proposals.question });
    const done = await seen.next('answer.done');
    const deltas = seen.seen.filter((f) => f.type === 'answer.delta');
    expect(deltas).toHaveLength(2);
    expect(deltas.map((f) => (f.type === 'answer.delta' ? f.text : '')).join('')).toBe(text);
    expect(done.answer).toMatchObject({ mode: 'llm', found: true, answer: text });
    expect(done.answer.replaced).toBeUndefined();
    expect(done.answer.citations[0]!.text).toContain('811件');
  });

  it('tells the client to replace streamed text when a later sentence fails the figure check (SSE)', async () => {
    const server = await serve();
    fake.reply({ kind: 'answer', text: '全年办理人大代表建议811件[1]。其中9999件已办结[1]。' });
    const res = await fetch(`${server.url}/api/ask/stream`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ question: KNOWN.proposals.question }),
    });
    const { events } = await readSse(res);
    const streamed = events
      .flatMap((e) => (e.frame.type === 'answer.delta' ? [e.frame.text] : []))
      .join('');
    // The checked first sentence was shown; the invented figure never was.
    expect(streamed).toContain('811件');
    expect(streamed).not.toContain('9999');
    const done = events.at(-1)!.frame;
    if (done.type !== 'answer.done') throw new Error(`expected answer.done, got ${done.type}`);
    expect(done.answer).toMatchObject({
      mode: 'extractive-fallback',
      fallbackReason: 'invented-figure',
      replaced: true,
    });
    expect(done.answer.answer).toContain('811件');
    expect(done.answer.answer).not.toContain('9999');
  });

  it('does not cache a fallback: the next identical question asks the model again', async () => {
    const server = await serve();
    fake.reply(
      { kind: 'status', status: 500 },
      { kind: 'answer', text: '为群众免费提供法律咨询46.4万人次[1]。' },
    );
    const ask = () =>
      fetch(`${server.url}/api/ask`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ question: KNOWN.legalAdvice.question.replace('？', '?') }),
      }).then((r) => r.json() as Promise<{ mode: string }>);
    expect((await ask()).mode).toBe('extractive-fallback');
    expect((await ask()).mode).toBe('llm');
  });
});
