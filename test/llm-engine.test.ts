/**
 * withLlm over the real engine (corpus/ in a temp index) against a scripted fake
 * OpenAI-compatible server on port 0.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { withLlm, type LlmLogger } from '../src/answer/llm-engine.js';
import { loadConfig, PROJECT_ROOT, type Config } from '../src/config.js';
import type { Engine } from '../src/engine-types.js';
import type { Answer } from '../src/types.js';
import { startFakeOpenAI, type ChatReply, type FakeOpenAI } from './helpers/fake-openai.js';
import { KNOWN, realEngine, removeRealIndex } from './helpers/real-engine.js';

const TIMEOUT_MS = 800;
let fake: FakeOpenAI;
let base: Engine;

interface Logged {
  level: 'info' | 'warn';
  fields: Record<string, unknown>;
  message: string;
}

function llmConfig(env: Record<string, string> = {}): Readonly<Config> {
  return loadConfig({
    root: PROJECT_ROOT,
    env: {
      LLM_PROVIDER: 'openai',
      LLM_BASE_URL: fake.url,
      LLM_MODEL: 'fake-model',
      LLM_TIMEOUT_MS: String(TIMEOUT_MS),
      ...env,
    },
  });
}

/**
 * A deadline the test fires itself (`expire()`), instead of waiting LLM_TIMEOUT_MS of wall-clock
 * time: an answer that arrives while it has not fired did not wait for the time-out.
 */
function testDeadline() {
  const controllers: AbortController[] = [];
  return {
    deadline: () => {
      const c = new AbortController();
      controllers.push(c);
      return c.signal;
    },
    expire: () => {
      for (const c of controllers) c.abort(new DOMException('deadline', 'TimeoutError'));
    },
  };
}

function setup(env: Record<string, string> = {}, now?: () => number) {
  const logs: Logged[] = [];
  const { deadline, expire } = testDeadline();
  const logger: LlmLogger = {
    info: (fields, message) =>
      logs.push({ level: 'info', fields: fields as Record<string, unknown>, message }),
    warn: (fields, message) =>
      logs.push({ level: 'warn', fields: fields as Record<string, unknown>, message }),
  };
  const engine = withLlm(base, llmConfig(env), { logger, deadline, ...(now ? { now } : {}) });
  return { engine, logs, expire };
}

async function ask(engine: Engine, question: string, history: string[] = []) {
  const deltas: string[] = [];
  const answer = await engine.ask(question, { history, onDelta: (t) => deltas.push(t) });
  return { answer, deltas, streamed: deltas.join('') };
}

/** The user message the model was sent, and the passages numbered in it. */
function lastPrompt(): string {
  const chat = fake.requests.filter((r) => r.path === '/v1/chat/completions').at(-1)!;
  const messages = chat.body['messages'] as Array<{ role: string; content: string }>;
  return messages.find((m) => m.role === 'user')!.content;
}

beforeAll(async () => {
  fake = await startFakeOpenAI();
  base = await realEngine();
});
afterAll(async () => {
  await fake.close();
  removeRealIndex();
});
afterEach(() => {
  fake.setDefault({ kind: 'answer', text: '好的[1]。' });
});

const GOOD = '据2021年度报告，全年办理人大代表建议811件、政协提案870件[1]。';

describe('llm-engine', () => {
  it('streams a good answer a checked sentence at a time and accepts it with its cited passage', async () => {
    const { engine, logs } = setup();
    const second = '这些建议和提案均已按期办结[1]。';
    fake.reply({ kind: 'answer', text: GOOD + second, pieceChars: 2 });
    const { answer, deltas, streamed } = await ask(engine, KNOWN.proposals.question);
    expect(answer.mode).toBe('llm');
    expect(answer.found).toBe(true);
    expect(answer.answer).toBe(GOOD + second);
    // Whole sentences, each shown once it passed its checks: never a half-checked piece.
    expect(deltas).toEqual([GOOD, second]);
    expect(streamed).toBe(GOOD + second);
    expect(answer.replaced).toBeUndefined();
    expect(answer.citations).toHaveLength(1);
    const [c] = answer.citations;
    expect(c).toMatchObject({
      n: 1,
      docId: 'shanxi-2021-law-based-government-report.txt',
      title: '2021年度山西省法治政府建设年度报告',
    });
    expect(c!.text).toContain('811件');
    expect(c!.text.slice(c!.highlight!.start, c!.highlight!.end)).toBe('811件');
    expect(c!.end - c!.start).toBe(c!.text.length);
    expect(lastPrompt()).toContain(`[1]《2021年度山西省法治政府建设年度报告》`);
    expect(logs.some((l) => l.message === 'llm answer accepted')).toBe(true);
  });

  it('sends only numbered passages and the question: no tools, the token limit, no retries', async () => {
    const { engine } = setup({ LLM_MAX_TOKENS: '200', LLM_API_KEY: 'sk-test' });
    fake.reply({ kind: 'answer', text: GOOD });
    const before = fake.chatCalls;
    await ask(engine, KNOWN.proposals.question);
    expect(fake.chatCalls - before).toBe(1);
    const request = fake.requests.at(-1)!;
    expect(request.body).toMatchObject({
      model: 'fake-model',
      stream: true,
      max_tokens: 200,
      temperature: 0,
    });
    expect(request.body['tools']).toBeUndefined();
    expect(request.authorization).toBe('Bearer sk-test');
    const system = (request.body['messages'] as Array<{ role: string; content: string }>)[0]!;
    expect(system.role).toBe('system');
    expect(system.content).toMatch(/只能依据.*资料/);
    expect(system.content).not.toContain('sk-test');
    expect(lastPrompt()).toMatch(/\[8\]《/);
    expect(lastPrompt()).toContain(
      `问题：<问题>${KNOWN.proposals.question.replace('？', '?')}</问题>`,
    );
  });

  it('replaces an answer with a figure not in its passages by the extractive answer, never showing it, and logs it', async () => {
    const { engine, logs } = setup();
    fake.reply({
      kind: 'answer',
      text: '全年办理人大代表建议812件[1]。另有政协提案870件[1]。',
      pieceChars: 1,
    });
    const { answer, streamed } = await ask(engine, KNOWN.proposals.question);
    expect(answer.mode).toBe('extractive-fallback');
    expect(answer.fallbackReason).toBe('invented-figure');
    expect(answer.replaced).toBeUndefined();
    expect(streamed).not.toContain('812');
    expect(streamed).toBe(answer.answer);
    expect(answer.answer).toContain('811件');
    expect(answer.answer).not.toContain('812');
    const warning = logs.find((l) => l.level === 'warn')!;
    expect(warning.fields).toMatchObject({ reason: 'invented-figure' });
    expect(String(warning.fields['detail'])).toContain('812件');
  });

  it('rejects a figure that is in another passage than the one cited', async () => {
    const { engine } = setup();
    // 46.4万人次 is in the report, but not in the passage about proposals.
    fake.setDefault((body) => {
      const user = (body['messages'] as Array<{ content: string }>)[1]!.content;
      const n = user.split(/\n\n(?=\[\d+\])/).findIndex((p) => p.includes('811件')) + 1;
      return { kind: 'answer', text: `全年办理人大代表建议811件，提供法律咨询46.4万人次[${n}]。` };
    });
    const { answer } = await ask(engine, KNOWN.proposals.question);
    expect(answer.mode).toBe('extractive-fallback');
    expect(answer.fallbackReason).toBe('invented-figure');
  });

  it('accepts the same figure written another way: 464000人次 for 46.4万人次, full-width digits', async () => {
    const { engine } = setup();
    fake.reply({ kind: 'answer', text: '为群众免费提供法律咨询４６．４万人次，即464000人次[1]。' });
    const { answer } = await ask(engine, KNOWN.legalAdvice.question);
    expect(answer.mode).toBe('llm');
    expect(answer.citations[0]!.text).toContain('46.4万人次');
  });

  it('removes a marker [9] when three passages were given, and hides it while streaming', async () => {
    const three: Engine = {
      ...base,
      prepare: async (question, options) => {
        const prepared = await base.prepare(question, options);
        return { ...prepared, passages: prepared.passages.slice(0, 3) };
      },
    };
    const logs: Logged[] = [];
    const engine = withLlm(three, llmConfig(), {
      logger: {
        info: (fields, message) =>
          logs.push({ level: 'info', fields: fields as Record<string, unknown>, message }),
        warn: () => {},
      },
    });
    fake.reply({ kind: 'answer', text: '全年办理人大代表建议811件[1][9]。', pieceChars: 1 });
    const { answer, streamed } = await ask(engine, KNOWN.proposals.question);
    expect(lastPrompt()).toMatch(/\[3\]《/);
    expect(lastPrompt()).not.toMatch(/\[4\]《/);
    expect(answer.mode).toBe('llm');
    expect(answer.answer).toBe('全年办理人大代表建议811件[1]。');
    expect(streamed).toBe('全年办理人大代表建议811件[1]。');
    expect(answer.citations.map((c) => c.n)).toEqual([1]);
    expect(logs.find((l) => l.message.includes('unknown citation markers'))?.fields).toMatchObject({
      removed: ['[9]'],
    });
  });

  it('renumbers the cited passages 1..k in order of citation', async () => {
    const { engine } = setup();
    fake.setDefault((body) => {
      const user = (body['messages'] as Array<{ content: string }>)[1]!.content;
      const n = user.split(/\n\n(?=\[\d+\])/).findIndex((p) => p.includes('811件')) + 1;
      return { kind: 'answer', text: `全年办理人大代表建议811件[${n}]。` };
    });
    const { answer } = await ask(engine, KNOWN.proposals.question);
    expect(answer.mode).toBe('llm');
    expect(answer.answer).toBe('全年办理人大代表建议811件[1]。');
    expect(answer.citations[0]!.text).toContain('811件');
  });

  it('does not let the model confirm a figure that only the question holds', async () => {
    const { engine } = setup();
    fake.reply({ kind: 'answer', text: '是的，全年办理人大代表建议900件[1]。' });
    const { answer } = await ask(engine, '山西全年办理人大代表建议是900件吗？');
    expect(answer).toMatchObject({
      mode: 'extractive-fallback',
      fallbackReason: 'invented-figure',
    });
  });

  it("checks the answer without a reasoning model's <think> block", async () => {
    const { engine } = setup();
    fake.reply({ kind: 'answer', text: `<think>大概是812件？再看资料。</think>${GOOD}` });
    const { answer, streamed } = await ask(engine, KNOWN.proposals.question);
    expect(answer).toMatchObject({ mode: 'llm', answer: GOOD });
    expect(streamed).toBe(GOOD);
  });

  it('stops the model call when the client goes away, without counting it as a model failure', async () => {
    const { engine } = setup({ LLM_CIRCUIT_FAILURES: '1' });
    fake.reply({ kind: 'answer', text: GOOD, delayMs: 20 });
    const aborter = new AbortController();
    // The client leaves while the model is answering (nothing is streamed before a checked
    // sentence group, so the moment is the model's request arriving, not the first words).
    void fake.received().then(() => aborter.abort());
    const answer = await engine.ask(KNOWN.proposals.question, { signal: aborter.signal });
    expect(answer.fallbackReason).toBe('aborted');
    for (let i = 0; i < 50 && fake.inFlight > 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(fake.inFlight).toBe(0); // the request to the model was closed
    fake.reply({ kind: 'answer', text: GOOD });
    expect((await ask(engine, KNOWN.proposals.question)).answer.mode).toBe('llm');
  });

  it('keeps the complete sentences of an answer cut by LLM_MAX_TOKENS', async () => {
    const { engine } = setup();
    fake.reply({ kind: 'answer', text: `${GOOD}另有政协提案8`, finishReason: 'length' });
    const { answer, streamed } = await ask(engine, KNOWN.proposals.question);
    expect(answer).toMatchObject({ mode: 'llm', answer: GOOD });
    expect(streamed).toBe(GOOD);
    fake.reply({ kind: 'answer', text: '全年办理人大代表建', finishReason: 'length' });
    expect((await ask(engine, KNOWN.proposals.question)).answer.fallbackReason).toBe('truncated');
  });

  it('does not call the model when retrieval found nothing: the refusal stands', async () => {
    const { engine } = setup();
    const before = fake.chatCalls;
    const { answer, streamed } = await ask(engine, KNOWN.notFound.question);
    expect(fake.chatCalls).toBe(before);
    expect(answer.found).toBe(false);
    expect(answer.mode).toBe('extractive');
    expect(streamed).toBe(answer.answer);
  });

  const failures: Array<[string, ChatReply, string]> = [
    ['HTTP 500', { kind: 'status', status: 500 }, 'http-error'],
    ['HTTP 429', { kind: 'status', status: 429 }, 'http-error'],
    ['a time-out', { kind: 'hang' }, 'timeout'],
    [
      'a stream too slow to finish in time',
      { kind: 'answer', text: GOOD, delayMs: 150 },
      'timeout',
    ],
    [
      'a stream cut half way (socket dropped)',
      { kind: 'answer', text: GOOD, cutAfter: { pieces: 5, how: 'destroy' } },
      'stream-cut',
    ],
    [
      'a stream cut half way (closed without a finish)',
      { kind: 'answer', text: GOOD, cutAfter: { pieces: 5, how: 'end' } },
      'stream-cut',
    ],
    [
      'an invalid JSON chunk',
      { kind: 'answer', text: GOOD, invalidJsonAfter: 4 },
      'invalid-stream',
    ],
    ['an empty answer', { kind: 'answer', text: '' }, 'empty'],
    ['a garbled answer', { kind: 'answer', text: '\uFFFD\uFFFD@@##\uFFFDxx' }, 'garbled'],
    [
      'an answer without citations',
      { kind: 'answer', text: '全年办理人大代表建议811件。' },
      'no-citations',
    ],
  ];
  for (const [what, reply, reason] of failures) {
    it(`answers extractively after ${what}${reason === 'timeout' ? ' when the deadline passes' : ', without waiting for the deadline'}`, async () => {
      const { engine, logs, expire } = setup();
      fake.reply(reply);
      // Only the time-out cases reach the deadline: it passes once the model has the request.
      if (reason === 'timeout') void fake.received().then(expire);
      const { answer, streamed } = await ask(engine, KNOWN.proposals.question);
      expect(answer.mode).toBe('extractive-fallback');
      expect(answer.fallbackReason).toBe(reason);
      expect(answer.found).toBe(true);
      expect(answer.answer).toContain('811件');
      expect(answer.citations[0]!.text).toContain('811件');
      // Text already shown is replaced; otherwise the extractive answer is what streamed.
      if (answer.replaced) expect(streamed).not.toBe(answer.answer);
      else expect(streamed).toBe(answer.answer);
      expect(logs.find((l) => l.level === 'warn')?.fields).toMatchObject({ reason });
    });
  }

  it('answers extractively when nothing listens on LLM_BASE_URL', async () => {
    const config = loadConfig({
      root: PROJECT_ROOT,
      env: { LLM_PROVIDER: 'openai', LLM_BASE_URL: 'http://127.0.0.1:9/v1', LLM_MODEL: 'm' },
    });
    // The deadline never passes: the refused connection alone ends the call.
    const engine = withLlm(base, config, { deadline: testDeadline().deadline });
    const { answer } = await ask(engine, KNOWN.proposals.question);
    expect(answer).toMatchObject({
      mode: 'extractive-fallback',
      fallbackReason: 'connection-error',
    });
  });

  it('opens the circuit after repeated failures, then closes it after the cool-down', async () => {
    let clock = 1_000_000;
    const { engine } = setup(
      { LLM_CIRCUIT_FAILURES: '3', LLM_CIRCUIT_COOLDOWN_MS: '60000' },
      () => clock,
    );
    fake.setDefault({ kind: 'status', status: 503 });
    const before = fake.chatCalls;
    const reasons: Array<string | undefined> = [];
    for (let i = 0; i < 5; i++)
      reasons.push((await ask(engine, KNOWN.proposals.question)).answer.fallbackReason);
    expect(reasons).toEqual([
      'http-error',
      'http-error',
      'http-error',
      'circuit-open',
      'circuit-open',
    ]);
    expect(fake.chatCalls - before).toBe(3);
    // While open, an answer comes straight back without asking the model (the deadline never passes).
    expect((await ask(engine, KNOWN.proposals.question)).answer.fallbackReason).toBe(
      'circuit-open',
    );
    expect(fake.chatCalls - before).toBe(3);

    // After the cool-down one trial call goes through; it succeeds and the circuit closes.
    clock += 60_000;
    fake.setDefault({ kind: 'answer', text: GOOD });
    expect((await ask(engine, KNOWN.proposals.question)).answer.mode).toBe('llm');
    expect((await ask(engine, KNOWN.proposals.question)).answer.mode).toBe('llm');
    expect(fake.chatCalls - before).toBe(5);
  });

  it('reopens the circuit when the trial call fails', async () => {
    let clock = 0;
    const { engine } = setup(
      { LLM_CIRCUIT_FAILURES: '2', LLM_CIRCUIT_COOLDOWN_MS: '1000' },
      () => clock,
    );
    fake.setDefault({ kind: 'status', status: 500 });
    await ask(engine, KNOWN.proposals.question);
    await ask(engine, KNOWN.proposals.question);
    clock += 1000;
    const before = fake.chatCalls;
    expect((await ask(engine, KNOWN.proposals.question)).answer.fallbackReason).toBe('http-error');
    expect((await ask(engine, KNOWN.proposals.question)).answer.fallbackReason).toBe(
      'circuit-open',
    );
    expect(fake.chatCalls - before).toBe(1);
  });

  it('keeps at most LLM_MAX_CONCURRENCY model calls in flight', async () => {
    const { engine } = setup({ LLM_MAX_CONCURRENCY: '2', LLM_TIMEOUT_MS: '3000' });
    fake.setDefault({ kind: 'answer', text: GOOD, delayMs: 20 });
    const answers: Answer[] = await Promise.all(
      Array.from({ length: 4 }, () => engine.ask(KNOWN.proposals.question)),
    );
    expect(answers.every((a) => a.mode === 'llm')).toBe(true);
    // Earlier tests ran one call at a time: the 2 is this test's.
    expect(fake.maxInFlight).toBe(2);
  });

  it('rewrites a follow-up with the model (non-streaming call) when LLM_REWRITE_FOLLOWUPS is on', async () => {
    const { engine } = setup({ LLM_REWRITE_FOLLOWUPS: 'true' });
    fake.reply(
      { kind: 'answer', text: '2021年山西办理了多少件政协提案？' },
      { kind: 'answer', text: '全年办理政协提案870件[1]。' },
    );
    const { answer } = await ask(engine, '那政协提案呢？', [KNOWN.proposals.question]);
    const [rewrite, generate] = fake.requests.slice(-2);
    expect(rewrite!.body['stream']).toBeFalsy();
    expect(generate!.body['stream']).toBe(true);
    expect(answer.resolvedQuestion).toBe('2021年山西办理了多少件政协提案？');
    expect(answer.question).toContain('政协提案');
    expect(answer).toMatchObject({ mode: 'llm', answer: '全年办理政协提案870件[1]。' });
  });

  it('falls back to the offline follow-up handling when the rewrite fails', async () => {
    const { engine, logs } = setup({ LLM_REWRITE_FOLLOWUPS: 'true' });
    fake.reply(
      { kind: 'status', status: 500 },
      { kind: 'answer', text: '全年办理政协提案870件[1]。' },
    );
    const { answer } = await ask(engine, '那政协提案呢？', [KNOWN.proposals.question]);
    expect(logs.some((l) => l.message.startsWith('follow-up rewrite failed'))).toBe(true);
    expect(answer.found).toBe(true);
    expect(answer.answer).toContain('870件');
  });
});
