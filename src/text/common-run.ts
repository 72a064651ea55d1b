/** The longest run of characters two texts share (how much of a question a passage repeats word for word). Pure. */

/** Positions of each character of a short text (the question), so a long text is scanned once. */
function positionsOf(a: string): Map<number, number[]> {
  const positions = new Map<number, number[]>();
  for (let i = 0; i < a.length; i++) {
    const ch = a.charCodeAt(i);
    const list = positions.get(ch);
    if (list) list.push(i);
    else positions.set(ch, [i]);
  }
  return positions;
}

// The same question is compared with every passage, sentence and clause of one answer.
let lastA = '';
let lastPositions = new Map<number, number[]>();

/**
 * Length of the longest common substring of `a` (short: a question) and `b`. Scans `b` once
 * and extends a run only where it starts, so the cost is about |b| plus the matches, not
 * |a| × |b|; most characters of a passage do not occur in the question at all.
 */
export function longestCommonRun(a: string, b: string): number {
  if (a !== lastA) {
    lastA = a;
    lastPositions = positionsOf(a);
  }
  const positions = lastPositions;
  let best = 0;
  for (let j = 0; j < b.length; j++) {
    const starts = positions.get(b.charCodeAt(j));
    if (!starts) continue;
    for (const i of starts) {
      // Only where a run starts: the run through (i - 1, j - 1) was measured already.
      if (i > 0 && j > 0 && a.charCodeAt(i - 1) === b.charCodeAt(j - 1)) continue;
      let k = 1;
      while (i + k < a.length && j + k < b.length && a.charCodeAt(i + k) === b.charCodeAt(j + k))
        k++;
      if (k > best) best = k;
    }
  }
  return best;
}
