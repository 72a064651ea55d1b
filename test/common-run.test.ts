import { describe, expect, it } from 'vitest';
import { longestCommonRun } from '../src/text/common-run.js';

/** The textbook dynamic programme, as the reference. */
function reference(a: string, b: string): number {
  let best = 0;
  const rows = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++)
      if (a[i - 1] === b[j - 1]) best = Math.max(best, (rows[i]![j] = rows[i - 1]![j - 1]! + 1));
  return best;
}

describe('longestCommonRun', () => {
  it('measures the longest stretch of a question a passage repeats', () => {
    expect(longestCommonRun('免费提供法律咨询多少人次', '为群众免费提供法律咨询46.4万人次')).toBe(
      8,
    );
    expect(longestCommonRun('公积金怎么提取', '全年办理行政复议案件')).toBe(0);
    expect(longestCommonRun('', '任何文字')).toBe(0);
  });

  it('agrees with the dynamic programme on random texts with repeats', () => {
    let seed = 7;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const text = (n: number) =>
      Array.from({ length: n }, () => '法律援助案件件数'[rand(8)]).join('');
    for (let t = 0; t < 300; t++) {
      const a = text(rand(20));
      for (const b of [text(rand(60)), a + text(3), text(5) + a])
        expect(longestCommonRun(a, b), `${a} / ${b}`).toBe(reference(a, b));
    }
  });
});

describe('longestCommonRun across letter case', () => {
  it('counts Latin letters in either case as the same', () => {
    expect(longestCommonRun('bcpl是哪年设计的', 'BCPL是一种语言')).toBe(5);
    expect(longestCommonRun('BCPL', 'bcpl')).toBe(4);
  });
});
