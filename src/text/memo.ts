/**
 * A bounded memo of a pure function of a string: texts of the corpus and words of the
 * vocabulary come back with every answer, so their results are kept (emptied when `max`
 * texts are held). Results are shared: read only.
 */
export function memoByText<T>(compute: (text: string) => T, max = 50_000): (text: string) => T {
  const memo = new Map<string, T>();
  return (text) => {
    if (memo.has(text)) return memo.get(text)!;
    if (memo.size >= max) memo.clear();
    const value = compute(text);
    memo.set(text, value);
    return value;
  };
}
