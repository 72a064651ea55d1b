/**
 * POST /api/ask/stream: the answer as text/event-stream, for networks that block
 * WebSockets. The events carry the same JSON frames as the socket (answer.start,
 * answer.delta, answer.done, error), each as `event: <type>` + `data: <frame>`.
 * Errors found before the stream opens (bad body, limits, over-long question) are
 * ordinary JSON error responses with their status, as on POST /api/ask.
 */
import type { RequestHandler } from 'express';
import type { AskService } from './ask-service.js';
import { checkQuestion } from '../text/question-check.js';
import { askBodySchema, parseBody, type ServerFrame } from './protocol.js';
import { errorFrame, toWireError } from './wire-errors.js';

export interface SseRouteOptions {
  askService: AskService;
  maxQuestionChars: number;
  /** Interval of `: ping` comments that keep proxies from timing the stream out. @default 15000 */
  pingMs?: number;
  /** A stream whose unsent data passes this many bytes is cut off (the client does not read); 0 = no limit. @default 1048576 */
  maxUnsentBytes?: number;
}

type Res = Parameters<RequestHandler>[1];

/**
 * Writes to the stream unless the client stopped reading: past `maxUnsentBytes` of
 * unsent data (res.writableLength) the response is destroyed instead of buffering more.
 */
function writeBounded(res: Res, text: string, maxUnsentBytes: number): void {
  if (res.destroyed) return;
  if (maxUnsentBytes > 0 && res.writableLength > maxUnsentBytes) {
    res.req.log?.warn(
      { unsentBytes: res.writableLength, limit: maxUnsentBytes },
      'stream closed: client does not read it',
    );
    res.destroy();
    return;
  }
  res.write(text);
}

/** Writes one frame as an SSE event. */
function writeEvent(res: Res, frame: ServerFrame, maxUnsentBytes: number): void {
  writeBounded(res, `event: ${frame.type}\ndata: ${JSON.stringify(frame)}\n\n`, maxUnsentBytes);
}

/** The handler for POST /api/ask/stream (mount after the JSON parser and the limits). */
export function sseAskRoute(options: SseRouteOptions): RequestHandler {
  const pingMs = options.pingMs ?? 15_000;
  const bound = options.maxUnsentBytes ?? 1_048_576;
  return async (req, res) => {
    const body = parseBody(askBodySchema, req.body);
    checkQuestion(body.question, options.maxQuestionChars);

    const aborter = new AbortController();
    let finished = false;
    res.on('close', () => {
      if (!finished) aborter.abort();
    });
    res.status(200);
    res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    // no-transform stops compressing proxies from buffering; X-Accel-Buffering is nginx's switch.
    res.setHeader('Cache-Control', 'no-cache, no-transform');
    res.setHeader('Connection', 'keep-alive');
    res.setHeader('X-Accel-Buffering', 'no');
    res.flushHeaders();
    res.write(': stream open\n\n');
    const ping = setInterval(() => writeBounded(res, ': ping\n\n', bound), pingMs);

    let id = '';
    let seq = 0;
    try {
      const answer = await options.askService.ask({
        question: body.question,
        history: body.history,
        sessionId: body.sessionId,
        transport: 'sse',
        signal: aborter.signal,
        log: req.log,
        onStart: (messageId) => {
          id = messageId;
          writeEvent(res, { type: 'answer.start', id, messageId }, bound);
        },
        onDelta: (text) => writeEvent(res, { type: 'answer.delta', id, seq: seq++, text }, bound),
      });
      writeEvent(res, { type: 'answer.done', id: answer.messageId, answer }, bound);
    } catch (error) {
      const appError = toWireError(error, req.log, 'stream failed');
      if (!aborter.signal.aborted) writeEvent(res, errorFrame(appError, id), bound);
    } finally {
      finished = true;
      clearInterval(ping);
      res.end();
    }
  };
}
