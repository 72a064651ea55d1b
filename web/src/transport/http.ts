/**
 * The HTTP fallbacks: `POST /api/ask/stream` read as server-sent events through fetch, and
 * plain `POST /api/ask`. `askStream` reports `'unavailable'` only when the stream route could
 * not be used at all, so the caller may try plain POST without re-sending a delivered question.
 */
import type { AnswerWithId, AskHandlers, ServerFrame } from '../types.js';
import { T } from '../strings.js';

export interface AskRequest {
  question: string;
  history: string[];
  sessionId: string;
}

export interface HttpOptions {
  server: string;
  signal?: AbortSignal;
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
}

/** The `{code, message}` of an error response, whichever of the two usual shapes it has. */
export async function readError(res: Response): Promise<{ code: string; message: string }> {
  try {
    const body = (await res.json()) as {
      code?: string;
      message?: string;
      error?: { code?: string; message?: string };
    };
    const e = body.error ?? body;
    if (e.code) return { code: e.code, message: e.message ?? T.networkError };
  } catch {
    /* not JSON */
  }
  return { code: `HTTP_${res.status}`, message: T.networkError };
}

/** Splits an SSE byte stream into events (WHATWG HTML §9.2 "Server-sent events", simplified). */
export async function* readEvents(
  body: ReadableStream<Uint8Array>,
): AsyncGenerator<{ event: string; data: string }> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    buffer += decoder.decode(value, { stream: !done }).replace(/\r\n?/g, '\n');
    let cut: number;
    while ((cut = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'event') event = value;
        else if (field === 'data') data.push(value);
      }
      if (data.length > 0) yield { event, data: data.join('\n') };
    }
    if (done) return;
  }
}

/** Asks over the SSE route. Resolves 'unavailable' when the route cannot be used at all. */
export async function askStream(
  req: AskRequest,
  h: AskHandlers,
  options: HttpOptions,
): Promise<'ok' | 'unavailable'> {
  const doFetch = options.fetch ?? fetch;
  let res: Response;
  try {
    res = await doFetch(`${options.server}/api/ask/stream`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify(req),
      signal: options.signal ?? null,
    });
  } catch (error) {
    if (options.signal?.aborted) return 'ok';
    void error;
    return 'unavailable';
  }
  const type = res.headers.get('content-type') ?? '';
  if (res.ok && !type.includes('text/event-stream')) return 'unavailable';
  if (!res.ok) {
    if ([404, 405, 501].includes(res.status)) return 'unavailable';
    const e = await readError(res);
    h.onError(e.code, e.message);
    return 'ok';
  }
  if (!res.body) return 'unavailable';
  try {
    for await (const { event, data } of readEvents(res.body)) {
      const frame = { type: event, ...(JSON.parse(data) as object) } as ServerFrame;
      if (frame.type === 'answer.start') h.onStart(frame.messageId, 'sse');
      else if (frame.type === 'answer.delta') h.onDelta(frame.text);
      else if (frame.type === 'answer.done') {
        h.onDone(frame.answer);
        return 'ok';
      } else if (frame.type === 'error') {
        h.onError(frame.code, frame.message);
        return 'ok';
      }
    }
  } catch {
    if (options.signal?.aborted) return 'ok';
  }
  h.onError('INTERRUPTED', T.interrupted);
  return 'ok';
}

/** Asks with plain `POST /api/ask` (the last resort: no streaming). */
export async function askPlain(
  req: AskRequest,
  h: AskHandlers,
  options: HttpOptions,
): Promise<void> {
  const doFetch = options.fetch ?? fetch;
  let res: Response;
  try {
    res = await doFetch(`${options.server}/api/ask`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(req),
      signal: options.signal ?? null,
    });
  } catch {
    if (!options.signal?.aborted) h.onError('NETWORK', T.networkError);
    return;
  }
  if (!res.ok) {
    const e = await readError(res);
    h.onError(e.code, e.message);
    return;
  }
  try {
    const answer = (await res.json()) as AnswerWithId;
    h.onStart(answer.messageId ?? '', 'http');
    h.onDone(answer);
  } catch {
    h.onError('NETWORK', T.networkError);
  }
}
