/**
 * HTTP's use of the error translator (wire-errors.ts): any error becomes
 * `{ error: { code, message } }` with the code's status.
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { AppError } from '../errors.js';
import type { Logger } from './logger.js';
import { errorBody, toWireError } from './wire-errors.js';

/** Express error middleware; mount last. */
export function httpErrorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    const appError = toWireError(error, req.log ?? logger, 'request failed');
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
