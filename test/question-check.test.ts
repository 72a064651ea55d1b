import { describe, expect, it } from 'vitest';
import { normalizeQuestion } from '../src/text/normalize.js';
import { checkQuestion } from '../src/text/question-check.js';

const error = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return e as { code: string; message: string; status: number };
  }
  throw new Error('no error');
};

describe('text/question-check', () => {
  it('counts characters as a citizen sees them (an emoji is one)', () => {
    expect(checkQuestion(`${'问'.repeat(9)}😀`, 10)).toBe(`${'问'.repeat(9)}😀`);
    expect(error(() => checkQuestion('问'.repeat(11), 10))).toMatchObject({
      code: 'QUESTION_TOO_LONG',
      status: 413,
    });
  });

  it('rejects empty questions and non-strings with their own codes', () => {
    expect(error(() => checkQuestion('  \n ', 10)).code).toBe('EMPTY_QUESTION');
    expect(error(() => checkQuestion(42, 10)).code).toBe('BAD_REQUEST');
  });

  it('gives the server and the engine one message that names the limit', () => {
    const fromServer = error(() => checkQuestion('问'.repeat(11), 10));
    const fromEngine = error(() => normalizeQuestion('问'.repeat(11), { maxChars: 10 }));
    expect(fromServer.message).toBe('问题太长了（最多 10 个字），请精简后再问。');
    expect(fromEngine.message).toBe(fromServer.message);
  });
});
