/**
 * The one translation of errors to the wire, for HTTP, SSE and the WebSocket: any error
 * becomes an AppError; an unexpected one (status ≥ 500, other than the expected
 * INDEX_NOT_READY and SHUTTING_DOWN) is logged with its cause, and reaches the client only as
 * its code and Chinese message (unknown errors as INTERNAL). No stack trace, and `detail`
 * only for client errors.
 */
import { toAppError, type AppError } from '../errors.js';
import type { ErrorFrame } from './protocol.js';

/** Where unexpected failures are logged (a pino logger). */
export interface ErrorLog {
  error(fields: object, message: string): void;
}

/** 5xx codes that are a state of the service, not a fault: answered, never logged as errors. */
const EXPECTED = new Set<string>(['INDEX_NOT_READY', 'SHUTTING_DOWN']);

/** The AppError to send for `error`; logs it with `what` when it is unexpected. */
export function toWireError(error: unknown, log: ErrorLog, what: string): AppError {
  const appError = toAppError(error);
  if (appError.status >= 500 && !EXPECTED.has(appError.code)) {
    log.error({ err: appError.cause ?? appError, code: appError.code }, what);
  }
  return appError;
}

/** The JSON body of an HTTP error response: `{ error: { code, message, detail? } }`. */
export function errorBody(error: AppError): {
  error: { code: string; message: string; detail?: string };
} {
  const body: { code: string; message: string; detail?: string } = {
    code: error.code,
    message: error.message,
  };
  if (error.status < 500 && error.detail !== undefined) body.detail = error.detail;
  return { error: body };
}

/** The error frame of the WebSocket and the SSE stream, tied to the question `id` when known. */
export function errorFrame(error: AppError, id?: string): ErrorFrame {
  return {
    type: 'error',
    ...(id !== undefined && id !== '' ? { id } : {}),
    code: error.code,
    message: error.message,
  };
}
