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
export function standardisation(x: ArrayLike<number>[], width: number): { mean: number[]; scale: number[] } {
  const mean = new Array<number>(width).fill(0);
  const scale = new Array<number>(width).fill(0);
  for (const row of x) for (let j = 0; j < width; j++) mean[j]! += row[j]! / x.length;
  for (const row of x) for (let j = 0; j < width; j++) scale[j]! += (row[j]! - mean[j]!) ** 2 / x.length;
  return { mean, scale: scale.map((v) => (v > 1e-12 ? Math.sqrt(v) : 1)) };
}

/** Logistic regression of labels y (0/1) on rows x over the named features. */
export function fitLogistic(features: string[], x: ArrayLike<number>[], y: number[], options: FitOptions = {}): LinearModel {
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

/** The threshold in (0, 1) that decides the most questions right (ties: the midpoint of the best run). */
export function pickThreshold(questions: QuestionDecision[]): number {
  const cuts = [...new Set(questions.map((q) => q.best).filter((p) => Number.isFinite(p)))].sort((a, b) => a - b);
  const candidates = [0.01, ...cuts.map((c, i) => (i + 1 < cuts.length ? (c + cuts[i + 1]!) / 2 : Math.min(0.99, c + 0.01)))];
  let best = { t: 0.5, right: -1 };
  const runs: number[] = [];
  for (const t of candidates) {
    const right = questions.filter((q) => decidedRight(q, t)).length;
    if (right > best.right) {
      best = { t, right };
      runs.length = 0;
    }
    if (right === best.right) runs.push(t);
  }
  return runs.length > 1 ? (runs[0]! + runs[runs.length - 1]!) / 2 : best.t;
}
