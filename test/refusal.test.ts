import { describe, expect, it } from 'vitest';
import { refusalText, uncoveredText, yearRuns } from '../src/answer/refusal.js';
import type { ScoredSentence } from '../src/answer/extractive.js';
import type { Concept, QueryAnalysis } from '../src/retrieval/query.js';

const concept = (text: string, extra: Partial<Concept> = {}): Concept => ({
  text,
  forms: [text],
  weight: 5,
  source: 'question',
  ...extra,
});
const analysis = (concepts: Concept[], type: QueryAnalysis['type'] = 'quantity') =>
  ({ concepts, type, isFollowUp: false }) as unknown as QueryAnalysis;
const sentence = (chunk: string, text: string, missing: string[], coverage = 0.5) =>
  ({ chunk: { id: chunk }, text, missing, coverage }) as unknown as ScoredSentence;

describe('refusal text', () => {
  it('names a word only when no passage shown holds it', () => {
    const a = analysis([concept('意外险'), concept('老人', { weight: 3 })]);
    const text = refusalText(a, [
      sentence('c1', '提高老年人服务水平', ['意外险', '老人']),
      sentence('c2', '老人照护', ['意外险']),
    ]);
    expect(text).toContain('「意外险」');
    expect(text).not.toContain('「老人」');
  });
  it('says the reports speak of the topic, not that it was not found, when every word is in a shown passage', () => {
    const a = analysis([concept('旅游')]);
    const text = refusalText(a, [sentence('c1', '旅游总收入超1.3万亿元', [])]);
    expect(text).toContain('提到了「旅游」');
    expect(text).not.toContain('没有找到关于「旅游」');
  });
  it('never names a verb or filler', () => {
    const a = analysis([concept('帮着', { verbal: true }), concept('托育')]);
    const text = refusalText(a, [sentence('c1', '无关', ['帮着', '托育'])]);
    expect(text).toContain('「托育」');
    expect(text).not.toContain('帮着');
  });
  it("never names a word or place of the asker's own situation", () => {
    const a = analysis([
      concept('双职工', { scene: true, weight: 9 }),
      concept('呼和浩特', { scene: true, place: true }),
      concept('托位'),
    ]);
    const text = refusalText(a, [sentence('c1', '无关', ['双职工', '呼和浩特', '托位'])]);
    expect(text).toContain('「托位」');
    expect(text).not.toContain('双职工');
    expect(text).not.toContain('呼和浩特');
  });
});

describe('uncovered years', () => {
  it('says which years the reports cover', () => {
    expect(yearRuns([2019, 2020, 2021, 2024])).toBe('2019—2021年、2024年');
    const text = uncoveredText(['2019年'], [2023, 2024, 2025, 2026]);
    expect(text).toContain('「2019年」');
    expect(text).toContain('2023—2026年');
  });
});

describe('refusals of when questions', () => {
  it('never says the time is missing when a shown passage holds a year', () => {
    const a = analysis([concept('bcpl')], 'when');
    const text = refusalText(a, [sentence('c1', 'BCPL由马丁·理察德于1966年设计', [], 0.9)]);
    expect(text).not.toContain('没有写明具体时间');
    const none = refusalText(a, [sentence('c1', 'BCPL是一种语言', [], 0.9)]);
    expect(none).toContain('没有写明具体时间');
  });
});
