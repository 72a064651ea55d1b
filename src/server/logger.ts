/**
 * Logging: pino JSON lines, one child logger per request carrying its request id.
 * Nothing here logs question text; the ask service logs masked text only at debug.
 */
import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import { pino, type Logger } from 'pino';

export type { Logger } from 'pino';

declare global {
  // Express's own augmentation point for per-request fields.
  namespace Express {
    interface Request {
      /** Request id: a sane incoming X-Request-Id, or a new UUID. */
      id: string;
      /** A logger bound to this request's id. */
      log: Logger;
    }
  }
}

export interface LoggerOptions {
  /** @default 'info' */
  level?: string;
  /** @default process.stdout */
  destination?: NodeJS.WritableStream;
}

/** A pino logger; tokens and cookies are redacted should a header ever be logged. */
export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      // pid: with WORKERS > 1 several processes write one log; it says which one answered.
      base: { service: 'wenzheng', pid: process.pid },
      redact: ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization'],
    },
    options.destination ?? process.stdout,
  );
}

export interface RequestLogOptions {
  /** @default randomUUID */
  newId?: () => string;
}

const INCOMING_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** Gives each request an id (echoed as X-Request-Id) and logs it when the response ends. */
export function requestLog(logger: Logger, options: RequestLogOptions = {}): RequestHandler {
  const newId = options.newId ?? randomUUID;
  return (req, res, next) => {
    const incoming = req.get('x-request-id');
    req.id = incoming && INCOMING_ID.test(incoming) ? incoming : newId();
    req.log = logger.child({ reqId: req.id });
    res.setHeader('X-Request-Id', req.id);
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      // The path only: a query string is the one place a client might put free text.
      req.log.info(
        {
          method: req.method,
          path: req.path,
          status: res.statusCode,
          ms: Math.round(ms * 10) / 10,
        },
        'request',
      );
    });
    next();
  };
}
