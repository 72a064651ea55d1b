import { describe, expect, it } from 'vitest';
import { checkCurated, matchCurated, type CuratedAnswer } from '../src/admin/curated.js';

const PASSAGE = '过去一年，青山市新建城市书房128座，全年接待读者56.3万人次。';
const text = (id: string) => (id === 'c1' ? PASSAGE : null);
const draft = {
  question: '城市书房怎么预约',
  paraphrases: [],
  answer: '青山市已建成城市书房128座[1]。',
  chunkIds: ['c1'],
};

describe('curated answers', () => {
  it('accepts an answer whose figures are all in the cited passage, in any spelling', () => {
    expect(checkCurated(draft, text)).toBeNull();
    expect(
      checkCurated({ ...draft, answer: '接待读者五十六点三万人次，即563000人次。' }, text),
    ).toBeNull();
  });

  it('refuses an answer without a citation, citing a passage that is gone, or with an invented figure', () => {
    expect(checkCurated({ ...draft, chunkIds: [] }, text)).toContain('至少要引用一段');
    expect(checkCurated({ ...draft, chunkIds: ['gone'] }, text)).toContain('不存在');
    expect(
      checkCurated({ ...draft, answer: '已建成城市书房130座，接待读者56.3万人次。' }, text),
    ).toContain('130座');
  });

  it('matches the question and its paraphrases, not other questions', () => {
    const entry: CuratedAnswer = {
      ...draft,
      id: 'a',
      version: 1,
      paraphrases: ['如何预约城市书房'],
      author: 'x',
      updatedAt: '',
    };
    expect(matchCurated('城市书房怎么预约？', [entry])).toBe(entry);
    expect(matchCurated('请问如何预约城市书房', [entry])).toBe(entry);
    expect(matchCurated('城市书房有多少座', [entry])).toBeNull();
  });
});
