import { describe, expect, it } from 'vitest';
import {
  ACCEPT_EXTRA,
  decide,
  explain,
  linear,
  parseDecisionModel,
  type DecisionModel,
  type LinearModel,
} from '../src/answer/decision.js';
import { FEATURES } from '../src/answer/features.js';
import { decidedRight, fitListwise, fitLogistic, pickThreshold, solve } from '../src/eval/fit.js';

const lin = (features: string[], weights: number[], bias = 0): LinearModel => ({
  features,
  weights,
  bias,
  mean: features.map(() => 0),
  scale: features.map(() => 1),
});
const vec = (values: Partial<Record<(typeof FEATURES)[number], number>>) => {
  const v = new Float64Array(FEATURES.length);
  for (const [k, x] of Object.entries(values))
    v[FEATURES.indexOf(k as (typeof FEATURES)[number])] = x!;
  return v;
};

describe('decision', () => {
  it('ranks by the ranker and accepts by the acceptor, which sees the margin over the best other candidate of the same document', () => {
    const model: DecisionModel = {
      version: 2,
      ranker: lin(['coverage'], [4]),
      acceptor: lin(['rankGap'], [2], -1),
      threshold: 0.5,
    };
    const [clear, other] = decide(
      model,
      [vec({ coverage: 1 }), vec({ coverage: 0.2 })],
      ['a', 'a'],
    );
    expect(clear).toBeGreaterThan(0.9);
    expect(other).toBeLessThan(0.1);
    // two documents answering alike are no doubt about either
    const [a, b] = decide(model, [vec({ coverage: 1 }), vec({ coverage: 1 })], ['a', 'b']);
    expect(a).toBeGreaterThan(0.9);
    expect(b).toBeGreaterThan(0.9);
  });

  it('weighs only the best few candidates by the ranker, and the best of each document, as it was fitted', () => {
    const model: DecisionModel = {
      version: 2,
      ranker: lin(['coverage'], [4]),
      acceptor: lin(['bm25'], [4], 1),
      threshold: 0.5,
    };
    // Eight candidates of one report, ranked by coverage; the acceptor would take them all.
    const xs = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2].map((c) => vec({ coverage: c, bm25: 1 }));
    const ps = decide(model, [...xs, vec({ coverage: 0.1, bm25: 1 })], [...xs.map(() => 'a'), 'b']);
    expect(ps.slice(0, 5).every((p) => p > 0.9)).toBe(true);
    expect(ps.slice(5, 8)).toEqual([0, 0, 0]);
    // Report b's only candidate ranks last, but it is the best of its report.
    expect(ps[8]).toBeGreaterThan(0.9);
  });

  it('ignores features the model does not name and explains each contribution', () => {
    const m = lin(['coverage', 'nosuch'], [2, 5], 1);
    expect(linear(m, vec({ coverage: 1 }))).toBe(3);
    expect(explain(m, vec({ coverage: 1 }))[0]).toMatchObject({
      feature: 'coverage',
      value: 1,
      contribution: 2,
    });
  });

  it('refuses a file that is not a decision model', () => {
    expect(() => parseDecisionModel('{"version":1}', 'm.json')).toThrow(/m\.json/);
    expect(ACCEPT_EXTRA).toEqual(['rankScore', 'rankGap']);
  });
});

describe('fit', () => {
  it('solves small linear systems', () => {
    expect(
      solve(
        [
          [2, 1],
          [1, 3],
        ],
        [3, 5],
      ).map((v) => Number(v.toFixed(6))),
    ).toEqual([0.8, 1.4]);
  });

  it('fits a logistic model that separates the labels, deterministically', () => {
    const x = [[0], [0.1], [0.2], [0.8], [0.9], [1]];
    const y = [0, 0, 0, 1, 1, 1];
    const a = fitLogistic(['coverage'], x, y, { l2: 0.1 });
    expect(a.weights[0]).toBeGreaterThan(0);
    expect(fitLogistic(['coverage'], x, y, { l2: 0.1 })).toEqual(a);
  });

  it('fits a listwise ranker that puts the right candidate of each question first', () => {
    const groups = [
      {
        x: [
          [1, 0],
          [0, 1],
        ],
        y: [1, 0],
      },
      {
        x: [
          [0.8, 0.2],
          [0.1, 0.9],
        ],
        y: [1, 0],
      },
      {
        x: [
          [0.9, 0.5],
          [0.2, 0.6],
        ],
        y: [1, 0],
      },
    ];
    const m = fitListwise(['coverage', 'bm25'], groups, { l2: 0.1 });
    for (const g of groups) {
      const scores = g.x.map((row) =>
        linear(m, [row[0]!, ...new Array(FEATURES.indexOf('bm25') - 1).fill(0), row[1]!]),
      );
      expect(scores[0]).toBeGreaterThan(scores[1]!);
    }
  });

  it('picks the threshold that decides the most questions right', () => {
    const qs = [
      { answerable: true, best: 0.9, bestCorrect: true },
      { answerable: true, best: 0.7, bestCorrect: true },
      { answerable: false, best: 0.3, bestCorrect: false },
      { answerable: false, best: 0.2, bestCorrect: false },
    ];
    const t = pickThreshold(qs);
    expect(qs.every((q) => decidedRight(q, t))).toBe(true);
  });
});
