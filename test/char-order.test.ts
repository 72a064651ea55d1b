import { describe, expect, it } from 'vitest';
import { headWord, holdsInOrder, linkByOrder, wordList } from '../src/retrieval/char-order.js';
import {
  conceptMatch,
  conceptSpans,
  IN_ORDER_CREDIT,
  inOrder,
  inOrderSpan,
  matchingText,
} from '../src/answer/match.js';
import type { Concept } from '../src/retrieval/query.js';

const words = (list: Record<string, number>) => wordList(Object.keys(list), (w) => list[w] ?? 0);
const concept = (text: string): Concept => ({ text, forms: [text], weight: 1, source: 'question' });

describe('characters in order', () => {
  it('holdsInOrder needs the first and last character and every one between, in order', () => {
    expect(holdsInOrder('老旧小区', '老小区')).toBe(true);
    expect(holdsInOrder('人民代表大会', '人代会')).toBe(true);
    expect(holdsInOrder('小区老旧', '老小区')).toBe(false);
    expect(holdsInOrder('老小区', '老小区')).toBe(false);
  });
  it('links a rare word to corpus words, most used first, never a common word', () => {
    const list = words({ 人民代表大会: 9, 人大常委会: 3, 电动车: 2, 电动汽车: 5 });
    expect(linkByOrder('人代会', list)).toEqual(['人民代表大会']);
    // a two-character word links only to three-character words
    expect(linkByOrder('电车', list)).toEqual(['电动车']);
    // 我家 is everyday Chinese: no link whatever the corpus holds
    expect(linkByOrder('我家', words({ 我们国家: 4 }))).toEqual([]);
  });
  it('inOrder finds the characters within a short stretch, not across punctuation', () => {
    expect(inOrder('老小区', '改造城镇老旧小区827个')).toBe(true);
    expect(inOrder('老小区', '老人住进了新的小区')).toBe(false);
    expect(inOrder('老小区', '老旧,小区')).toBe(false);
  });
  it('inOrderSpan and conceptSpans say where the word stands', () => {
    expect(inOrderSpan('老小区', '改造城镇老旧小区827个')).toEqual({ start: 4, end: 8 });
    expect(inOrderSpan('老小区', '老人住进了新的小区')).toBeNull();
    // A form written out is found where it stands; the characters in order only without one.
    expect(conceptSpans(concept('城中村'), '改造19个城中村')).toEqual([{ start: 5, end: 8 }]);
    expect(conceptSpans(concept('老小区'), '180个城镇老旧小区')).toEqual([{ start: 6, end: 10 }]);
    expect(conceptSpans(concept('怎么样'), '怎么才能样样好')).toEqual([]);
  });
  it('conceptMatch gives the in-order credit for a rare word and nothing for a common one', () => {
    expect(conceptMatch(concept('老小区'), '改造城镇老旧小区827个')).toBe(IN_ORDER_CREDIT);
    expect(conceptMatch(concept('老小区'), '老旧小区')).toBe(IN_ORDER_CREDIT);
    expect(conceptMatch(concept('老旧小区'), '改造城镇老旧小区')).toBe(1);
    expect(conceptMatch(concept('怎么样'), '怎么才能样样好')).toBe(0);
  });
});

describe('the text concepts are looked for in', () => {
  it('drops the quote marks a report sets around part of a word, and lower-cases Latin', () => {
    expect(matchingText('行政审批事项“全程网办”率达90%以上')).toBe(
      '行政审批事项全程网办率达90%以上',
    );
    expect(conceptMatch(concept('网办率'), matchingText('“全程网办”率达90%'))).toBe(1);
    expect(conceptMatch(concept('网办率'), '“全程网办”率达90%')).toBeLessThan(1);
    expect(matchingText('GDP增长5%')).toBe('gdp增长5%');
    expect(matchingText('《条例》施行')).toBe('《条例》施行');
  });
});

describe('the head of a compound', () => {
  const corpus = new Set(['建议', '职工', '照顾', '人大代表建议']);
  const isWord = (w: string) => corpus.has(w);
  it('is the longest ending the corpus uses as a word', () => {
    expect(headWord('意见建议', isWord)).toBe('建议');
    expect(headWord('双职工', isWord)).toBe('职工');
    expect(headWord('互相照顾', isWord)).toBe('照顾');
  });
  it('is none when no ending of two characters or more is a corpus word', () => {
    expect(headWord('上下学', isWord)).toBeNull();
    expect(headWord('建议', isWord)).toBeNull(); // two characters: no shorter ending to stand for it
    expect(headWord('gdp总量', isWord)).toBeNull();
  });
});
