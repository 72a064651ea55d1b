/**
 * The asking clause of a question: a citizen often tells their situation first and asks
 * last (「我家孩子上大学贷了助学贷款，听说提标降息了，全国有多少学生受益啊」). The clause
 * holding an asking word (ask-words.txt beside this module) is the one asked; earlier
 * clauses without one are context. Pure, apart from reading the word list once.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const ASK_WORDS_FILE = fileURLToPath(new URL('./ask-words.txt', import.meta.url));

/** Parses the word list: comma-separated words, `#` comments. */
export function parseAskWords(text: string, source = ASK_WORDS_FILE): string[] {
  const words: string[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const list = line.split(',').map((w) => w.trim());
    if (list.some((w) => w === '' || /[\s=@]/.test(w)))
      throw new Error(`${source}:${i + 1}: expected "词1,词2,…" (no empty words, spaces, = or @)`);
    words.push(...list);
  });
  return words;
}

let pattern: RegExp | null = null;
function askPattern(): RegExp {
  if (pattern) return pattern;
  const words = parseAskWords(readFileSync(ASK_WORDS_FILE, 'utf8')).sort(
    (a, b) => b.length - a.length,
  );
  const escaped = words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return (pattern = new RegExp(escaped.join('|')));
}

const CLAUSE = /[^，,。；;！!？?\s]+/g;

/**
 * [start, end) of the context before the asking clause: the clauses before the last one that
 * holds an asking word (or before the last clause, when none does). Empty ([0, 0]) when the
 * question is one clause.
 */
export function contextSpan(question: string): [number, number] {
  const parts = [...question.matchAll(CLAUSE)].map((m) => ({
    start: m.index,
    text: m[0],
  }));
  if (parts.length < 2) return [0, 0];
  const re = askPattern();
  let asking = parts.length - 1;
  for (let i = parts.length - 1; i >= 0; i--) {
    if (re.test(parts[i]!.text)) {
      asking = i;
      break;
    }
  }
  return [0, parts[asking]!.start];
}

/** Whether a word of the question stands only in its context (not in the asking clause or after it). */
export function onlyInContext(
  question: string,
  word: string,
  span = contextSpan(question),
): boolean {
  if (span[1] === 0) return false;
  const first = question.indexOf(word);
  if (first < 0 || first >= span[1]) return false;
  return question.indexOf(word, span[1]) < 0;
}
