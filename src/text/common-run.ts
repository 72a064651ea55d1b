/** The longest run of characters two texts share (how much of a question a passage repeats word for word). Pure. */

/** Length of the longest common substring of two short strings (dynamic programming, two rows). */
export function longestCommonRun(a: string, b: string): number {
  let best = 0;
  let prev = new Uint16Array(b.length + 1);
  let row = new Uint16Array(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    const ch = a.charCodeAt(i - 1);
    for (let j = 1; j <= b.length; j++) {
      if (ch === b.charCodeAt(j - 1)) {
        const v = prev[j - 1]! + 1;
        row[j] = v;
        if (v > best) best = v;
      } else row[j] = 0;
    }
    [prev, row] = [row, prev];
  }
  return best;
}
