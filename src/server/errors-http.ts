/**
 * The HTTP error translator: any error becomes `{ error: { code, message } }` with the
 * code's status. Unknown errors become INTERNAL (500), logged with their cause; no stack
 * trace or internal detail reaches the client.
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { AppError, toAppError } from '../errors.js';
import type { Logger } from './logger.js';

/** The JSON body for an error response; `detail` only for client errors. */
export function errorBody(error: AppError): { error: { code: string; message: string; detail?: string } } {
  const body: { code: string; message: string; detail?: string } = {
    code: error.code,
    message: error.message,
  };
  if (error.status < 500 && error.detail !== undefined) body.detail = error.detail;
  return { error: body };
}

/** Express error middleware; mount last. */
export function httpErrorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    const appError = toAppError(error);
    const log = req.log ?? logger;
    if (appError.status >= 500 && appError.code !== 'INDEX_NOT_READY' && appError.code !== 'SHUTTING_DOWN') {
      log.error({ err: appError.cause ?? appError, code: appError.code }, 'request failed');
    }
    if (res.headersSent) {
      next(error);
      return;
    }
    res.status(appError.status).json(errorBody(appError));
  };
}

/** The catch-all for unknown routes: NOT_FOUND in the same shape. */
export function notFound(): RequestHandler {
  return (_req, _res, next) => next(new AppError('NOT_FOUND'));
}
