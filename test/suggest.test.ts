/**
 * Suggested questions on hand-built chunks: one per section, the first twelve distinct,
 * and a large corpus is read only as far as it takes to find them.
 */
import { describe, expect, it } from 'vitest';
import type { DocText } from '../src/answer/extractive.js';
import { suggestQuestions } from '../src/answer/suggest.js';
import type { Chunk, DocumentMeta } from '../src/types.js';

const UNITS = ['件', '人次', '个', '家', '项'];
const STEMS = '甲乙丙丁戊己庚辛壬癸';
const name = (i: number) => `${STEMS[i % 10]}${STEMS[Math.floor(i / 10) % 10]}`;

/** One document of `sections` sections, each a sentence with one figure. */
function corpus(sections: number): { chunks: Chunk[]; docs: Map<string, DocText> } {
  let text = '';
  const chunks: Chunk[] = [];
  for (let i = 0; i < sections; i++) {
    const sentence = `全年办理${name(i)}类行政复议申请${100 + i}${UNITS[i % UNITS.length]}。`;
    const start = text.length;
    text += sentence;
    chunks.push({
      id: `c${i}`,
      docId: 'doc.txt',
      section: `${name(i)}节`,
      period: 'review',
      text: sentence,
      start,
      end: text.length,
      sentences: [{ start, end: text.length }],
      ordinal: i,
    });
  }
  const meta = { docId: 'doc.txt', title: '测试报告' } as DocumentMeta;
  return { chunks, docs: new Map([['doc.txt', { meta, text }]]) };
}

describe('suggestQuestions', () => {
  it('asks one question per section, the first twelve distinct', () => {
    const { chunks, docs } = corpus(20);
    const out = suggestQuestions(chunks, docs);
    expect(out).toHaveLength(12);
    expect(out[0]).toBe('办理甲甲类行政复议申请多少件？');
    expect(out[11]).toBe('办理乙乙类行政复议申请多少人次？');
  });

  it('adds the publication question when the sections give fewer than the limit', () => {
    const { chunks, docs } = corpus(3);
    expect(suggestQuestions(chunks, docs)).toEqual([
      '办理甲甲类行政复议申请多少件？',
      '办理乙甲类行政复议申请多少人次？',
      '办理丙甲类行政复议申请多少个？',
      '这份报告是什么时候发布的？',
    ]);
  });

  it('stops reading sections once it has the limit', () => {
    const { chunks, docs } = corpus(5000);
    let read = 0;
    const counted = new Map(docs);
    const get = counted.get.bind(counted);
    counted.get = (key: string) => {
      read++;
      return get(key);
    };
    expect(suggestQuestions(chunks, counted)).toHaveLength(12);
    expect(read).toBe(12);
  });
});
