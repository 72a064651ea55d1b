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
  const values: number[] = [];
  for (const line of Buffer.from(idfBytes).toString('utf8').split('\n')) {
    const space = line.lastIndexOf(' ');
    if (space <= 0) continue;
    const v = Number(line.slice(space + 1));
    table.set(line.slice(0, space), v);
    values.push(v);
  }
  values.sort((a, b) => a - b);
  median = values[Math.floor(values.length / 2)] ?? 10;
  return table;
}

/** IDF of a word in general Chinese; unseen words count as rare (the table's median). */
export function generalIdf(word: string): number {
  return load().get(word) ?? median;
}
