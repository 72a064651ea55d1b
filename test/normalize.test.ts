import { describe, expect, it } from 'vitest';
import { normalizeQuestion, normalizeText } from '../src/text/normalize.js';

describe('normalize', () => {
  it('folds full-width digits and letters, and traditional to simplified', () => {
    expect(normalizeText('ｗｈａｔ？地方性法规１９件')).toBe('what?地方性法规19件');
    expect(normalizeText('政協提案辦理了多少件')).toBe('政协提案办理了多少件');
  });

  it('strips markup and control characters and collapses white space', () => {
    expect(normalizeQuestion('<b>法律  援助</b>\u0007\u200b有 多少？', { maxChars: 50 })).toBe('法律援助有多少?');
  });

  it('rejects empty and over-long questions with stable codes', () => {
    expect(() => normalizeQuestion('  ？？ ', { maxChars: 50 })).toThrow(expect.objectContaining({ code: 'EMPTY_QUESTION' }));
    expect(() => normalizeQuestion('问'.repeat(51), { maxChars: 50 })).toThrow(
      expect.objectContaining({ code: 'QUESTION_TOO_LONG', status: 413 }),
    );
  });
});
