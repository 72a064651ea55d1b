import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogStore, gapKey, type QuestionRecord } from '../src/server/log-store.js';

const dirs: string[] = [];
function tmp(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'wenzheng-log-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

let n = 0;
function record(over: Partial<QuestionRecord> = {}): QuestionRecord {
  n += 1;
  return {
    messageId: `m${n}`,
    at: Date.UTC(2024, 0, 1, 0, 0, n),
    sessionId: 's1',
    transport: 'http',
    question: '2021年行政复议案件有多少件？',
    found: true,
    citedChunkIds: ['c1', 'c2'],
    latencyMs: 12.4,
    mode: 'extractive',
    ...over,
  };
}

describe('log-store', () => {
  it('keeps questions and ratings across a reopen', async () => {
    const dir = tmp();
    const first = createLogStore({ dir });
    first.recordQuestion(record({ messageId: 'keep' }));
    expect(await first.recordFeedback('keep', 'down', '不够详细')).toBe(true);
    await first.close();

    const second = createLogStore({ dir });
    const row = await second.get('keep');
    await second.close();
    expect(row).toMatchObject({
      question: '2021年行政复议案件有多少件？',
      found: true,
      citedChunkIds: ['c1', 'c2'],
      latencyMs: 12,
      rating: 'down',
      comment: '不够详细',
    });
  });

  it('reports unknown message ids on feedback', async () => {
    const store = createLogStore({ dir: ':memory:' });
    expect(await store.recordFeedback('nope', 'up')).toBe(false);
    await store.close();
  });

  it('masks personal data even when the caller forgot to', async () => {
    const store = createLogStore({ dir: ':memory:' });
    store.recordQuestion(
      record({ messageId: 'pii', question: '身份证110105199001011232怎么补办' }),
    );
    store.recordQuestion(record({ messageId: 'pii2' }));
    await store.recordFeedback('pii2', 'up', '请打13812345678');
    expect((await store.get('pii'))?.question).toBe('身份证[身份证号]怎么补办');
    expect((await store.get('pii2'))?.comment).toBe('请打[电话]');
    await store.close();
  });

  it('lists unanswered questions grouped and most frequent first', async () => {
    const store = createLogStore({ dir: ':memory:' });
    store.recordQuestion(record({ question: '公积金怎么提取', found: false }));
    store.recordQuestion(record({ question: '公积金怎么提取？', found: false }));
    store.recordQuestion(record({ question: '公积金 怎么提取!', found: false }));
    store.recordQuestion(record({ question: '地铁几点停运', found: false }));
    store.recordQuestion(record({ question: '2021年行政复议案件有多少件', found: true }));
    const gaps = await store.gaps();
    await store.close();
    expect(gaps.map((g) => [g.question, g.count])).toEqual([
      ['公积金 怎么提取!', 3],
      ['地铁几点停运', 1],
    ]);
  });

  it('groups by width, case, spaces and end punctuation', async () => {
    expect(gapKey('ＡＢＣ 多少？')).toBe(gapKey('abc多少'));
  });
});
