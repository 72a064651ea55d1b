/**
 * Fitting the answer decision model, pure: L2-regularised logistic regression by Newton's
 * method on standardised features (deterministic: no random start, no sampling), and the
 * refusal threshold that makes the most question-level decisions right.
 */
import type { LinearModel } from '../answer/decision.js';

export interface FitOptions {
  /** L2 penalty on the standardised weights (not on the bias). @default 1 */
  l2?: number;
  /** Newton steps at most. @default 25 */
  iterations?: number;
}

/** Solves A x = b for a small dense symmetric positive-definite A (Gaussian elimination, partial pivoting). */
export function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]!]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[p]![c]!)) p = r;
    [m[c], m[p]] = [m[p]!, m[c]!];
    const pivot = m[c]![c]!;
    if (Math.abs(pivot) < 1e-12) continue;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r]![c]! / pivot;
      if (f === 0) continue;
      for (let k = c; k <= n; k++) m[r]![k]! -= f * m[c]![k]!;
    }
  }
  return m.map((row, i) => (Math.abs(row[i]!) < 1e-12 ? 0 : row[n]! / row[i]!));
}

/** Mean and standard deviation of each column (a constant column gets scale 1). */
export function standardisation(
  x: ArrayLike<number>[],
  width: number,
): { mean: number[]; scale: number[] } {
  const mean = new Array<number>(width).fill(0);
  const scale = new Array<number>(width).fill(0);
  for (const row of x) for (let j = 0; j < width; j++) mean[j]! += row[j]! / x.length;
  for (const row of x)
    for (let j = 0; j < width; j++) scale[j]! += (row[j]! - mean[j]!) ** 2 / x.length;
  return { mean, scale: scale.map((v) => (v > 1e-12 ? Math.sqrt(v) : 1)) };
}

/** Logistic regression of labels y (0/1) on rows x over the named features. */
export function fitLogistic(
  features: string[],
  x: ArrayLike<number>[],
  y: number[],
  options: FitOptions = {},
): LinearModel {
  const l2 = options.l2 ?? 1;
  const d = features.length;
  const { mean, scale } = standardisation(x, d);
  const z = x.map((row) => Array.from({ length: d }, (_, j) => (row[j]! - mean[j]!) / scale[j]!));
  let w = new Array<number>(d + 1).fill(0); // last entry: bias
  for (let it = 0; it < (options.iterations ?? 25); it++) {
    const grad = new Array<number>(d + 1).fill(0);
    const hess = Array.from({ length: d + 1 }, () => new Array<number>(d + 1).fill(0));
    z.forEach((row, i) => {
      let s = w[d]!;
      for (let j = 0; j < d; j++) s += w[j]! * row[j]!;
      const p = 1 / (1 + Math.exp(-s));
      const err = p - y[i]!;
      const h = Math.max(p * (1 - p), 1e-9);
      for (let j = 0; j <= d; j++) {
        const xj = j === d ? 1 : row[j]!;
        grad[j]! += err * xj;
        for (let k = j; k <= d; k++) hess[j]![k]! += h * xj * (k === d ? 1 : row[k]!);
      }
    });
    for (let j = 0; j <= d; j++) for (let k = 0; k < j; k++) hess[j]![k] = hess[k]![j]!;
    for (let j = 0; j < d; j++) {
      grad[j]! += l2 * w[j]!;
      hess[j]![j]! += l2;
    }
    const step = solve(hess, grad);
    w = w.map((v, j) => v - step[j]!);
    if (Math.max(...step.map(Math.abs)) < 1e-8) break;
  }
  return { features, mean, scale, weights: w.slice(0, d), bias: w[d]! };
}

/** The candidates of one question, with which of them are right answers. */
export interface Group {
  x: ArrayLike<number>[];
  y: number[];
}

/**
 * Conditional logit (a listwise ranker): the weights that make a question's right
 * candidates most likely under a softmax over its candidates, L2-regularised, by Newton's
 * method. Questions without a right candidate carry no information and are skipped. The
 * bias is 0 (a softmax ignores it).
 */
export function fitListwise(
  features: string[],
  groups: Group[],
  options: FitOptions = {},
): LinearModel {
  const l2 = options.l2 ?? 1;
  const d = features.length;
  const rows = groups.flatMap((g) => g.x);
  const { mean, scale } = standardisation(rows, d);
  const zs = groups
    .filter((g) => g.y.some((v) => v === 1) && g.y.some((v) => v === 0))
    .map((g) => ({
      z: g.x.map((row) => Array.from({ length: d }, (_, j) => (row[j]! - mean[j]!) / scale[j]!)),
      y: g.y,
    }));
  let w = new Array<number>(d).fill(0);
  for (let it = 0; it < (options.iterations ?? 25); it++) {
    const grad = w.map((v) => l2 * v);
    const hess = Array.from({ length: d }, (_, j) =>
      Array.from({ length: d }, (_, k) => (j === k ? l2 : 0)),
    );
    for (const { z, y } of zs) {
      const s = z.map((row) => row.reduce((acc, v, j) => acc + v * w[j]!, 0));
      const max = Math.max(...s);
      const e = s.map((v) => Math.exp(v - max));
      const all = e.reduce((a, b) => a + b, 0);
      const pos = e.reduce((a, v, i) => a + (y[i] === 1 ? v : 0), 0);
      // gradient of −log(Σ_pos e / Σ_all e): E_all[x] − E_pos[x]; Hessian: Cov_all − Cov_pos
      for (const [weights, total, sign] of [
        [e, all, 1],
        [e.map((v, i) => (y[i] === 1 ? v : 0)), pos, -1],
      ] as const) {
        const m = new Array<number>(d).fill(0);
        z.forEach((row, i) => {
          const p = weights[i]! / total;
          if (p === 0) return;
          for (let j = 0; j < d; j++) m[j]! += p * row[j]!;
        });
        for (let j = 0; j < d; j++) grad[j]! += sign * m[j]!;
        z.forEach((row, i) => {
          const p = weights[i]! / total;
          if (p === 0) return;
          for (let j = 0; j < d; j++)
            for (let k = 0; k < d; k++)
              hess[j]![k]! += sign * p * (row[j]! - m[j]!) * (row[k]! - m[k]!);
        });
      }
    }
    const step = solve(hess, grad);
    w = w.map((v, j) => v - step[j]!);
    if (Math.max(...step.map(Math.abs)) < 1e-8) break;
  }
  return { features, mean, scale, weights: w, bias: 0 };
}

/** One question's outcome as a function of the threshold: its best candidate's probability and whether that candidate is right. */
export interface QuestionDecision {
  /** True when the question should be answered, false when refused. */
  answerable: boolean;
  /** Probability of the best candidate (-Infinity without candidates). */
  best: number;
  /** Whether the best candidate is a correct answer. */
  bestCorrect: boolean;
}

/** Whether a question is decided right at threshold t. */
export function decidedRight(q: QuestionDecision, t: number): boolean {
  const answers = q.best >= t;
  return q.answerable ? answers && q.bestCorrect : !answers;
}

/**
 * What a wrong answer costs against a false refusal. A refusal still shows the closest
 * passages; a wrong answer is read out to a caller as the report's word, but the question sets count both as one failure. @default 1
 */
export const WRONG_ANSWER_COST = 1;

/** Cost of a question's decision at threshold t: 0 when right, 1 for a false refusal, WRONG_ANSWER_COST for a wrong answer. */
export function decisionCost(
  q: QuestionDecision,
  t: number,
  wrongCost = WRONG_ANSWER_COST,
): number {
  if (decidedRight(q, t)) return 0;
  return q.best >= t ? wrongCost : 1;
}

/** The threshold in (0, 1) with the least total cost over the questions (ties: the midpoint of the best run). */
export function pickThreshold(
  questions: QuestionDecision[],
  wrongCost = WRONG_ANSWER_COST,
): number {
  const cuts = [...new Set(questions.map((q) => q.best).filter((p) => Number.isFinite(p)))].sort(
    (a, b) => a - b,
  );
  const candidates = [
    0.01,
    ...cuts.map((c, i) =>
      i + 1 < cuts.length ? (c + cuts[i + 1]!) / 2 : Math.min(0.99, c + 0.01),
    ),
  ];
  let best = { t: 0.5, cost: Infinity };
  const runs: number[] = [];
  for (const t of candidates) {
    const cost = questions.reduce((sum, q) => sum + decisionCost(q, t, wrongCost), 0);
    if (cost < best.cost) {
      best = { t, cost };
      runs.length = 0;
    }
    if (cost === best.cost) runs.push(t);
  }
  return runs.length > 1 ? (runs[0]! + runs[runs.length - 1]!) / 2 : best.t;
}
