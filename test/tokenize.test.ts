import { describe, expect, it } from 'vitest';
import { namesPersonNear } from '../src/text/tokenize.js';

describe('text/tokenize: namesPersonNear', () => {
  it('finds a person named right before or after one of the words', () => {
    expect(namesPersonNear('国务院总理李强作政府工作报告', ['总理'])).toBe(true);
    expect(namesPersonNear('李强总理作报告', ['总理'])).toBe(true);
  });

  it('is false, without segmenting, when the text holds none of the words', () => {
    expect(namesPersonNear('国务院总理李强作政府工作报告', ['省长'])).toBe(false);
    expect(namesPersonNear('全省法治政府建设取得新进展', ['省长', '市长'])).toBe(false);
  });
});
