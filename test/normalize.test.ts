import { describe, expect, it } from 'vitest';
import { normalizeQuestion, normalizeText } from '../src/text/normalize.js';

describe('normalize', () => {
  it('folds full-width digits and letters, and traditional to simplified', () => {
    expect(normalizeText('ｗｈａｔ？地方性法规１９件')).toBe('what?地方性法规19件');
    expect(normalizeText('政協提案辦理了多少件')).toBe('政协提案办理了多少件');
  });

  it('strips markup and control characters and collapses white space', () => {
    expect(normalizeQuestion('<b>法律  援助</b>\u0007\u200b有 多少？', { maxChars: 50 })).toBe(
      '法律援助有多少?',
    );
  });

  it('rejects empty and over-long questions with stable codes', () => {
    expect(() => normalizeQuestion('  ？？ ', { maxChars: 50 })).toThrow(
      expect.objectContaining({ code: 'EMPTY_QUESTION' }),
    );
    expect(() => normalizeQuestion('问'.repeat(51), { maxChars: 50 })).toThrow(
      expect.objectContaining({ code: 'QUESTION_TOO_LONG', status: 413 }),
    );
  });

  it('removes every bidi control, the isolates U+2066–U+2069 too', () => {
    expect(
      normalizeQuestion('\u2066行政复议\u2069\u2067多少件\u2068\u061c\u202e\u200f', {
        maxChars: 50,
      }),
    ).toBe('行政复议多少件');
  });

  it('reads a space inside a word as no space: 「怎 么」 is 「怎么」, not 「怎幺」', () => {
    const plain = normalizeQuestion('怎么申请法律援助？', { maxChars: 50 });
    for (const spaced of [
      '怎 么申请法律援助？',
      '怎\u3000么申请法律援助？',
      '怎\u00a0么 申请 法律援助？',
    ]) {
      expect(normalizeQuestion(spaced, { maxChars: 50 })).toBe(plain);
    }
  });
});
