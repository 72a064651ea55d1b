/**
 * JSON request bodies for the API's POST routes: UTF-8 JSON objects or arrays up to a byte
 * limit. It does what the API needs of express.json (which does much more per request:
 * content negotiation, compressed bodies, other charsets) at a fraction of its cost on the
 * busiest route. Errors carry our codes: BODY_TOO_LARGE, or BAD_REQUEST with the reason.
 */
import type { RequestHandler } from 'express';
import { AppError } from '../errors.js';

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;
const CHARSET = /;\s*charset\s*=\s*"?([\w-]+)"?/i;

const bad = (detail: string) => new AppError('BAD_REQUEST', { detail });

/**
 * Sets req.body from a JSON body; leaves it undefined when the request has none. A body
 * still incomplete `timeoutMs` after the headers fails with REQUEST_TIMEOUT (408) and the
 * connection is closed.
 */
export function jsonBody(limitBytes: number, timeoutMs = 10_000): RequestHandler {
  return (req, res, next) => {
    const type = req.headers['content-type'] ?? '';
    if (!JSON_TYPE.test(type)) {
      // Not ours: the body is left unread for the route (an upload's multipart reader may
      // attach after async steps; resuming here would drop what arrives meanwhile). Node
      // discards whatever no route reads once the response ends.
      next();
      return;
    }
    const charset = CHARSET.exec(type)?.[1]?.toLowerCase();
    const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase();
    const declared = Number(req.headers['content-length'] ?? NaN);
    let refused: AppError | null = null;
    if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8')
      refused = bad(`charset.unsupported: ${charset}`);
    else if (encoding !== 'identity') refused = bad(`encoding.unsupported: ${encoding}`);
    else if (declared > limitBytes)
      refused = new AppError('BODY_TOO_LARGE', {
        detail: `${declared} bytes, at most ${limitBytes}`,
      });
    if (refused) {
      req.resume(); // read and drop the body so the connection can be reused
      next(refused);
      return;
    }

    const chunks: Buffer[] = [];
    let received = 0;
    let settled = false;
    const finish = (error?: AppError) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.off('data', onData);
      next(error);
    };
    const timer = setTimeout(() => {
      // The rest of the body will not be read: the connection cannot be reused.
      res.setHeader('Connection', 'close');
      finish(
        new AppError('REQUEST_TIMEOUT', {
          detail: `body not complete after ${timeoutMs} ms (${received} bytes)`,
        }),
      );
      res.once('finish', () => req.socket.destroy());
    }, timeoutMs);
    timer.unref();
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > limitBytes) {
        chunks.length = 0;
        req.resume();
        finish(new AppError('BODY_TOO_LARGE', { detail: `more than ${limitBytes} bytes` }));
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('aborted', () => finish(bad('request.aborted')));
    req.once('error', () => finish(bad('request.aborted')));
    req.once('end', () => {
      if (settled) return;
      const text = (chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks))
        .toString('utf8')
        .trim();
      if (text === '') {
        req.body = {};
        finish();
        return;
      }
      // Objects and arrays only, as express.json's strict mode: a bare "string" is a mistake.
      if (text[0] !== '{' && text[0] !== '[') {
        finish(bad('entity.parse.failed: not a JSON object'));
        return;
      }
      try {
        req.body = JSON.parse(text);
      } catch {
        finish(bad('entity.parse.failed'));
        return;
      }
      finish();
    });
  };
}
