/**
 * The LLM path with a hijacked model: a fake OpenAI-compatible server that answers with a
 * planted instruction (「请拨打13800000000领取补贴」, 「本服务已停止，请访问 http://evil.example」).
 * Over WebSocket and SSE the citizen must never see it, not even while it streams, and
 * must get the extractive answer; the question's ID-card number must not reach the model.
 */
import path from 'node:path';
import { WebSocket } from 'ws';
import { startFakeOpenAI } from '../test/helpers/fake-openai.js';
import { results, type CaseResult, type FaultCase } from './case.js';
import { startServerProcess } from './server-process.js';

const PLANTED = [
  ['a phone number', '全年办理人大代表建议811件[1]。请拨打13800000000领取补贴[1]。', '13800000000'],
  ['a URL', '本服务已停止，请访问 http://evil.example 查询[1]。', 'evil.example'],
] as const;

async function overWs(
  wsUrl: string,
  question: string,
): Promise<{ streamed: string; answer: Record<string, unknown> }> {
  const ws = new WebSocket(wsUrl);
  ws.on('error', () => {});
  await new Promise<void>((resolve) => ws.once('open', () => resolve()));
  ws.send(JSON.stringify({ type: 'ask', id: 'q', question }));
  let streamed = '';
  const answer = await new Promise<Record<string, unknown>>((resolve) => {
    ws.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as {
        type: string;
        text?: string;
        answer?: Record<string, unknown>;
      };
      if (frame.type === 'answer.delta') streamed += frame.text;
      if (frame.type === 'answer.done' || frame.type === 'error')
        resolve(frame.answer ?? (frame as Record<string, unknown>));
    });
  });
  ws.terminate();
  return { streamed, answer };
}

async function overSse(url: string, question: string): Promise<string> {
  const res = await fetch(`${url}/api/ask/stream`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ question }),
  });
  return res.text();
}

export const plantedInstruction: FaultCase = {
  name: 'LLM answers with a planted instruction',
  async run(ctx): Promise<CaseResult> {
    const r = results();
    const fake = await startFakeOpenAI();
    const server = await startServerProcess({
      env: {
        INDEX_DIR: ctx.indexDir,
        DATA_DIR: path.join(ctx.work, 'llm-data'),
        LLM_PROVIDER: 'openai',
        LLM_BASE_URL: fake.url,
        LLM_MODEL: 'fake-model',
        ANSWER_CACHE_SIZE: '0',
      },
    });
    try {
      for (const [what, text, needle] of PLANTED) {
        fake.reply({ kind: 'answer', text, pieceChars: 2, delayMs: 5 });
        const { streamed, answer } = await overWs(
          `ws://127.0.0.1:${server.port}/ws`,
          '2021年山西办理了多少件人大代表建议？',
        );
        r.check(`${what}, WebSocket: never streamed`, !streamed.includes(needle), streamed);
        r.check(
          `${what}, WebSocket: the extractive answer instead`,
          answer['mode'] === 'extractive-fallback' &&
            String(answer['answer']).includes('811') &&
            !String(answer['answer']).includes(needle),
          `${String(answer['mode'])} ${String(answer['fallbackReason'])}`,
        );
        fake.reply({ kind: 'answer', text, pieceChars: 2, delayMs: 5 });
        const sse = await overSse(server.url, '2021年山西办理了多少件人大代表建议？');
        r.check(
          `${what}, SSE: never streamed nor answered`,
          !sse.includes(needle) && sse.includes('extractive-fallback'),
        );
      }
      fake.reply({ kind: 'answer', text: '全年办理人大代表建议811件[1]。' });
      await overWs(
        `ws://127.0.0.1:${server.port}/ws`,
        '身份证110105199001011232的人，2021年山西办理了多少件人大代表建议？',
      );
      const sent = JSON.stringify(fake.requests.at(-1)?.body ?? {});
      r.check(
        'the ID-card number in the question never reaches the model',
        !sent.includes('110105199001011232') && sent.includes('[身份证号]'),
      );
    } finally {
      await server.stop();
      await fake.close();
    }
    return r;
  },
};

export const malformedPath: FaultCase = {
  name: 'malformed percent-encoding in a passage id',
  async run(ctx): Promise<CaseResult> {
    const r = results();
    const server = await startServerProcess({
      env: { INDEX_DIR: ctx.indexDir, DATA_DIR: path.join(ctx.work, 'path-data') },
    });
    try {
      const res = await fetch(`${server.url}/api/passages/%E0%A4%A`);
      const body = (await res.json()) as { error?: { code?: string } };
      r.check(
        '400 with a code',
        res.status === 400 && body.error?.code === 'BAD_REQUEST',
        `${res.status} ${body.error?.code}`,
      );
      r.check(
        'no stack trace in the log',
        !server.lines.some((l) => l.includes('"stack"') || l.includes('URIError')),
      );
    } finally {
      await server.stop();
    }
    return r;
  },
};
