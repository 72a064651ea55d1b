/** The refusal threshold read from out-of-fold probabilities, on hand-built records. */
import { describe, expect, it } from 'vitest';
import { FEATURES } from '../src/answer/features.js';
import { fitModel, foldOf, type SetRecords } from '../src/eval/calibration.js';
import type { QuestionRecord } from '../src/eval/collect.js';
import type { QuestionSet } from '../src/eval/question-sets.js';

/** A deterministic stream of numbers in [0, 1). */
function stream(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

function record(id: string, doc: string, refuse: boolean, next: () => number): QuestionRecord {
  const candidates = [0, 1, 2].map((i) => {
    const x = new Float64Array(FEATURES.length);
    for (let j = 0; j < 6; j++) x[j] = next();
    return { x, doc, y: !refuse && i === 0 && next() < 0.5 ? 1 : 0 };
  });
  const expect = refuse ? { refuse: true } : { doc, contains: ['1'] };
  const item = { id, kind: refuse ? 'refuse' : 'fact', question: id, doc, expect };
  return { item, candidates, fixed: null } as QuestionRecord;
}

describe('the refusal threshold', () => {
  const next = stream(42);
  const records = Array.from({ length: 90 }, (_, i) =>
    record(`q${i}`, `report-${i % 30}.txt`, i % 3 === 0, next),
  );
  const sets: SetRecords[] = [
    { set: { name: 'gov-x', split: 'train', corpus: 'gov', items: [] } as QuestionSet, records },
  ];

  it('puts every question of one report in the same fold', () => {
    const byReport = new Map<string, Set<number>>();
    for (const r of records) {
      const doc = r.candidates[0]!.doc;
      byReport.set(doc, (byReport.get(doc) ?? new Set()).add(foldOf(r, 3)));
    }
    expect([...byReport.values()].every((f) => f.size === 1)).toBe(true);
    expect(new Set(records.map((r) => foldOf(r, 3))).size).toBe(3);
  });

  it('puts a passage question and its removal (asked with the passage left out) in the same fold', () => {
    for (let i = 0; i < 40; i++) {
      const doc = `cmrc/DEV_${i}.txt`;
      const asked = { item: { id: `DEV_${i}_QUERY_0`, expect: { doc }, anyOf: ['x'] } };
      const removed = { item: { id: `rm-${i}`, expect: { refuse: true }, exclude: [doc] } };
      expect(foldOf(removed as QuestionRecord, 3)).toBe(foldOf(asked as QuestionRecord, 3));
    }
  });

  it('is read from questions the model was not fitted on, not from the ones it memorised', () => {
    // Features are noise: trees fitted on these questions separate them, held-out ones they cannot.
    const inSample = fitModel(sets, { thresholdFolds: 1, boost: { rounds: 40 } });
    const outOfFold = fitModel(sets, { thresholdFolds: 3, boost: { rounds: 40 } });
    expect(outOfFold.threshold).not.toBe(inSample.threshold);
    expect(outOfFold.fit?.method).toContain('out-of-fold');
  });

  it('pools several fold assignments, each keeping a report in one fold', () => {
    const assignments = [0, 1, 2].map((a) => records.map((r) => foldOf(r, 3, a)));
    expect(assignments[1]).not.toEqual(assignments[0]);
    for (const folds of assignments) {
      const byReport = new Map<string, Set<number>>();
      records.forEach((r, i) => {
        const doc = r.candidates[0]!.doc;
        byReport.set(doc, (byReport.get(doc) ?? new Set()).add(folds[i]!));
      });
      expect([...byReport.values()].every((f) => f.size === 1)).toBe(true);
    }
    const pooled = fitModel(sets, {
      thresholdFolds: 3,
      thresholdRepeats: 2,
      boost: { rounds: 40 },
    });
    expect(pooled.fit?.method).toContain('2 fold assignments pooled');
  });
});
