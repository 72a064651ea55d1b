/**
 * The answer decision: one logistic model over named candidate features. Its weights, the
 * standardisation of each feature and the refusal threshold come from a fit on labelled
 * questions (`npm run calibrate` writes decision-model.json); nothing here is hand-set.
 * Pure, except loadDecisionModel, which reads the model file.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { FEATURES, type FeatureVector } from './features.js';

/** A linear model over named features: w·((x − mean) / scale) + bias. */
export interface LinearModel {
  /** Feature names, in the order of `weights`, `mean` and `scale`. */
  features: string[];
  mean: number[];
  scale: number[];
  weights: number[];
  bias: number;
}

/**
 * One node of a regression tree: `[feature, threshold, left, right]` (go left when the
 * feature's value is ≤ threshold; feature indexes the model's `features`) or `[value]`, a leaf.
 */
export type TreeNode = [number, number, number, number] | [number];

/** Boosted regression trees: logit = base + Σ tree values (fitted by eval/boost.ts). */
export interface BoostedModel {
  kind: 'trees';
  features: string[];
  base: number;
  trees: TreeNode[][];
}

/** A part of the decision model (ranker or acceptor): one linear score or boosted trees. */
export type PartModel = LinearModel | BoostedModel;

/**
 * Two fitted parts of one decision: the ranker orders the candidates of a question (which
 * sentence answers best); the acceptor, given a candidate's features plus its ranker score
 * and its gap to the best candidate, gives the probability that it is a right answer. The
 * question is answered when its best candidate's probability reaches the threshold.
 */
export interface DecisionModel {
  version: 2;
  ranker: PartModel;
  acceptor: PartModel;
  /** Answer when the best candidate's probability reaches this; refuse below it. */
  threshold: number;
  /**
   * Another report's best sentence is set beside the best answer when its probability
   * reaches this share of the threshold (and it covers the question about as fully); fitted
   * on the training questions' full answers. @default 0.5
   */
  alongside?: number;
  /** How the model was fitted (for the reader: sizes, regularisation). */
  fit?: Record<string, unknown>;
}

/** The committed model file beside this module (copied next to the compiled module by build:server). */
export const MODEL_FILE = fileURLToPath(new URL('./decision-model.json', import.meta.url));

function isLinear(m: LinearModel | undefined): boolean {
  const n = m?.features?.length ?? 0;
  return n > 0 && [m!.mean, m!.scale, m!.weights].every((a) => Array.isArray(a) && a.length === n);
}

const isBoosted = (m: PartModel | undefined): m is BoostedModel =>
  (m as BoostedModel | undefined)?.kind === 'trees';

function validTrees(m: BoostedModel): boolean {
  const n = m.features?.length ?? 0;
  return (
    n > 0 &&
    typeof m.base === 'number' &&
    Array.isArray(m.trees) &&
    m.trees.every(
      (t) =>
        Array.isArray(t) &&
        t.length > 0 &&
        t.every((node) =>
          node.length === 1
            ? typeof node[0] === 'number'
            : node.length === 4 &&
              node[0] >= 0 &&
              node[0] < n &&
              node[2] < t.length &&
              node[3] < t.length,
        ),
    )
  );
}

export function parseDecisionModel(json: string, source = MODEL_FILE): DecisionModel {
  const m = JSON.parse(json) as DecisionModel;
  if (
    m.version !== 2 ||
    !(isBoosted(m.ranker) ? validTrees(m.ranker) : isLinear(m.ranker)) ||
    !(isBoosted(m.acceptor) ? validTrees(m.acceptor) : isLinear(m.acceptor)) ||
    typeof m.threshold !== 'number' ||
    (m.alongside !== undefined && !(typeof m.alongside === 'number' && m.alongside > 0))
  ) {
    throw new Error(`${source}: not a decision model (version 2: ranker, acceptor, threshold)`);
  }
  return m;
}

export function loadDecisionModel(file = MODEL_FILE): DecisionModel {
  return parseDecisionModel(readFileSync(file, 'utf8'), file);
}

/** Names of the acceptor's inputs beyond the candidate features. */
export const ACCEPT_EXTRA = ['rankScore', 'rankGap'] as const;
const ACCEPT_NAMES: readonly string[] = [...FEATURES, ...ACCEPT_EXTRA];

/** Column of each model feature in the input vector (-1 when the model names a feature this code lacks). */
function columns(model: { features: string[] }): number[] {
  return model.features.map((f) => ACCEPT_NAMES.indexOf(f));
}

const cache = new WeakMap<object, number[]>();

/** w·z + b of an input vector (candidate features, optionally followed by the ACCEPT_EXTRA values). */
export function linear(model: LinearModel, x: ArrayLike<number>): number {
  let cols = cache.get(model);
  if (!cols) cache.set(model, (cols = columns(model)));
  let s = model.bias;
  for (let i = 0; i < cols.length; i++) {
    const c = cols[i]!;
    if (c < 0) continue;
    s += (model.weights[i]! * ((x[c] ?? 0) - model.mean[i]!)) / model.scale[i]!;
  }
  return s;
}

export const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));

/**
 * Boosted trees laid out flat for evaluation: one slot per node of every tree, the input
 * column it splits on (LEAF for a leaf; -1 for a feature this code lacks), its threshold or
 * leaf value, and its children as slots.
 */
interface FlatTrees {
  roots: Int32Array;
  column: Int32Array;
  value: Float64Array;
  left: Int32Array;
  right: Int32Array;
}
const LEAF = -2;
const flat = new WeakMap<BoostedModel, FlatTrees>();

function flatten(model: BoostedModel): FlatTrees {
  const cols = columns(model);
  const size = model.trees.reduce((n, t) => n + t.length, 0);
  const out: FlatTrees = {
    roots: new Int32Array(model.trees.length),
    column: new Int32Array(size),
    value: new Float64Array(size),
    left: new Int32Array(size),
    right: new Int32Array(size),
  };
  let at = 0;
  model.trees.forEach((tree, t) => {
    out.roots[t] = at;
    tree.forEach((node, i) => {
      if (node.length === 4) {
        out.column[at + i] = cols[node[0]]!;
        out.value[at + i] = node[1];
        out.left[at + i] = at + node[2];
        out.right[at + i] = at + node[3];
      } else {
        out.column[at + i] = LEAF;
        out.value[at + i] = node[0];
      }
    });
    at += tree.length;
  });
  return out;
}

/** The logit of boosted trees for an input vector (a feature this code lacks reads as 0). */
export function trees(model: BoostedModel, x: ArrayLike<number>): number {
  let f = flat.get(model);
  if (!f) flat.set(model, (f = flatten(model)));
  const { roots, column, value, left, right } = f;
  let s = model.base;
  for (let t = 0; t < roots.length; t++) {
    let i = roots[t]!;
    for (let c = column[i]!; c !== LEAF; c = column[i]!)
      i = (c < 0 ? 0 : (x[c] ?? 0)) <= value[i]! ? left[i]! : right[i]!;
    s += value[i]!;
  }
  return s;
}

/** The logit of a part of the model (ranker or acceptor), linear or boosted. */
export function partLogit(model: PartModel, x: ArrayLike<number>): number {
  return isBoosted(model) ? trees(model, x) : linear(model, x);
}

/**
 * The acceptor's input: a candidate's features, its ranker score and its margin over the
 * best other candidate (positive for the best one: how clearly it stands out).
 */
export function acceptorInput(
  x: FeatureVector,
  rankScore: number,
  bestOtherScore: number,
): Float64Array {
  const v = new Float64Array(FEATURES.length + ACCEPT_EXTRA.length);
  v.set(x);
  v[FEATURES.length] = rankScore;
  v[FEATURES.length + 1] = Number.isFinite(bestOtherScore)
    ? Math.max(-10, Math.min(10, rankScore - bestOtherScore))
    : 10;
  return v;
}

/**
 * Ranker scores of a question's candidates, and for each the best score among the other
 * candidates of the same document (several reports answering alike is no doubt about any
 * one of them; the composer names each). Without documents, all candidates are one group.
 */
export function rankScores(
  model: DecisionModel,
  candidates: readonly FeatureVector[],
  docs?: readonly string[],
): { ranks: number[]; others: number[] } {
  const ranks = candidates.map((x) => partLogit(model.ranker, x));
  const top = new Map<string, [number, number]>(); // doc → [first, second]
  ranks.forEach((r, i) => {
    const d = docs?.[i] ?? '';
    const t = top.get(d) ?? [-Infinity, -Infinity];
    if (r > t[0]) top.set(d, [r, t[0]]);
    else if (r > t[1]) top.set(d, [t[0], r]);
    else top.set(d, t);
  });
  const others = ranks.map((r, i) => {
    const [first, second] = top.get(docs?.[i] ?? '')!;
    return r === first ? second : first;
  });
  return { ranks, others };
}

/** Candidates the acceptor weighs: the best few by the ranker, as it was fitted on (FitSettings.acceptTop). */
export const ACCEPT_TOP = 5;

/**
 * Probabilities of a question's candidates, in their order: ranker scores first, then the
 * best ACCEPT_TOP candidates by the ranker, and the best of each other document, through the
 * acceptor with their margin over the best other of their document. The acceptor learned
 * from each question's best few candidates only; the rest get probability 0.
 */
export function decide(
  model: DecisionModel,
  candidates: readonly FeatureVector[],
  docs?: readonly string[],
): number[] {
  const { ranks, others } = rankScores(model, candidates, docs);
  const weighed = new Set(
    ranks
      .map((r, i) => [r, i] as const)
      .sort((a, b) => b[0] - a[0])
      .slice(0, ACCEPT_TOP)
      .map(([, i]) => i),
  );
  ranks.forEach((r, i) => {
    if (r >= others[i]!) weighed.add(i); // the best of its document
  });
  return candidates.map((x, i) =>
    weighed.has(i)
      ? sigmoid(partLogit(model.acceptor, acceptorInput(x, ranks[i]!, others[i]!)))
      : 0,
  );
}

export interface Contribution {
  feature: string;
  value: number;
  /** This feature's share of the linear score. */
  contribution: number;
}

/** Each input's value and contribution to a linear part's score, largest effect first (the debug view). */
export function explain(model: LinearModel, x: ArrayLike<number>): Contribution[] {
  const cols = columns(model);
  return model.features
    .map((feature, i) => {
      const value = cols[i]! < 0 ? 0 : (x[cols[i]!] ?? 0);
      return {
        feature,
        value,
        contribution: (model.weights[i]! * (value - model.mean[i]!)) / model.scale[i]!,
      };
    })
    .sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution));
}
