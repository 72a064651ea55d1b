/**
 * How well a piece of text covers a question's concepts. Pure.
 */
import type { Concept } from '../retrieval/query.js';
import { generalIdf } from '../text/idf.js';

/** Quote marks, which the reports set around their own coinages (“全程网办”率). */
const QUOTE = /[“”‘’"'「」『』]/;
const QUOTES = new RegExp(QUOTE.source, 'g');

/**
 * A text as concepts are looked for in it: Latin lower-cased (「GDP」 is asked as 「gdp」 as
 * often as not) and quote marks dropped, so a word the report quotes in part still reads as
 * one word (网办率 in “全程网办”率).
 */
export function matchingText(text: string): string {
  const lower = /[A-Z]/.test(text) ? text.toLowerCase() : text;
  return QUOTE.test(lower) ? lower.replace(QUOTES, '') : lower;
}

/** Credit for a word whose characters stand in order in the text (老小区 in 老旧小区). */
export const IN_ORDER_CREDIT = 0.8;
/** Least general-Chinese IDF of a word for its characters in order to count (common words never match this way). */
export const IN_ORDER_MIN_IDF = 7;

/**
 * Where the text holds the word's characters in order within a stretch at most two
 * characters longer than the word, starting and ending with its first and last character
 * and crossing no punctuation (老小区 in 改造老旧小区, not in 老人住进小区): the first such
 * stretch, or null.
 */
export function inOrderSpan(word: string, text: string): { start: number; end: number } | null {
  const limit = word.length + 2;
  for (let at = text.indexOf(word[0]!); at >= 0; at = text.indexOf(word[0]!, at + 1)) {
    let i = 1;
    let j = at + 1;
    for (; j < text.length && j - at < limit && i < word.length; j++) {
      const ch = text[j]!;
      if (!/[\u3400-\u9fff]/.test(ch)) break;
      if (ch === word[i]) i++;
    }
    if (i === word.length) return { start: at, end: j };
  }
  return null;
}

/** Whether the text holds the word's characters in order (inOrderSpan). */
export function inOrder(word: string, text: string): boolean {
  return inOrderSpan(word, text) !== null;
}

const rareEnough = new Map<string, boolean>();
function rare(word: string): boolean {
  let r = rareEnough.get(word);
  if (r === undefined) {
    if (rareEnough.size > 10_000) rareEnough.clear();
    rareEnough.set(word, (r = generalIdf(word) >= IN_ORDER_MIN_IDF));
  }
  return r;
}

/** A word of three or more Han characters (what in-order and bigram matching apply to). */
const longHan = (t: string) => t.length >= 3 && /^[\u3400-\u9fff]+$/.test(t);
/** Whether a concept can be found by its characters in order (a rare word of three or more Han characters). */
const linksInOrder = (t: string) => longHan(t) && rare(t);

/**
 * Where a concept is written in a text: every place of each of its forms; without any,
 * where a rare word's characters stand in order (老小区 in 180个城镇老旧小区). Empty when
 * neither.
 */
export function conceptSpans(
  concept: Concept,
  text: string,
): Array<{ start: number; end: number }> {
  const spans: Array<{ start: number; end: number }> = [];
  for (const form of concept.forms) {
    for (let at = text.indexOf(form); at >= 0; at = text.indexOf(form, at + form.length))
      spans.push({ start: at, end: at + form.length });
  }
  if (spans.length > 0 || !linksInOrder(concept.text)) return spans;
  const span = inOrderSpan(concept.text, text);
  return span ? [span] : [];
}

/**
 * 1 when a form of the concept occurs in the text; IN_ORDER_CREDIT when a rare word's
 * characters stand in order in it; partial credit for most of its bigrams.
 */
export function conceptMatch(concept: Concept, text: string): number {
  for (const form of concept.forms) if (text.includes(form)) return 1;
  const t = concept.text;
  if (linksInOrder(t) && inOrder(t, text)) return IN_ORDER_CREDIT;
  if (longHan(t)) {
    let hit = 0;
    for (let i = 0; i + 1 < t.length; i++) if (text.includes(t.slice(i, i + 2))) hit++;
    const share = hit / (t.length - 1);
    if (share >= 0.66) return 0.6 * share;
  }
  return 0;
}

export interface Coverage {
  /** Weighted share of the concepts found, in [0, 1]. */
  share: number;
  /** Concepts of the question itself (not the history) that were not found. */
  missing: Concept[];
}

/**
 * Coverage of concepts by a sentence, with its section heading and the rest of its passage
 * as weaker context (a heading names the topic a paragraph is about). The document's title
 * counts as if written in the sentence: an article names its subject once, in the title,
 * and then says 「本种」 or nothing at all.
 */
export function coverage(
  concepts: Concept[],
  sentence: string,
  heading = '',
  context = '',
  title = '',
): Coverage {
  let total = 0;
  let found = 0;
  const missing: Concept[] = [];
  for (const c of concepts) {
    total += c.weight;
    const m = Math.max(
      conceptMatch(c, sentence),
      title ? conceptMatch(c, title) : 0,
      heading ? 0.5 * conceptMatch(c, heading) : 0,
      context ? 0.5 * conceptMatch(c, context) : 0,
    );
    found += c.weight * m;
    if (m < 0.5 && c.source === 'question') missing.push(c);
  }
  return { share: total > 0 ? found / total : 0, missing };
}
