/** The calibration report's year check on hand-built answers and facts. */
import { describe, expect, it } from 'vitest';
import { askedYears, factsByChunk, figuresForOtherYears } from '../src/eval/other-year.js';
import type { Fact } from '../src/facts/fact.js';
import type { Answer } from '../src/types.js';

function fact(
  chunkId: string,
  figure: string,
  year: number | null,
  span: Fact['span'] = 'year',
): Fact {
  return {
    id: `${chunkId}:0`,
    docId: 'd',
    chunkId,
    figure,
    value: 0,
    unit: '',
    label: '',
    sentence: '',
    figureStart: 0,
    figureEnd: 0,
    section: '',
    sectionPath: '',
    title: '',
    year,
    kind: 'actual',
    span,
    reportYear: 2025,
    region: null,
  } as Fact;
}

function answer(text: string, chunkIds: string[], found = true): Answer {
  return {
    found,
    answer: text,
    citations: chunkIds.map((chunkId, i) => ({ n: i + 1, chunkId, text: '' }) as never),
    mode: 'extractive',
    question: '',
  };
}

const facts = factsByChunk([
  fact('c1', '70万人', 2025),
  fact('c1', '82.7万人', 2024),
  fact('c2', '5%左右', null),
  fact('c3', '452万人', null, 'five-year'),
]);

describe('askedYears', () => {
  it('reads written and bare years, and a follow-up inherits the last named year', () => {
    expect(askedYears('2024年城镇新增就业多少')).toEqual([2024]);
    expect(askedYears('2024 新增就业 人数')).toEqual([2024]);
    expect(askedYears('那失业率呢', ['2023年城镇新增就业多少'])).toEqual([2023]);
    expect(askedYears('去年呢', ['城镇新增就业多少'])).toEqual([]);
    expect(askedYears('今年计划多少', ['2025年城镇新增就业多少'])).toEqual([]);
  });
});

describe('figuresForOtherYears', () => {
  it('flags a figure its citation gives only for another year', () => {
    expect(figuresForOtherYears(answer('城镇新增就业82.7万人[1]', ['c1']), [2025], facts)).toEqual([
      '82.7万人',
    ]);
  });

  it('passes the figure of the year asked, and judges nothing without an explicit year', () => {
    expect(figuresForOtherYears(answer('城镇新增就业70万人[1]', ['c1']), [2025], facts)).toEqual(
      [],
    );
    expect(figuresForOtherYears(answer('城镇新增就业82.7万人[1]', ['c1']), [], facts)).toEqual([]);
  });

  it('passes a figure of another year that the answer writes right after its own year', () => {
    const both = factsByChunk([fact('c4', '3.68万亿元', 2020), fact('c4', '4.93万亿元', 2025)]);
    const stated = answer('生产总值从2020年的3.68万亿元增长到2025年的4.93万亿元[1]', ['c4']);
    expect(figuresForOtherYears(stated, [2020], both)).toEqual([]);
    // Unlabelled, the figure of 2025 is still stated for 2020.
    const bare = answer('生产总值从3.68万亿元增长到4.93万亿元[1]', ['c4']);
    expect(figuresForOtherYears(bare, [2020], both)).toEqual(['4.93万亿元']);
  });

  it('flags a five-year figure given for one year, not for the five years asked', () => {
    const total = answer('城镇新增就业452万人[1]', ['c3']);
    expect(figuresForOtherYears(total, [2025], facts)).toEqual(['452万人']);
    expect(figuresForOtherYears(total, [2025], facts, 'five-year')).toEqual([]);
  });

  it('does not judge figures without a year, outside the citations, or in refusals', () => {
    expect(figuresForOtherYears(answer('增长5%左右[1]', ['c2']), [2025], facts)).toEqual([]);
    expect(figuresForOtherYears(answer('新增82.7万人[1]', ['c9']), [2025], facts)).toEqual([]);
    expect(
      figuresForOtherYears(answer('没有找到。82.7万人', ['c1'], false), [2025], facts),
    ).toEqual([]);
  });
});
