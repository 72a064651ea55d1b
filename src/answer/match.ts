/**
 * How well a piece of text covers a question's concepts. Pure.
 */
import type { Concept } from '../retrieval/query.js';

/** 1 when a form of the concept occurs in the text; partial credit for most of its bigrams. */
export function conceptMatch(concept: Concept, text: string): number {
  for (const form of concept.forms) if (text.includes(form)) return 1;
  const t = concept.text;
  if (t.length >= 3 && /^[\u3400-\u9fff]+$/.test(t)) {
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
