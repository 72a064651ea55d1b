/**
 * The synonym lexicon: everyday wording → the reports' vocabulary. Data lives in
 * `lexicon.txt` beside this file and in the field files of `vocab/` (operators extend it,
 * or add LEXICON_FILE); lines read `官方词1,官方词2 = 口语词1,口语词2`, and a line ending in
 * `@ 语境词1,语境词2` holds only in a question that also names one of those context words
 * (`法律顾问 = 律师 @ 政府` lets 「政府请的律师」 reach 法律顾问 without listing the phrase).
 * Parsing and matching are pure; only `loadLexicon` reads files.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface LexiconEntry {
  official: string[];
  everyday: string[];
  /** When present, the entry holds only in a question naming one of these words. */
  context?: string[];
}

export interface LexiconHit {
  /** The everyday phrase found in the question. */
  phrase: string;
  /** Report terms it stands for. */
  official: string[];
}

export class LexiconParseError extends Error {}

const splitTerms = (s: string | undefined): string[] =>
  (s ?? '')
    .split(/[,，、]/)
    .map((t) => t.trim().normalize('NFKC'))
    .filter(Boolean);

/** Parses one lexicon file; `source` names it in errors (`file:line: …`). */
export function parseLexicon(text: string, source = 'lexicon'): LexiconEntry[] {
  const entries: LexiconEntry[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const fail = (): never => {
      throw new LexiconParseError(
        `${source}:${i + 1}: expected "官方词,… = 口语词,… [@ 语境词,…]", got "${line}"`,
      );
    };
    const [rule, ...rest] = line.split(/\s*[@＠]\s*/);
    if (rest.length > 1) fail();
    const parts = (rule ?? '').split(/\s*[=＝]\s*/);
    const official = splitTerms(parts[0]);
    const everyday = splitTerms(parts[1]);
    if (parts.length !== 2 || official.length === 0 || everyday.length === 0) fail();
    if (rest.length === 0) {
      entries.push({ official, everyday });
      return;
    }
    const context = splitTerms(rest[0]);
    if (context.length === 0) fail();
    entries.push({ official, everyday, context });
  });
  return entries;
}

/** Official terms an everyday phrase stands for only beside one of the context words. */
interface ContextRule {
  context: string[];
  official: Set<string>;
}

export class Lexicon {
  /** everyday phrase → official terms that hold in any question. */
  private readonly map = new Map<string, Set<string>>();
  /** everyday phrase → official terms that hold beside a context word. */
  private readonly contextual = new Map<string, ContextRule[]>();
  /** Every everyday phrase (either kind), longest first for matching. */
  private phrases: string[] = [];
  /** Character → positions in `phrases` of the phrases starting with it. */
  private readonly byFirst = new Map<number, number[]>();
  /** Every official term of every entry. */
  private readonly officials = new Set<string>();
  /** Everyday phrase → the official terms of any entry that hold it (worked out when first needed). */
  private readonly holding = new Map<string, string[]>();

  constructor(entries: LexiconEntry[]) {
    for (const e of entries) {
      for (const o of e.official) this.officials.add(o);
      for (const phrase of e.everyday) {
        const official = e.official.filter((o) => o !== phrase);
        if (e.context) {
          const rules = this.contextual.get(phrase) ?? [];
          const key = [...e.context].sort().join(',');
          const same = rules.find((r) => [...r.context].sort().join(',') === key);
          if (same) for (const o of official) same.official.add(o);
          else rules.push({ context: [...e.context], official: new Set(official) });
          this.contextual.set(phrase, rules);
        } else {
          const set = this.map.get(phrase) ?? new Set<string>();
          for (const o of official) set.add(o);
          this.map.set(phrase, set);
        }
      }
    }
    this.phrases = [...new Set([...this.map.keys(), ...this.contextual.keys()])].sort(
      (a, b) => b.length - a.length,
    );
    this.phrases.forEach((phrase, order) => {
      const first = phrase.charCodeAt(0);
      const list = this.byFirst.get(first);
      if (list) list.push(order);
      else this.byFirst.set(first, [order]);
    });
  }

  /** Number of distinct everyday phrases. */
  get size(): number {
    return this.phrases.length;
  }

  /** Everyday phrases in the text, longest first, without overlaps. */
  find(text: string): LexiconHit[] {
    const taken = new Array<boolean>(text.length).fill(false);
    const free = (from: number, to: number) => {
      for (let i = from; i < to; i++) if (taken[i]) return false;
      return true;
    };
    const hits: LexiconHit[] = [];
    // Every occurrence of a phrase, found by the phrases starting with each character of
    // the text, then taken in the order of `phrases` (longest first), one hit per phrase.
    const found: { order: number; at: number }[] = [];
    for (let i = 0; i < text.length; i++) {
      const list = this.byFirst.get(text.charCodeAt(i));
      if (list)
        for (const order of list)
          if (text.startsWith(this.phrases[order]!, i)) found.push({ order, at: i });
    }
    found.sort((a, b) => a.order - b.order || a.at - b.at);
    for (let k = 0; k < found.length;) {
      const order = found[k]!.order;
      let end = k;
      while (end < found.length && found[end]!.order === order) end++;
      const phrase = this.phrases[order]!;
      // A phrase whose only rules need a context word the text lacks is no hit at all, so
      // it leaves its characters to shorter phrases (a context-free phrase always holds).
      const official = this.officialFor(phrase, text);
      const holds = this.map.has(phrase) || official.length > 0;
      for (; holds && k < end; k++) {
        const at = found[k]!.at;
        if (!free(at, at + phrase.length)) continue;
        // An everyday word inside an official term typed in full, its own (出口 in
        // 「进出口总额」) or another entry's (旧小区改造 in 「老旧小区改造」), stands for that
        // term: the hit is the whole term, the longest such.
        const typed = (o: string) => {
          const i = text.indexOf(o, Math.max(0, at + phrase.length - o.length));
          return (
            o.length > phrase.length && i >= 0 && i <= at && i + o.length >= at + phrase.length
          );
        };
        const ownWhole = official.reduce<string | undefined>(
          (w, o) => (typed(o) && o.length > (w?.length ?? 0) ? o : w),
          undefined,
        );
        const otherWhole = this.termsHolding(phrase).find(typed);
        const whole =
          otherWhole && otherWhole.length > (ownWhole?.length ?? 0) ? otherWhole : ownWhole;
        const start = whole
          ? text.indexOf(whole, Math.max(0, at + phrase.length - whole.length))
          : at;
        const span = whole ?? phrase;
        if (!free(start, start + span.length)) continue;
        for (let i = start; i < start + span.length; i++) taken[i] = true;
        // Another entry's term keeps only what that term itself stands for: the everyday
        // word's terms may be wider (居民人均可支配收入 for 农村居民人均可支配收入).
        const terms = !whole
          ? official
          : official.includes(whole)
            ? official.filter((o) => o !== whole)
            : this.officialFor(whole, text);
        hits.push({ phrase: span, official: terms });
        break;
      }
      k = end;
    }
    return hits;
  }

  /** The official terms of any entry longer than an everyday phrase that hold it, longest first. */
  private termsHolding(phrase: string): string[] {
    let terms = this.holding.get(phrase);
    if (!terms) {
      terms = [...this.officials]
        .filter((o) => o.length > phrase.length && o.includes(phrase))
        .sort((a, b) => b.length - a.length);
      this.holding.set(phrase, terms);
    }
    return terms;
  }

  /**
   * Report terms for one word (empty when the lexicon does not know it). Context entries
   * count only when `question` is given and names one of their context words.
   */
  officialFor(word: string, question?: string): string[] {
    const out = new Set(this.map.get(word) ?? []);
    if (question !== undefined) {
      for (const rule of this.contextual.get(word) ?? []) {
        if (rule.context.some((c) => question.includes(c)))
          for (const o of rule.official) out.add(o);
      }
    }
    return [...out];
  }
}

const HERE = path.dirname(fileURLToPath(import.meta.url));

/** The built-in lexicon file beside this module. */
export const BUILTIN_LEXICON = path.join(HERE, 'lexicon.txt');

/** The folder of field vocabularies beside this module (src/text/vocab or dist/src/text/vocab). */
export const VOCAB_DIR = path.join(HERE, 'vocab');

export interface LoadLexiconOptions {
  /** Folder whose `*.txt` files are read in name order. @default VOCAB_DIR */
  vocabDir?: string;
  /** The main lexicon file. @default BUILTIN_LEXICON */
  builtinFile?: string;
}

/** The `*.txt` files of a vocabulary folder, sorted by name (empty when it is missing). */
export function vocabFiles(dir = VOCAB_DIR): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.txt'))
    .sort()
    .map((f) => path.join(dir, f));
}

/**
 * Loads the built-in lexicon, every field file of the vocabulary folder and an optional
 * operator file; an everyday word listed in several files stands for all their terms.
 */
export function loadLexicon(extraFile = '', options: LoadLexiconOptions = {}): Lexicon {
  return new Lexicon(lexiconEntries(extraFile, options));
}

/** The entries loadLexicon reads (for callers that add runtime synonyms to them). */
export function lexiconEntries(extraFile = '', options: LoadLexiconOptions = {}): LexiconEntry[] {
  const { vocabDir = VOCAB_DIR, builtinFile = BUILTIN_LEXICON } = options;
  const entries: LexiconEntry[] = [];
  for (const file of [builtinFile, ...vocabFiles(vocabDir), extraFile]) {
    if (file && existsSync(file)) entries.push(...parseLexicon(readFileSync(file, 'utf8'), file));
  }
  return entries;
}
