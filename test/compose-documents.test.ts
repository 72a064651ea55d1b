/** Answers from several reports on hand-built candidates: when they stand side by side, and when not. */
import { describe, expect, it } from 'vitest';
import { composeAnswer } from '../src/answer/compose.js';
import type { ScoredSentence } from '../src/answer/extractive.js';
import { FEATURES, type FeatureName } from '../src/answer/features.js';
import { analyzeQuestion } from '../src/retrieval/query.js';
import { loadLexicon } from '../src/text/lexicon.js';

const lexicon = loadLexicon();

function candidate(
  docId: string,
  text: string,
  score: number,
  set: Partial<Record<FeatureName, number>> = {},
): ScoredSentence {
  const features = new Float64Array(FEATURES.length);
  for (const [name, v] of Object.entries(set)) features[FEATURES.indexOf(name as FeatureName)] = v;
  return {
    chunk: { id: `${docId}-c`, docId, period: 'plan', start: 0, end: text.length, section: '' },
    doc: { meta: { docId, title: `${docId}报告`, region: '某省', reportYear: 2026 }, text },
    start: 0,
    end: text.length,
    text,
    coverage: 1,
    score,
    features,
    hasFigure: true,
    missing: [],
    before: '',
  } as unknown as ScoredSentence;
}

describe('answers from several reports', () => {
  const analysis = analyzeQuestion('新改建农村公路多少公里', { lexicon });
  const options = { threshold: 0.5, documentCount: 2 };

  it('sets two reports side by side when both answer about as well', () => {
    const a = composeAnswer(
      analysis,
      [
        candidate('a', '新改建农村公路8000公里。', 0.9),
        candidate('b', '新改建农村公路6000公里。', 0.8),
      ],
      options,
    );
    expect(a.answer).toContain('2份报告');
    expect(a.citations).toHaveLength(2);
  });

  it('never sets beside it a figure about another year, or a report of another place', () => {
    for (const other of [
      candidate('b', '新改建农村公路6000公里。', 0.8, { figureYearAgree: -1 }),
      candidate('b', '新改建农村公路6000公里。', 0.8, { docPlace: -1 }),
    ]) {
      const a = composeAnswer(
        analysis,
        [candidate('a', '新改建农村公路8000公里。', 0.9), other],
        options,
      );
      expect(a.answer).not.toContain('份报告');
      expect(a.answer).toContain('8000公里');
      expect(a.answer).not.toContain('6000公里');
    }
  });
});
