/**
 * How alike two questions are, for grouping paraphrases in the gaps report and for
 * matching curated answers: question words dropped (question-words.txt), everyday
 * wording replaced by the reports' terms (the synonym lexicon), then the Dice
 * coefficient of the character bigrams. Pure apart from reading the word list once.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Lexicon } from '../text/lexicon.js';

const WORDS_FILE = path.join(path.dirname(new URL(import.meta.url).pathname), 'question-words.txt');

/** Parses the question-word list: one a line, # comments; longest first. */
export function parseWordList(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .sort((a, b) => b.length - a.length);
}

let questionWords: string[] | null = null;
function words(): string[] {
  questionWords ??= parseWordList(readFileSync(WORDS_FILE, 'utf8'));
  return questionWords;
}

/**
 * The comparable form of a question: NFKC, lower case, no punctuation or spaces, no
 * question words, and each everyday phrase the lexicon knows replaced by its first
 * report term (so 「免费问律师」 and 「法律咨询」 meet).
 */
export function questionForm(question: string, lexicon?: Lexicon): string {
  let text = question
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]+/gu, '');
  if (lexicon) {
    for (const hit of lexicon.find(text)) {
      // A report term that only extends the word (国债 → 超长期特别国债) says nothing more
      // about what is asked, and its extra characters would make unrelated questions alike.
      const official = hit.official.find((o) => !o.includes(hit.phrase));
      if (official) text = text.replace(hit.phrase, official);
    }
  }
  for (const w of words()) text = text.split(w).join('');
  return text;
}

/** Character bigrams of a form (a one-character form is its own unit). */
export function bigrams(form: string): Set<string> {
  const chars = [...form];
  if (chars.length < 2) return new Set(chars);
  const out = new Set<string>();
  for (let i = 0; i + 1 < chars.length; i++) out.add(chars[i]! + chars[i + 1]!);
  return out;
}

/** Dice coefficient of two bigram sets, in [0, 1]. */
export function dice(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  for (const x of a) if (b.has(x)) shared++;
  return (2 * shared) / (a.size + b.size);
}

/** Similarity of two questions in [0, 1] (1 for equal forms). */
export function questionSimilarity(a: string, b: string, lexicon?: Lexicon): number {
  const fa = questionForm(a, lexicon);
  const fb = questionForm(b, lexicon);
  if (fa === fb) return fa === '' ? 0 : 1;
  return dice(bigrams(fa), bigrams(fb));
}
