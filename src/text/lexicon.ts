/**
 * The synonym lexicon: everyday wording → the reports' vocabulary. Data lives in
 * `lexicon.txt` beside this file (operators extend it, or add LEXICON_FILE); lines read
 * `官方词1,官方词2 = 口语词1,口语词2`. Parsing and matching are pure.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface LexiconEntry {
  official: string[];
  everyday: string[];
}

export interface LexiconHit {
  /** The everyday phrase found in the question. */
  phrase: string;
  /** Report terms it stands for. */
  official: string[];
}

export class LexiconParseError extends Error {}

export function parseLexicon(text: string, source = 'lexicon'): LexiconEntry[] {
  const entries: LexiconEntry[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const parts = line.split(/\s*=\s*/);
    const split = (s: string | undefined) =>
      (s ?? '')
        .split(/[,，、]/)
        .map((t) => t.trim().normalize('NFKC'))
        .filter(Boolean);
    const official = split(parts[0]);
    const everyday = split(parts[1]);
    if (parts.length !== 2 || official.length === 0 || everyday.length === 0) {
      throw new LexiconParseError(`${source}:${i + 1}: expected "官方词,… = 口语词,…", got "${line}"`);
    }
    entries.push({ official, everyday });
  });
  return entries;
}

export class Lexicon {
  /** everyday phrase → official terms, longest phrases first for matching. */
  private readonly map = new Map<string, Set<string>>();
  private phrases: string[] = [];
  /** Character → positions in `phrases` of the phrases starting with it. */
  private readonly byFirst = new Map<number, number[]>();

  constructor(entries: LexiconEntry[]) {
    for (const e of entries) {
      for (const phrase of e.everyday) {
        const set = this.map.get(phrase) ?? new Set<string>();
        for (const o of e.official) if (o !== phrase) set.add(o);
        this.map.set(phrase, set);
      }
    }
    this.phrases = [...this.map.keys()].sort((a, b) => b.length - a.length);
    this.phrases.forEach((phrase, order) => {
      const first = phrase.charCodeAt(0);
      const list = this.byFirst.get(first);
      if (list) list.push(order);
      else this.byFirst.set(first, [order]);
    });
  }

  get size(): number {
    return this.map.size;
  }

  /** Everyday phrases in the text, longest first, without overlaps. */
  find(text: string): LexiconHit[] {
    const taken = new Array<boolean>(text.length).fill(false);
    const hits: LexiconHit[] = [];
    // Only phrases whose first character occurs in the text, in the same (longest first) order.
    const candidates: number[] = [];
    const seen = new Set<number>();
    for (let i = 0; i < text.length; i++) {
      const ch = text.charCodeAt(i);
      if (seen.has(ch)) continue;
      seen.add(ch);
      const list = this.byFirst.get(ch);
      if (list) for (const order of list) candidates.push(order);
    }
    candidates.sort((a, b) => a - b);
    for (const order of candidates) {
      const phrase = this.phrases[order]!;
      let from = 0;
      for (;;) {
        const at = text.indexOf(phrase, from);
        if (at < 0) break;
        from = at + 1;
        if (taken.slice(at, at + phrase.length).some(Boolean)) continue;
        // An everyday word inside one of its own official terms typed in full (出口 in
        // 「进出口总额」) stands for that term: the hit is the whole term.
        const official = [...(this.map.get(phrase) ?? [])];
        const whole = official.find((o) => {
          const i = text.indexOf(o, Math.max(0, at + phrase.length - o.length));
          return o.length > phrase.length && i >= 0 && i <= at && i + o.length >= at + phrase.length;
        });
        const start = whole ? text.indexOf(whole, Math.max(0, at + phrase.length - whole.length)) : at;
        const span = whole ?? phrase;
        if (taken.slice(start, start + span.length).some(Boolean)) continue;
        for (let i = start; i < start + span.length; i++) taken[i] = true;
        hits.push({ phrase: span, official: whole ? official.filter((o) => o !== whole) : official });
        break;
      }
    }
    return hits;
  }

  /** Report terms for one word (empty when the lexicon does not know it). */
  officialFor(word: string): string[] {
    return [...(this.map.get(word) ?? [])];
  }
}

export const BUILTIN_LEXICON = path.join(path.dirname(new URL(import.meta.url).pathname), 'lexicon.txt');

/** Loads the built-in lexicon plus an optional operator file. */
export function loadLexicon(extraFile = ''): Lexicon {
  const entries: LexiconEntry[] = [];
  for (const file of [BUILTIN_LEXICON, extraFile]) {
    if (file && existsSync(file)) entries.push(...parseLexicon(readFileSync(file, 'utf8'), file));
  }
  return new Lexicon(entries);
}
