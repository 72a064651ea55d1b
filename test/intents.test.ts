import { describe, expect, it } from 'vitest';
import { intentOf, parseIntents } from '../src/text/intents.js';
import { analyzeQuestion } from '../src/retrieval/query.js';
import { loadLexicon } from '../src/text/lexicon.js';

const lexicon = loadLexicon();
const intent = (q: string) => analyzeQuestion(q, { lexicon }).intent;

describe('intents', () => {
  it('reads greetings, thanks and hand-off phrases from the data file', () => {
    const table = parseIntents('# c\ngreeting = 你好,嗨\nhandoff = 人工\n', 'x.txt');
    expect(intentOf('你好！', table)?.intent).toBe('greeting');
    expect(intentOf('转人工', table)).toEqual({ intent: 'handoff', rest: '转' });
    expect(() => parseIntents('hello = 你好', 'x.txt')).toThrow(/x\.txt:1/);
  });

  it('takes a greeting or thanks only when nothing else is asked', () => {
    expect(intent('你好')).toBe('greeting');
    expect(intent('您好呀～')).toBe('greeting');
    expect(intent('谢谢！')).toBe('thanks');
    expect(intent('你好，谢谢')).toBe('greeting');
    expect(intent('你好，法律援助怎么申请')).toBeNull();
  });

  it('takes a hand-off request that names no topic of its own', () => {
    expect(intent('怎么联系人工')).toBe('handoff');
    expect(intent('12345电话多少')).toBe('handoff');
    expect(intent('转人工客服')).toBe('handoff');
    expect(intent('法律援助中心的电话是多少')).toBeNull();
    expect(intent('打电话给法律援助中心能办什么')).toBeNull();
  });
});
