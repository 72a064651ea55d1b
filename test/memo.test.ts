import { describe, expect, it } from 'vitest';
import { memoByText } from '../src/text/memo.js';

describe('memoByText', () => {
  it('computes a text once, and starts over when full', () => {
    const seen: string[] = [];
    const length = memoByText((t) => (seen.push(t), t.length), 2);
    expect([length('ab'), length('ab'), length('abc')]).toEqual([2, 2, 3]);
    expect(seen).toEqual(['ab', 'abc']);
    length('abcd'); // full: emptied, then holds abcd
    length('ab');
    expect(seen).toEqual(['ab', 'abc', 'abcd', 'ab']);
  });
});
