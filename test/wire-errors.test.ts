import { describe, expect, it } from 'vitest';
import { AppError } from '../src/errors.js';
import { errorBody, errorFrame, toWireError } from '../src/server/wire-errors.js';

function recorder() {
  const logged: Array<{ fields: Record<string, unknown>; message: string }> = [];
  return {
    logged,
    log: {
      error: (fields: object, message: string) =>
        logged.push({ fields: fields as Record<string, unknown>, message }),
    },
  };
}

describe('server/wire-errors', () => {
  it('sends an unknown failure as INTERNAL without its message or stack, and logs the cause once', () => {
    const { logged, log } = recorder();
    const cause = new Error('ENOENT: /srv/secret/path');
    const wire = toWireError(cause, log, 'answer failed');
    expect(wire.code).toBe('INTERNAL');
    expect(JSON.stringify(errorBody(wire))).not.toMatch(/secret|ENOENT|at /);
    expect(errorBody(wire)).toEqual({
      error: { code: 'INTERNAL', message: '服务内部错误，请稍后再试。' },
    });
    expect(logged).toEqual([
      { fields: { err: cause, code: 'INTERNAL' }, message: 'answer failed' },
    ]);
  });

  it('does not log the states of the service (index loading, shutting down) or client errors', () => {
    const { logged, log } = recorder();
    for (const code of [
      'INDEX_NOT_READY',
      'SHUTTING_DOWN',
      'QUESTION_TOO_LONG',
      'BAD_REQUEST',
    ] as const)
      toWireError(new AppError(code), log, 'x');
    expect(logged).toEqual([]);
  });

  it('names the failed input in detail for client errors only', () => {
    expect(
      errorBody(new AppError('BAD_REQUEST', { detail: 'question: must be a string' })).error.detail,
    ).toBe('question: must be a string');
    expect(
      errorBody(new AppError('INGEST_FAILED', { detail: 'parser crashed at byte 9' })).error,
    ).not.toHaveProperty('detail');
  });

  it('makes the same frame for the socket and the SSE stream, with the question id when known', () => {
    const error = new AppError('BUSY');
    expect(errorFrame(error, 'q1')).toEqual({
      type: 'error',
      id: 'q1',
      code: 'BUSY',
      message: error.message,
    });
    expect(errorFrame(error)).toEqual({ type: 'error', code: 'BUSY', message: error.message });
    expect(errorFrame(error, '')).not.toHaveProperty('id');
  });
});
