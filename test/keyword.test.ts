import { describe, expect, it } from 'vitest';
import {
  buildKeywordIndex,
  KeywordIndex,
  linkableWords,
  queryTokens,
} from '../src/retrieval/keyword.js';

const q = (text: string) => queryTokens(new Map([[text, 1]]));

describe('keyword index (BM25)', () => {
  const index = new KeywordIndex(
    buildKeywordIndex([
      '全年办理人大代表建议811件、政协提案870件。',
      '为群众免费提供法律咨询46.4万人次。',
      '发布政务数据共享清单1032项。',
    ]),
  );

  it('ranks the chunk that shares the rare words first', () => {
    expect(index.search(q('免费法律咨询'), 3)[0]!.index).toBe(1);
    expect(index.search(q('政协提案'), 3)[0]!.index).toBe(0);
  });

  it('tells a phrase written together from its characters scattered over a passage', () => {
    const texts = ['城镇新增就业48万人。', '全市就业农村劳动力纳入城镇职工保险,新增岗位1万个。'];
    const two = new KeywordIndex(buildKeywordIndex(texts));
    const textOf = (i: number) => texts[i]!;
    expect(two.hasWord('城镇新增就业')).toBe(false);
    expect(two.holdsPhrase('城镇新增就业', textOf)).toBe(true);
    const second = new KeywordIndex(buildKeywordIndex([texts[1]!]));
    expect(second.holds('城镇新增就业')).toBe(false);
    expect(second.holdsPhrase('新增就业', (i) => [texts[1]!][i]!)).toBe(false);
    expect(second.holdsPhrase('职工保险', (i) => [texts[1]!][i]!)).toBe(true);
  });

  it('finds numbers and respects a filter', () => {
    expect(index.search(q('1032'), 3).map((h) => h.index)).toEqual([2]);
    expect(index.search(q('法律咨询'), 3, (i) => i !== 1)).toEqual([]);
  });

  it('reads only the strongest postings of a very common token, best first', () => {
    const texts = Array.from({ length: 50 }, (_, i) =>
      i === 37 ? '法律 法律 法律' : `法律 其他内容${'填充'.repeat(i)}`,
    );
    const big = new KeywordIndex(buildKeywordIndex(texts));
    const hits = big.search(q('法律'), 1, undefined, 5);
    expect(hits[0]!.index).toBe(37);
  });
});

describe('linkable words', () => {
  it('are stored at build time and read off the tokens of an older index', () => {
    const data = buildKeywordIndex(['改造城镇老旧小区827个', '人民代表大会召开']);
    expect(data.words).toContain('人民代表大会');
    expect(data.words!.every((w) => w.length >= 3)).toBe(true);
    const older = { ...data, words: undefined };
    expect(linkableWords(older).sort()).toEqual([...data.words!].sort());
  });
});
