import { describe, expect, it } from 'vitest';
import { answeringClause } from '../src/answer/extractive.js';
import { analyzeQuestion } from '../src/retrieval/query.js';
import { loadLexicon } from '../src/text/lexicon.js';

const lexicon = loadLexicon();
const figureOf = (question: string, sentence: string) => {
  const hit = answeringClause(analyzeQuestion(question, { lexicon }), sentence);
  return hit ? hit.clause.text.slice(hit.figure.start, hit.figure.end) : null;
};

describe('the clause that answers a figure question', () => {
  it('prefers the clause with the question’s own word over one with a report synonym of it', () => {
    const analysis = analyzeQuestion('江苏 2024 PM2.5 浓度', { lexicon });
    const pm = analysis.concepts.find((c) => c.text === 'pm2.5')!;
    pm.forms.push('优良天数');
    const hit = answeringClause(analysis, 'PM2.5浓度32.3微克/立方米,优良天数比率82.5%');
    expect(hit?.clause.text).toContain('32.3');
  });
  it('prefers the clause holding a figure of the unit family asked', () => {
    expect(
      figureOf('江苏来旅游的人一共有多少', '接待境内外游客超10.9亿人次,旅游总收入超1.3万亿元'),
    ).toBe('10.9亿人次');
    expect(figureOf('地铁运营总里程多少公里', '新增运营线路3条,运营里程达到909公里')).toBe(
      '909公里',
    );
  });
});
