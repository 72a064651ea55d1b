/** LLM_PROVIDER=ollama: ChatOllama against the fake's /api/chat (NDJSON). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withLlm } from '../src/answer/llm-engine.js';
import { loadConfig, PROJECT_ROOT } from '../src/config.js';
import type { Engine } from '../src/engine-types.js';
import { startFakeOpenAI, type FakeOpenAI } from './helpers/fake-openai.js';
import { KNOWN, realEngine, removeRealIndex } from './helpers/real-engine.js';

let fake: FakeOpenAI;
let engine: Engine;
/** Deadlines of the model calls so far; the test makes them pass (no wall-clock wait). */
const deadlines: AbortController[] = [];
const expire = () => {
  for (const c of deadlines) c.abort(new DOMException('deadline', 'TimeoutError'));
};

beforeAll(async () => {
  fake = await startFakeOpenAI();
  const config = loadConfig({
    root: PROJECT_ROOT,
    env: {
      LLM_PROVIDER: 'ollama',
      LLM_BASE_URL: fake.origin,
      LLM_MODEL: 'qwen2.5:7b',
      LLM_TIMEOUT_MS: '800',
      LLM_MAX_TOKENS: '300',
    },
  });
  const deadline = () => {
    const c = new AbortController();
    deadlines.push(c);
    return c.signal;
  };
  engine = withLlm(await realEngine(), config, { deadline });
});
afterAll(async () => {
  await fake.close();
  removeRealIndex();
});

describe('llm-ollama', () => {
  it('streams an Ollama answer and accepts it', async () => {
    fake.reply({ kind: 'answer', text: '全年办理人大代表建议811件[1]。', pieceChars: 2 });
    const deltas: string[] = [];
    const answer = await engine.ask(KNOWN.proposals.question, { onDelta: (t) => deltas.push(t) });
    expect(answer).toMatchObject({ mode: 'llm', answer: '全年办理人大代表建议811件[1]。' });
    expect(deltas.join('')).toBe('全年办理人大代表建议811件[1]。'); // one checked sentence
    const request = fake.requests.at(-1)!;
    expect(request.path).toBe('/api/chat');
    expect(request.body).toMatchObject({
      model: 'qwen2.5:7b',
      stream: true,
      options: expect.objectContaining({ num_predict: 300, temperature: 0 }),
    });
  });

  it.each([
    ['a time-out', { kind: 'hang' } as const, 'timeout'],
    ['HTTP 500', { kind: 'status', status: 500 } as const, 'http-error'],
    [
      'a stream cut half way',
      {
        kind: 'answer',
        text: '全年办理人大代表建议811件[1]。',
        cutAfter: { pieces: 3, how: 'end' },
      } as const,
      'stream-cut',
    ],
  ])('answers extractively after %s', async (_, reply, reason) => {
    fake.reply(reply);
    // A hung model is given up when the deadline passes; the others fail on their own.
    if (reason === 'timeout') void fake.received().then(expire);
    const answer = await engine.ask(KNOWN.proposals.question);
    expect(answer).toMatchObject({
      mode: 'extractive-fallback',
      fallbackReason: reason,
      found: true,
    });
    expect(answer.answer).toContain('811件');
  });
});
