/**
 * A neighbouring year's figure for a question about a year no report covers, on hand-built
 * candidates: found only when accepted and one year away, labelled with its own year.
 */
import { describe, expect, it } from 'vitest';
import { composeUncovered } from '../src/answer/compose.js';
import type { ScoredSentence } from '../src/answer/extractive.js';
import { neighbourFigure, withoutYears } from '../src/answer/neighbour-year.js';
import { figureYear } from '../src/facts/fact.js';
import { analyzeQuestion } from '../src/retrieval/query.js';
import { loadLexicon } from '../src/text/lexicon.js';

const lexicon = loadLexicon();
const meta = { reportYear: 2021, reviewYear: 2021, planYear: 2022, title: '某省2021年度报告' };

function candidate(text: string, score: number, period: 'review' | 'plan' | 'other' = 'review') {
  return {
    chunk: { id: `c-${text.length}-${score}`, period, section: '' },
    doc: { meta, text },
    start: 0,
    end: text.length,
    text,
    coverage: 1,
    score,
    features: {},
    hasFigure: /\d/.test(text),
    missing: [],
    before: '',
  } as unknown as ScoredSentence;
}

describe('figureYear', () => {
  it('takes a year named before the figure, else the period of its section', () => {
    expect(figureYear('2020年受理案件800件，今年受理900件', 16, meta, 'review')).toBe(2020);
    expect(figureYear('受理案件900件', 4, meta, 'review')).toBe(2021);
    expect(figureYear('力争新增就业50万人', 6, meta, 'plan')).toBe(2022);
    const workReport = { reportYear: 2022, reviewYear: 2021, planYear: 2022 };
    expect(figureYear('调解矛盾纠纷5213件', 6, workReport, 'other')).toBeNull();
    expect(figureYear('受理案件900件', 4, { ...meta, reviewYear: 2021 }, 'other')).toBe(2021);
  });
});

describe('neighbourFigure', () => {
  const analysis = analyzeQuestion('2020年行政复议案件多少件', { lexicon });

  it('gives an accepted figure of the year next to the one asked', () => {
    const n = neighbourFigure(
      analysis,
      [2020],
      [candidate('全年办理行政复议案件5000件', 0.9)],
      0.5,
    );
    expect(n?.year).toBe(2021);
    expect(n?.asked).toBe(2020);
  });

  it('gives nothing below the threshold, for a year two away, or for the year asked', () => {
    const c = candidate('全年办理行政复议案件5000件', 0.9);
    expect(
      neighbourFigure(analysis, [2020], [candidate('全年办理行政复议案件5000件', 0.3)], 0.5),
    ).toBeNull();
    expect(neighbourFigure(analysis, [2019], [c], 0.5)).toBeNull();
    expect(neighbourFigure(analysis, [2021], [c], 0.5)).toBeNull();
  });

  it('asks the question without its years', () => {
    expect(withoutYears(analysis).time).toEqual({ years: [], relative: null });
    expect(analysis.time.years).toEqual([2020]);
  });
});

describe('the uncovered-year refusal with a neighbouring figure', () => {
  it('stays a refusal stating no figure, and cites the neighbouring year’s figure first, labelled', () => {
    const analysis = analyzeQuestion('2020年行政复议案件多少件', { lexicon });
    const c = candidate('全年办理行政复议案件5000件', 0.9);
    const n = neighbourFigure(analysis, [2020], [c], 0.5)!;
    const answer = composeUncovered(analysis, [c], ['2020年'], [2021, 2022], n);
    expect(answer.found).toBe(false);
    expect(answer.answer).not.toContain('5000件');
    expect(answer.answer).toContain('相邻的2021年的数字，见引文[1]');
    expect(answer.answer).toContain('那是2021年的情况，不是2020年的');
    const cited = answer.citations[0]!;
    expect(cited.text).toContain('5000件');
    expect(cited.text.slice(cited.highlight!.start, cited.highlight!.end)).toBe('5000件');
  });
});
