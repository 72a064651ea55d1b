/** The longest run of characters two texts share (how much of a question a passage repeats word for word), Latin letters in either case alike. Pure. */

/** The character code at `i`, A–Z folded to a–z (BCPL and bcpl repeat the same word). */
function code(s: string, i: number): number {
  const c = s.charCodeAt(i);
  return c >= 65 && c <= 90 ? c + 32 : c;
}

/** Positions of each character of a short text (the question), so a long text is scanned once. */
function positionsOf(a: string): Map<number, number[]> {
  const positions = new Map<number, number[]>();
  for (let i = 0; i < a.length; i++) {
    const ch = code(a, i);
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
    const starts = positions.get(code(b, j));
    if (!starts) continue;
    for (const i of starts) {
      // Only where a run starts: the run through (i - 1, j - 1) was measured already.
      if (i > 0 && j > 0 && code(a, i - 1) === code(b, j - 1)) continue;
      let k = 1;
      while (i + k < a.length && j + k < b.length && code(a, i + k) === code(b, j + k)) k++;
      if (k > best) best = k;
    }
  }
  return best;
}
