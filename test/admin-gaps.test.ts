import { describe, expect, it } from 'vitest';
import { groupQuestions, type QuestionTally } from '../src/admin/gaps.js';
import { questionForm, questionSimilarity } from '../src/admin/similarity.js';
import { loadLexicon } from '../src/text/lexicon.js';

let n = 0;
const tally = (
  question: string,
  count = 1,
  lastAt = '2026-11-20T10:00:00.000Z',
): QuestionTally => ({
  key: `k${n++}`,
  question,
  count,
  firstAt: '2026-11-01T08:00:00.000Z',
  lastAt,
  downVotes: 0,
  chunkIds: [`c-${question}`],
});

describe('gaps grouping', () => {
  it('puts paraphrases of one question in one group and other questions apart', () => {
    const groups = groupQuestions([
      tally('城市书房怎么预约？', 3),
      tally('如何预约城市书房', 2),
      tally('城市书房预约方法'),
      tally('公积金怎么提取？', 2),
      tally('怎样提取住房公积金'),
      tally('今年的GDP增长目标是多少'),
    ]);
    expect(groups.map((g) => g.wordings.map((w) => w.question))).toEqual([
      ['城市书房怎么预约？', '如何预约城市书房', '城市书房预约方法'],
      ['公积金怎么提取？', '怎样提取住房公积金'],
      ['今年的GDP增长目标是多少'],
    ]);
  });

  it('counts every asking of the group, keeps the first and last time seen and the latest passages shown', () => {
    const [group] = groupQuestions([
      tally('城市书房怎么预约', 3, '2026-11-20T10:00:00.000Z'),
      tally('如何预约城市书房', 2, '2026-11-25T10:00:00.000Z'),
    ]);
    expect(group).toMatchObject({
      question: '城市书房怎么预约',
      count: 5,
      firstAt: '2026-11-01T08:00:00.000Z',
      lastAt: '2026-11-25T10:00:00.000Z',
      chunkIds: ['c-如何预约城市书房'],
    });
  });

  it('brings everyday wording and the report term together through the synonym lexicon', () => {
    const lexicon = loadLexicon();
    expect(questionForm('免费问律师吗', lexicon)).toBe(questionForm('免费法律咨询', lexicon));
    const groups = groupQuestions([tally('能免费问律师吗'), tally('免费法律咨询怎么申请')], {
      lexicon,
    });
    expect(groups).toHaveLength(1);
    expect(groupQuestions([tally('能免费问律师吗'), tally('免费法律咨询怎么申请')])).toHaveLength(
      2,
    );
  });

  it('does not group questions that share only question words', () => {
    expect(questionSimilarity('怎么办理', '怎么申请')).toBeLessThan(0.5);
    expect(groupQuestions([tally('养老金怎么领？'), tally('驾照怎么领？')])).toHaveLength(2);
  });

  it('orders groups by how often they were asked, ties by the most recent', () => {
    const groups = groupQuestions([
      tally('甲问题在这里', 1, '2026-11-01T00:00:00.000Z'),
      tally('完全不同的乙', 1, '2026-11-02T00:00:00.000Z'),
      tally('丙丙丙丙丙', 4),
    ]);
    expect(groups.map((g) => g.question)).toEqual(['丙丙丙丙丙', '完全不同的乙', '甲问题在这里']);
  });
});
