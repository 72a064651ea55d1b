import { describe, expect, it } from 'vitest';
import { formatTable, parseItems, scoreItem, summarize } from '../src/eval/score.js';
import type { Answer } from '../src/types.js';

const answer = (over: Partial<Answer>): Answer => ({
  found: true,
  answer: '',
  citations: [],
  mode: 'extractive',
  question: 'q',
  ...over,
});
const cite = (text: string) => ({
  n: 1,
  chunkId: 'c',
  docId: 'd.txt',
  title: 't',
  section: 's',
  text,
  start: 0,
  end: text.length,
  score: 1,
});

describe('eval score', () => {
  const [fact, refuse] = parseItems(
    '{"id":"a","kind":"fact","question":"多少？","expect":{"contains":["46.4万"],"cite":"法律咨询46.4万人次"}}\n' +
      '{"id":"b","kind":"refuse","question":"GDP?","expect":{"refuse":true}}\n',
  );

  it('passes an answer holding the figure (NFKC, spaces ignored) with the cited sentence', () => {
    const r = scoreItem(
      fact!,
      answer({
        answer: '免费提供法律咨询４６.４ 万人次[1]。',
        citations: [cite('提供法律咨询46.4万人次,')],
      }),
      3,
    );
    expect(r.passed).toBe(true);
  });

  it('fails a false refusal and a missing citation', () => {
    expect(scoreItem(fact!, answer({ found: false, answer: '没有找到' }), 1).reasons).toContain(
      'false refusal',
    );
    expect(
      scoreItem(fact!, answer({ answer: '46.4万', citations: [cite('别的')] }), 1).passed,
    ).toBe(false);
    expect(scoreItem(refuse!, answer({ answer: '是 100 亿' }), 1).passed).toBe(false);
  });

  it('summarises per kind with refusal accuracy and latency percentiles', () => {
    const rs = [
      scoreItem(fact!, answer({ found: false }), 2),
      scoreItem(refuse!, answer({ found: false }), 4),
    ];
    const rows = summarize(rs);
    expect(rows.find((r) => r.kind === 'refuse')).toMatchObject({
      passRate: 1,
      refusalAccuracy: 1,
    });
    expect(rows.find((r) => r.kind === 'all')).toMatchObject({
      n: 2,
      passed: 1,
      falseRefusals: 1,
      p95: 4,
    });
    expect(formatTable(rows)).toContain('| fact | 1 | 0% |');
  });
});
