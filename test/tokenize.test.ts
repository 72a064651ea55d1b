import { describe, expect, it } from 'vitest';
import { namesPersonNear, namesPlace } from '../src/text/tokenize.js';

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

describe('places named in an answer', () => {
  it('finds a place the question does not name, not the question’s own', () => {
    const q = '四川第十五届省运会在哪个城市举办';
    expect(namesPlace('第十五届省运会将在宜宾举办', q)).toBe(true);
    expect(namesPlace('城镇、农村常住居民人均可支配收入', q)).toBe(false);
    expect(namesPlace('第十六届省运会在乐山市召开', q)).toBe(true);
    expect(namesPlace('四川省运会圆满举办', q)).toBe(false);
    expect(namesPlace('办好第十五届省运会等重大赛事', q)).toBe(false);
  });
});
