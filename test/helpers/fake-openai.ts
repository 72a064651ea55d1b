/**
 * A scripted fake of an OpenAI-compatible server on 127.0.0.1 port 0: /v1/chat/completions
 * (JSON, or SSE chunks with `stream: true`) and /v1/embeddings, plus Ollama's /api/chat
 * (NDJSON). Each chat request takes the next scripted reply, else the default. Records
 * every request. close() drops open sockets.
 */
import { createHash } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';

export type ChatReply =
  /** A streamed (or, for non-streaming requests, plain JSON) answer. */
  | {
      kind: 'answer';
      text: string;
      /** Pause before each streamed piece. @default 0 */
      delayMs?: number;
      /** Characters per streamed piece. @default 3 */
      pieceChars?: number;
      /** End the stream after this many pieces: 'destroy' drops the socket, 'end' closes it cleanly without a finish. */
      cutAfter?: { pieces: number; how: 'destroy' | 'end' };
      /** Send a chunk that is not JSON after this many pieces. */
      invalidJsonAfter?: number;
      /** @default 'stop' */
      finishReason?: string;
    }
  | { kind: 'status'; status: number }
  /** Accept the request and never answer. */
  | { kind: 'hang' };

export interface RecordedRequest {
  path: string;
  body: Record<string, unknown>;
  authorization: string | undefined;
}

export interface FakeOpenAI {
  /** Base URL ending in /v1 (for LLM_BASE_URL / EMBEDDINGS_BASE_URL). */
  url: string;
  /** Base URL without /v1 (for LLM_PROVIDER=ollama). */
  origin: string;
  requests: RecordedRequest[];
  /** Queues replies for the next chat requests, in order. */
  reply(...replies: ChatReply[]): void;
  /** The reply when nothing is queued. */
  setDefault(reply: ChatReply | ((body: Record<string, unknown>) => ChatReply)): void;
  /** Chat requests currently being answered, and the most at once. */
  readonly inFlight: number;
  readonly maxInFlight: number;
  /** Makes the next `n` embeddings requests fail with HTTP 500. */
  failEmbeddings(n: number): void;
  readonly chatCalls: number;
  readonly embeddingCalls: number;
  /** Resolves when the next chat request arrives (to act at that moment, not after a guessed delay). */
  received(): Promise<void>;
  close(): Promise<void>;
}

/** Embedding dimensions of the fake. */
export const FAKE_DIMENSIONS = 48;

/** A deterministic vector from character bigrams: similar texts get similar vectors. */
export function fakeVector(text: string): number[] {
  const v = new Array<number>(FAKE_DIMENSIONS).fill(0);
  const chars = [...text];
  for (let i = 0; i < chars.length - 1; i++) {
    const h = createHash('md5')
      .update(chars[i]! + chars[i + 1]!)
      .digest();
    v[h[0]! % FAKE_DIMENSIONS]! += 1;
  }
  const norm = Math.hypot(...v) || 1;
  return v.map((x) => x / norm);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts the fake; `await fake.close()` in teardown. */
export async function startFakeOpenAI(): Promise<FakeOpenAI> {
  const app = express();
  app.use(express.json({ limit: '5mb' }));
  const requests: RecordedRequest[] = [];
  const queue: ChatReply[] = [];
  let fallback: ChatReply | ((body: Record<string, unknown>) => ChatReply) = {
    kind: 'answer',
    text: '好的[1]。',
  };
  let inFlight = 0;
  let maxInFlight = 0;
  let embeddingFailures = 0;
  let chatCalls = 0;
  let embeddingCalls = 0;
  let waiting: Array<() => void> = [];
  const arrived = () => {
    const resolve = waiting;
    waiting = [];
    for (const r of resolve) r();
  };

  app.post('/v1/chat/completions', async (req, res) => {
    const body = req.body as Record<string, unknown>;
    requests.push({ path: req.path, body, authorization: req.get('authorization') });
    chatCalls += 1;
    arrived();
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.on('close', () => (inFlight -= 1));
    const reply = queue.shift() ?? (typeof fallback === 'function' ? fallback(body) : fallback);
    const model = String(body['model'] ?? 'fake');
    if (reply.kind === 'hang') return;
    if (reply.kind === 'status') {
      res
        .status(reply.status)
        .json({ error: { message: `fake ${reply.status}`, type: 'server_error' } });
      return;
    }
    const finish = reply.finishReason ?? 'stop';
    if (body['stream'] !== true) {
      res.json({
        id: 'chatcmpl-fake',
        object: 'chat.completion',
        created: 0,
        model,
        choices: [
          { index: 0, message: { role: 'assistant', content: reply.text }, finish_reason: finish },
        ],
      });
      return;
    }
    res.setHeader('Content-Type', 'text/event-stream');
    res.flushHeaders();
    const chunk = (delta: Record<string, unknown>, finishReason: string | null) =>
      `data: ${JSON.stringify({ id: 'chatcmpl-fake', object: 'chat.completion.chunk', created: 0, model, choices: [{ index: 0, delta, finish_reason: finishReason }] })}\n\n`;
    const size = reply.pieceChars ?? 3;
    const chars = [...reply.text];
    const pieces: string[] = [];
    for (let i = 0; i < chars.length; i += size) pieces.push(chars.slice(i, i + size).join(''));
    res.write(chunk({ role: 'assistant', content: '' }, null));
    for (let i = 0; i < pieces.length; i++) {
      if (reply.cutAfter && i === reply.cutAfter.pieces) {
        if (reply.cutAfter.how === 'destroy') res.socket?.destroy();
        else res.end();
        return;
      }
      if (reply.invalidJsonAfter === i)
        res.write('data: {"choices": [{"delta": {"content": "半截\n\n');
      if (reply.delayMs) await sleep(reply.delayMs);
      if (res.destroyed) return;
      res.write(chunk({ content: pieces[i] }, null));
    }
    res.write(chunk({}, finish));
    res.end('data: [DONE]\n\n');
  });

  // Ollama's native chat API: one JSON object per line, the last with done: true.
  app.post('/api/chat', async (req, res) => {
    const body = req.body as Record<string, unknown>;
    requests.push({ path: req.path, body, authorization: req.get('authorization') });
    chatCalls += 1;
    arrived();
    const reply = queue.shift() ?? (typeof fallback === 'function' ? fallback(body) : fallback);
    if (reply.kind === 'hang') return;
    if (reply.kind === 'status') {
      res.status(reply.status).json({ error: `fake ${reply.status}` });
      return;
    }
    const line = (content: string, done: boolean) =>
      `${JSON.stringify({ model: body['model'], created_at: new Date(0).toISOString(), message: { role: 'assistant', content }, done, ...(done ? { done_reason: reply.finishReason ?? 'stop' } : {}) })}\n`;
    res.setHeader('Content-Type', 'application/x-ndjson');
    const chars = [...reply.text];
    const size = reply.pieceChars ?? 3;
    for (let i = 0, n = 0; i < chars.length; i += size, n++) {
      if (reply.cutAfter && n === reply.cutAfter.pieces) {
        if (reply.cutAfter.how === 'destroy') res.socket?.destroy();
        else res.end();
        return;
      }
      if (reply.delayMs) await sleep(reply.delayMs);
      if (res.destroyed) return;
      res.write(line(chars.slice(i, i + size).join(''), false));
    }
    res.end(line('', true));
  });

  app.post('/v1/embeddings', (req, res) => {
    const body = req.body as { input: string | string[]; model: string; encoding_format?: string };
    requests.push({
      path: req.path,
      body: body as unknown as Record<string, unknown>,
      authorization: req.get('authorization'),
    });
    embeddingCalls += 1;
    if (embeddingFailures > 0) {
      embeddingFailures -= 1;
      res.status(500).json({ error: { message: 'fake embeddings failure' } });
      return;
    }
    const inputs = Array.isArray(body.input) ? body.input : [body.input];
    const data = inputs.map((text, index) => {
      const vector = fakeVector(text);
      const embedding =
        body.encoding_format === 'base64'
          ? Buffer.from(new Float32Array(vector).buffer).toString('base64')
          : vector;
      return { object: 'embedding', index, embedding };
    });
    res.json({
      object: 'list',
      data,
      model: body.model,
      usage: { prompt_tokens: 0, total_tokens: 0 },
    });
  });

  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    origin: `http://127.0.0.1:${port}`,
    requests,
    reply: (...replies) => void queue.push(...replies),
    setDefault: (reply) => void (fallback = reply),
    get inFlight() {
      return inFlight;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    failEmbeddings: (n) => void (embeddingFailures = n),
    get chatCalls() {
      return chatCalls;
    },
    get embeddingCalls() {
      return embeddingCalls;
    },
    received: () => new Promise<void>((resolve) => waiting.push(resolve)),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
