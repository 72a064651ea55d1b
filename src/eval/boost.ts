/**
 * Gradient-boosted regression trees for a binary label (logistic loss, Newton leaf values):
 * the acceptor's fit when a linear score cannot express how features combine (full coverage
 * counts for more when the figure is of the kind asked; a matching year matters only with a
 * figure). Pure; the fitted trees are plain JSON evaluated by answer/decision.ts.
 */
import type { BoostedModel, TreeNode } from '../answer/decision.js';

export interface BoostOptions {
  /** Number of trees. @default 200 */
  rounds?: number;
  /** Depth of each tree. @default 3 */
  depth?: number;
  /** Shrinkage of each tree's values. @default 0.1 */
  rate?: number;
  /** L2 penalty on leaf values. @default 1 */
  lambda?: number;
  /** Least number of rows in a leaf. @default 10 */
  minLeaf?: number;
  /** Candidate cut points per feature (quantiles of the training values). @default 32 */
  bins?: number;
}

/** Cut points between the distinct quantiles of one column. */
export function cutPoints(values: number[], bins: number): number[] {
  const sorted = [...values].sort((a, b) => a - b);
  const distinct: number[] = [];
  for (let i = 1; i < bins; i++) {
    const v = sorted[Math.floor((i * (sorted.length - 1)) / bins)]!;
    if (distinct.length === 0 || v > distinct[distinct.length - 1]!) distinct.push(v);
  }
  const cuts: number[] = [];
  for (const v of distinct) {
    const next = sorted.find((s) => s > v);
    if (next !== undefined) cuts.push((v + next) / 2);
  }
  return [...new Set(cuts)];
}

interface Split {
  feature: number;
  threshold: number;
  gain: number;
}

const leafValue = (g: number, h: number, lambda: number) => -g / (h + lambda);
const score = (g: number, h: number, lambda: number) => (g * g) / (h + lambda);

function bestSplit(
  rows: number[],
  x: ArrayLike<number>[],
  grad: Float64Array,
  hess: Float64Array,
  cuts: number[][],
  o: Required<BoostOptions>,
): Split | null {
  let G = 0;
  let H = 0;
  for (const r of rows) {
    G += grad[r]!;
    H += hess[r]!;
  }
  const parent = score(G, H, o.lambda);
  let best: Split | null = null;
  for (let f = 0; f < cuts.length; f++) {
    const c = cuts[f]!;
    if (c.length === 0) continue;
    const g = new Float64Array(c.length + 1);
    const h = new Float64Array(c.length + 1);
    const n = new Int32Array(c.length + 1);
    for (const r of rows) {
      const v = x[r]![f]!;
      let lo = 0;
      let hi = c.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (v <= c[mid]!) hi = mid;
        else lo = mid + 1;
      }
      g[lo]! += grad[r]!;
      h[lo]! += hess[r]!;
      n[lo]!++;
    }
    let gl = 0;
    let hl = 0;
    let nl = 0;
    for (let b = 0; b < c.length; b++) {
      gl += g[b]!;
      hl += h[b]!;
      nl += n[b]!;
      const nr = rows.length - nl;
      if (nl < o.minLeaf || nr < o.minLeaf) continue;
      const gain = score(gl, hl, o.lambda) + score(G - gl, H - hl, o.lambda) - parent;
      if (gain > 1e-9 && (!best || gain > best.gain)) best = { feature: f, threshold: c[b]!, gain };
    }
  }
  return best;
}

/** Grows one tree on the rows' gradients; returns its nodes (index 0 is the root). */
function growTree(
  x: ArrayLike<number>[],
  grad: Float64Array,
  hess: Float64Array,
  cuts: number[][],
  o: Required<BoostOptions>,
): TreeNode[] {
  const nodes: TreeNode[] = [];
  const grow = (rows: number[], depth: number): number => {
    const at = nodes.length;
    nodes.push([0]);
    const split = depth < o.depth ? bestSplit(rows, x, grad, hess, cuts, o) : null;
    if (!split) {
      let g = 0;
      let h = 0;
      for (const r of rows) {
        g += grad[r]!;
        h += hess[r]!;
      }
      nodes[at] = [o.rate * leafValue(g, h, o.lambda)];
      return at;
    }
    const left = rows.filter((r) => x[r]![split.feature]! <= split.threshold);
    const right = rows.filter((r) => x[r]![split.feature]! > split.threshold);
    const l = grow(left, depth + 1);
    const r = grow(right, depth + 1);
    nodes[at] = [split.feature, split.threshold, l, r];
    return at;
  };
  grow(
    x.map((_, i) => i),
    0,
  );
  return nodes;
}

/** The raw score of one tree for a row. */
export function treeValue(nodes: readonly TreeNode[], x: ArrayLike<number>): number {
  let n = nodes[0]!;
  while (n.length === 4) n = nodes[x[n[0]]! <= n[1] ? n[2] : n[3]]!;
  return n[0];
}

/** Fills each row's gradient and Hessian of the loss at the current raw scores. */
type Gradients = (raw: Float64Array, grad: Float64Array, hess: Float64Array) => void;

function boost(
  features: string[],
  x: ArrayLike<number>[],
  base: number,
  gradients: Gradients,
  options: BoostOptions,
): BoostedModel {
  const o: Required<BoostOptions> = {
    rounds: 200,
    depth: 3,
    rate: 0.1,
    lambda: 1,
    minLeaf: 10,
    bins: 32,
    ...options,
  };
  const cuts = features.map((_, f) =>
    cutPoints(
      x.map((row) => row[f]!),
      o.bins,
    ),
  );
  const raw = new Float64Array(x.length).fill(base);
  const grad = new Float64Array(x.length);
  const hess = new Float64Array(x.length);
  const trees: TreeNode[][] = [];
  for (let t = 0; t < o.rounds; t++) {
    gradients(raw, grad, hess);
    const tree = growTree(x, grad, hess, cuts, o);
    trees.push(tree);
    for (let i = 0; i < x.length; i++) raw[i]! += treeValue(tree, x[i]!);
  }
  return { kind: 'trees', features, base, trees };
}

/** Boosted trees for P(y = 1 | x) over the named features (rows in feature order). */
export function fitBoosted(
  features: string[],
  x: ArrayLike<number>[],
  y: number[],
  options: BoostOptions = {},
): BoostedModel {
  const positives = y.reduce((a, v) => a + v, 0);
  const p0 = Math.min(0.99, Math.max(0.01, positives / Math.max(1, y.length)));
  return boost(
    features,
    x,
    Math.log(p0 / (1 - p0)),
    (raw, grad, hess) => {
      for (let i = 0; i < raw.length; i++) {
        const p = 1 / (1 + Math.exp(-raw[i]!));
        grad[i] = p - y[i]!;
        hess[i] = Math.max(p * (1 - p), 1e-6);
      }
    },
    options,
  );
}

/**
 * Boosted trees as a listwise ranker: the scores whose softmax over each group (one
 * question's candidates) puts the most weight on its right candidates. Groups without both
 * a right and a wrong candidate carry no information and are left out.
 */
export function fitBoostedListwise(
  features: string[],
  groups: Array<{ x: ArrayLike<number>[]; y: number[] }>,
  options: BoostOptions = {},
): BoostedModel {
  const used = groups.filter((g) => g.y.some((v) => v === 1) && g.y.some((v) => v === 0));
  const x = used.flatMap((g) => g.x);
  const bounds: Array<[number, number]> = [];
  let at = 0;
  for (const g of used) {
    bounds.push([at, at + g.x.length]);
    at += g.x.length;
  }
  const y = used.flatMap((g) => g.y);
  return boost(
    features,
    x,
    0,
    (raw, grad, hess) => {
      for (const [from, to] of bounds) {
        let max = -Infinity;
        for (let i = from; i < to; i++) max = Math.max(max, raw[i]!);
        let all = 0;
        let pos = 0;
        for (let i = from; i < to; i++) {
          const e = Math.exp(raw[i]! - max);
          all += e;
          if (y[i] === 1) pos += e;
        }
        for (let i = from; i < to; i++) {
          const e = Math.exp(raw[i]! - max);
          const p = e / all;
          const q = y[i] === 1 ? e / pos : 0;
          grad[i] = p - q;
          hess[i] = Math.max(p * (1 - p), 1e-6);
        }
      }
    },
    options,
  );
}
