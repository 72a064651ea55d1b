/** Boosted trees evaluated flat give what the trees say, node by node. */
import { describe, expect, it } from 'vitest';
import {
  ACCEPT_EXTRA,
  loadDecisionModel,
  trees,
  type BoostedModel,
  type TreeNode,
} from '../src/answer/decision.js';
import { FEATURES } from '../src/answer/features.js';

/** The trees walked as written in the model file, the reference. */
function walk(model: BoostedModel, x: ArrayLike<number>, cols: number[]): number {
  let s = model.base;
  for (const tree of model.trees) {
    let node: TreeNode = tree[0]!;
    while (node.length === 4) {
      const c = cols[node[0]]!;
      node = tree[(c < 0 ? 0 : (x[c] ?? 0)) <= node[1] ? node[2] : node[3]]!;
    }
    s += node[0];
  }
  return s;
}

describe('boosted trees', () => {
  it('goes left at or below the threshold, and reads a feature this code lacks as 0', () => {
    const model: BoostedModel = {
      kind: 'trees',
      features: ['coverage', 'no-such-feature'],
      base: 0.5,
      trees: [
        [[0, 0.4, 1, 2], [-1], [1]],
        [[1, -0.5, 1, 2], [10], [100]],
      ],
    };
    const x = (coverage: number) => {
      const v = new Float64Array(FEATURES.length);
      v[FEATURES.indexOf('coverage')] = coverage;
      return v;
    };
    expect(trees(model, x(0.4))).toBe(0.5 - 1 + 100);
    expect(trees(model, x(0.9))).toBe(0.5 + 1 + 100);
  });

  it('gives the committed acceptor’s logits exactly as walking its trees does', () => {
    const acceptor = loadDecisionModel().acceptor;
    if (!('trees' in acceptor)) return;
    const names = [...FEATURES, ...ACCEPT_EXTRA] as string[];
    const cols = acceptor.features.map((f) => names.indexOf(f));
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 0.5;
    for (let n = 0; n < 200; n++) {
      const x = Float64Array.from({ length: names.length }, rand);
      expect(trees(acceptor, x)).toBe(walk(acceptor, x, cols));
    }
  });
});
