/**
 * Record files (src/json-slices.ts) on hand-built inputs: one record per line, plain JSON,
 * parsed back in slices with the event loop given a turn between them.
 */
import { describe, expect, it } from 'vitest';
import { parseSliced, recordLines } from '../src/json-slices.js';

const items = Array.from({ length: 200 }, (_, i) => ({
  id: `c${i}`,
  text: `第${i}段：全年受理案件${i * 7}件。\n"引号" \\ 反斜杠`,
  sentences: [{ start: 0, end: i }],
}));
const arrayFile = recordLines(
  '[',
  items.map((x) => JSON.stringify(x)),
  ']',
);

/** Counts the turns a parse gives the event loop. */
function counting(): { pause: () => Promise<void>; turns: () => number } {
  let turns = 0;
  return {
    pause: async () => {
      turns++;
    },
    turns: () => turns,
  };
}

describe('record files', () => {
  it('write one record per line and stay plain JSON', () => {
    const lines = arrayFile.split('\n');
    expect(lines).toHaveLength(items.length + 2);
    expect(lines[0]).toBe('[');
    expect(lines.at(-1)).toBe(']');
    expect(JSON.parse(arrayFile)).toEqual(items);
    expect(JSON.parse(recordLines('[', [], ']'))).toEqual([]);
  });

  it('parse an array back in slices, giving the event loop turns between them', async () => {
    const turns = counting();
    const parsed = await parseSliced(Buffer.from(arrayFile), {
      sliceBytes: 512,
      budgetMs: 0,
      pause: turns.pause,
    });
    expect(parsed).toEqual(items);
    // 200 records of ~100 bytes in 512-byte slices: dozens of turns, not one long parse.
    expect(turns.turns()).toBeGreaterThan(20);
  });

  it('parse object members opened by a head with other fields before them', async () => {
    const postings: Record<string, number[]> = {};
    for (let i = 0; i < 300; i++) postings[`w:词${i}`] = [i, 1, i + 1, 2];
    const head = JSON.stringify({ k1: 1.2, lengths: [3, 4], postings: {} }).slice(0, -2);
    const file = recordLines(
      head,
      [
        ...Object.entries(postings).map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`),
        '"__proto__":[9,9]',
      ],
      '}}',
    );
    const whole = JSON.parse(file) as { postings: Record<string, number[]> };
    const turns = counting();
    const parsed = (await parseSliced(Buffer.from(file), {
      sliceBytes: 256,
      budgetMs: 0,
      pause: turns.pause,
    })) as typeof whole;
    expect(parsed).toEqual(whole);
    expect(Object.keys(parsed.postings)).toEqual(Object.keys(whole.postings));
    // An own member named __proto__, as JSON.parse makes it, not a changed prototype.
    expect(Object.getPrototypeOf(parsed.postings)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(parsed.postings, '__proto__')?.value).toEqual([9, 9]);
    expect(turns.turns()).toBeGreaterThan(10);
  });

  it('read a compact file (one line, as older versions wrote) whole', async () => {
    expect(await parseSliced(Buffer.from(JSON.stringify(items)))).toEqual(items);
    expect(await parseSliced(Buffer.from(`${JSON.stringify({ a: [1] })}\n`))).toEqual({ a: [1] });
  });

  it('throw SyntaxError on a truncated or damaged file', async () => {
    const half = Buffer.from(arrayFile.slice(0, Math.floor(arrayFile.length / 2)));
    await expect(parseSliced(half, { sliceBytes: 512 })).rejects.toBeInstanceOf(SyntaxError);
    const lines = arrayFile.split('\n');
    lines[50] = '{"id":"c49",';
    await expect(parseSliced(Buffer.from(lines.join('\n')))).rejects.toBeInstanceOf(SyntaxError);
    const cut = arrayFile.split('\n').slice(0, -1).join('\n');
    await expect(parseSliced(Buffer.from(cut))).rejects.toBeInstanceOf(SyntaxError);
  });
});
