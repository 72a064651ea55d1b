import { describe, expect, it } from 'vitest';
import { composeMetaAnswer, dateLine } from '../src/answer/compose.js';
import type { DocText } from '../src/answer/extractive.js';
import { analyzeQuestion } from '../src/retrieval/query.js';
import { loadLexicon } from '../src/text/lexicon.js';
import type { DocumentMeta } from '../src/types.js';

const lexicon = loadLexicon();
const meta = (over: Partial<DocumentMeta>): DocumentMeta => ({
  docId: 'r.txt',
  title: '2021年度某省法治政府建设年度报告',
  source: '',
  issuer: '',
  publishedAt: '2022-08-16',
  reportYear: 2021,
  reviewYear: 2021,
  planYear: null,
  region: null,
  docType: 'report',
  hash: '',
  chars: 0,
  ...over,
});
const doc = (text: string, over: Partial<DocumentMeta> = {}): DocText => ({
  meta: meta({ chars: text.length, ...over }),
  text,
});

describe('answers about the document itself', () => {
  it('cites the line that states the publication date, so the cited text holds the date given', () => {
    const d = doc(
      '2021年度某省法治政府建设年度报告\n\n    时间:2022-08-16   信息来源: 某省人民政府\n正文。',
    );
    const a = composeMetaAnswer(analyzeQuestion('报告是哪天发布的', { lexicon }), [d], () => 'c0');
    expect(a.found).toBe(true);
    expect(a.answer).toContain('2022-08-16');
    expect(a.citations[0]!.text).toBe('时间:2022-08-16   信息来源: 某省人民政府');
    expect(d.text.slice(a.citations[0]!.start, a.citations[0]!.end)).toBe(a.citations[0]!.text);
  });
  it('finds the date written in Chinese too, and falls back to the title line when the text lacks it', () => {
    const d = doc('标题\n发布日期：2022年8月16日\n');
    expect(d.text.slice(...dateLine(d)!)).toBe('发布日期：2022年8月16日');
    expect(dateLine(doc('标题\n正文'))).toBeNull();
    const a = composeMetaAnswer(
      analyzeQuestion('报告是哪天发布的', { lexicon }),
      [doc('标题\n正文')],
      () => 'c0',
    );
    expect(a.citations[0]!.text).toBe('标题');
  });
});
