/**
 * The answer decision: one logistic model over named candidate features. Its weights, the
 * standardisation of each feature and the refusal threshold come from a fit on labelled
 * questions (`npm run calibrate` writes decision-model.json); nothing here is hand-set.
 * Pure, except loadDecisionModel, which reads the model file.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { FEATURES, type FeatureVector } from './features.js';

export interface DecisionModel {
  version: 1;
  /** Feature names, in the order of `weights`, `mean` and `scale`. */
  features: string[];
  mean: number[];
  scale: number[];
  weights: number[];
  bias: number;
  /** Answer when the best candidate's probability reaches this; refuse below it. */
  threshold: number;
  /** How the model was fitted (for the reader: sizes, regularisation, date). */
  fit?: Record<string, unknown>;
}

/** The committed model file beside this module (copied next to the compiled module by build:server). */
export const MODEL_FILE = fileURLToPath(new URL('./decision-model.json', import.meta.url));

export function parseDecisionModel(json: string, source = MODEL_FILE): DecisionModel {
  const m = JSON.parse(json) as DecisionModel;
  const n = m.features?.length ?? 0;
  if (m.version !== 1 || n === 0 || [m.mean, m.scale, m.weights].some((a) => !Array.isArray(a) || a.length !== n)) {
    throw new Error(`${source}: not a decision model (version 1 with features, mean, scale and weights of equal length)`);
  }
  return m;
}

export function loadDecisionModel(file = MODEL_FILE): DecisionModel {
  return parseDecisionModel(readFileSync(file, 'utf8'), file);
}

/** Column of each model feature in a FeatureVector (-1 when the model has a feature this code lacks). */
function columns(model: DecisionModel): number[] {
  return model.features.map((f) => (FEATURES as readonly string[]).indexOf(f));
}

const cache = new WeakMap<DecisionModel, number[]>();

/** The linear score w·z + b of a candidate (z: standardised features). */
export function logit(model: DecisionModel, x: FeatureVector): number {
  let cols = cache.get(model);
  if (!cols) cache.set(model, (cols = columns(model)));
  let s = model.bias;
  for (let i = 0; i < cols.length; i++) {
    const c = cols[i]!;
    if (c < 0) continue;
    s += (model.weights[i]! * (x[c]! - model.mean[i]!)) / model.scale[i]!;
  }
  return s;
}

/** Probability that the candidate answers the question. */
export function probability(model: DecisionModel, x: FeatureVector): number {
  return 1 / (1 + Math.exp(-logit(model, x)));
}

export interface Contribution {
  feature: string;
  value: number;
  /** This feature's share of the logit. */
  contribution: number;
}

/** Each feature's value and contribution to the logit, largest effect first (the debug view). */
export function explain(model: DecisionModel, x: FeatureVector): Contribution[] {
  const cols = columns(model);
  return model.features
    .map((feature, i) => {
      const value = cols[i]! < 0 ? 0 : x[cols[i]!]!;
      return { feature, value, contribution: (model.weights[i]! * (value - model.mean[i]!)) / model.scale[i]! };
    })
    .sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution));
}
