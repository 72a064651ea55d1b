/**
 * General-purpose Chinese word rarity (jieba's bundled IDF table). Corpus-independent, so
 * embeddings built with it never change when other documents are added.
 */
import { idf as idfBytes } from '@node-rs/jieba/dict.js';

let table: Map<string, number> | undefined;
let median = 10;

function load(): Map<string, number> {
  if (table) return table;
  table = new Map();
  // One pass over the text, no array of lines: the table has ~350,000 words, and splitting
  // it first doubled the memory the server needed at start-up.
  const text = Buffer.from(idfBytes.buffer, idfBytes.byteOffset, idfBytes.byteLength).toString(
    'utf8',
  );
  const values = new Float64Array(Math.ceil(text.length / 4)); // a line is at least 4 characters ("词 1\n")
  let count = 0;
  for (let start = 0; start < text.length;) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const space = text.lastIndexOf(' ', end - 1);
    if (space > start) {
      const v = Number(text.slice(space + 1, end));
      table.set(text.slice(start, space), v);
      values[count++] = v;
    }
    start = end + 1;
  }
  const sorted = values.subarray(0, count).sort();
  median = sorted[Math.floor(count / 2)] ?? 10;
  return table;
}

/** IDF of a word in general Chinese; unseen words count as rare (the table's median). */
export function generalIdf(word: string): number {
  return load().get(word) ?? median;
}
