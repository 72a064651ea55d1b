/**
 * Chinese tokenisation: jieba words (search mode) plus character bigrams of CJK runs,
 * and whole numbers with their decimals. Pure apart from the shared jieba dictionary.
 */
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';
import { memoByText } from './memo.js';
import { NOT_PLACE_NAMES } from './places.js';
import { readWordLists } from './word-lists.js';

let jieba: Jieba | undefined;
function segmenter(): Jieba {
  jieba ??= Jieba.withDict(dict);
  return jieba;
}

/** Function words and question words that carry no topic (stopwords.txt, read once). */
export const STOPWORDS: ReadonlySet<string> = new Set(
  readWordLists('stopwords.txt', ['stopwords']).stopwords,
);

const CJK = /[\u3400-\u9fff]/;
const CJK_RUN = /[\u3400-\u9fff]+/g;
const NUMBER = /\d+(?:\.\d+)?/g;

/** Word segmentation (accurate mode) keeping every character: the pieces join to the text. */
export function segments(text: string): string[] {
  return segmenter().cut(text, true);
}

/** Plain word segmentation (accurate mode), punctuation and white space dropped. */
export function cutWords(text: string): string[] {
  return segmenter()
    .cut(text, true)
    .filter((w) => /[\p{L}\p{N}]/u.test(w));
}

/** Words that carry meaning: segmentation minus stopwords and single non-CJK characters. */
export function contentWords(text: string): string[] {
  return cutWords(text).filter(
    (w) => !STOPWORDS.has(w) && !/^\d+$/.test(w) && (CJK.test(w) ? true : w.length > 1),
  );
}

/** Character bigrams of every CJK run (a single-character run yields itself). */
export function charBigrams(text: string): string[] {
  const out: string[] = [];
  for (const run of text.match(CJK_RUN) ?? []) {
    if (run.length === 1) out.push(run);
    for (let i = 0; i + 1 < run.length; i++) out.push(run.slice(i, i + 2));
  }
  return out;
}

/** Numbers as written, decimals kept (46.4, 99.7, 2021). */
export function numbers(text: string): string[] {
  return text.match(NUMBER) ?? [];
}

/**
 * Tokens for the keyword index and the local embedder: search-mode jieba words
 * (prefixed `w:`), CJK bigrams (`b:`) and numbers (`n:`). Stopwords are dropped.
 */
export function indexTokens(text: string): string[] {
  const out: string[] = [];
  for (const w of segmenter().cutForSearch(text, true)) {
    if (!/[\p{L}\p{N}]/u.test(w) || STOPWORDS.has(w) || /^\d+$/.test(w)) continue;
    out.push(`w:${w.toLowerCase()}`);
  }
  for (const b of charBigrams(text)) out.push(`b:${b}`);
  for (const n of numbers(text)) out.push(`n:${n}`);
  return out;
}

/**
 * True when a person is named next to one of the given words (「省长林武」, 「市长 龚正」):
 * a word jieba tags as a person name (nr…) right before or after the word.
 */
export function namesPersonNear(text: string, words: string[]): boolean {
  // A word of the text holding one of the words means the text holds it: without any, no tagging.
  if (!words.some((w) => text.includes(w))) return false;
  const tagged = segmenter()
    .tag(text, true)
    .filter((t) => t.word.trim() !== '');
  return tagged.some((t, i) => {
    if (!words.some((w) => t.word.includes(w))) return false;
    return [tagged[i - 1], tagged[i + 1]].some(
      (n) => n !== undefined && n.tag.startsWith('nr') && /^[\u4e00-\u9fff]{1,4}$/.test(n.word),
    );
  });
}

/**
 * The words of a text jieba tags as places (ns) of two or more characters, less those that
 * name no one place (城镇, 新区: places.txt not-names). Kept in memory per text (memoByText).
 * Shared: read only.
 */
export const placeWords: (text: string) => readonly string[] = memoByText((text) =>
  segmenter()
    .tag(text, true)
    .filter((t) => t.tag === 'ns' && t.word.length >= 2 && !NOT_PLACE_NAMES.has(t.word))
    .map((t) => t.word),
);

/**
 * True when the text names a place the question does not (「在成都举办」 for 「省运会在哪个城市举办」):
 * one of its placeWords not written in the question.
 */
export function namesPlace(text: string, question: string): boolean {
  return placeWords(text).some((w) => !question.includes(w));
}

/** Tags of single characters that never start or join a name: numerals, measure words, particles, prepositions, conjunctions, pronouns, suffixes (们). */
const FUNCTION_TAG = /^(m|q|u|p|c|y|e|o|r|w|zg|k)/;

/**
 * Words the dictionary does not know, which jieba splits into single characters
 * (「黑边天竺鲷」→ 黑/边/天竺/鲷): runs of two or more single content characters, joined
 * (「黑边」). Such names are usually the most specific thing a question asks about.
 */
export function unknownWords(words: readonly TaggedWord[]): UnknownWord[] {
  const out: UnknownWord[] = [];
  let run: TaggedWord[] = [];
  const flush = () => {
    if (run.length >= 2)
      out.push({
        word: run.map((w) => w.word).join(''),
        verbal: run.some((w) => w.tag === 'v') && run.every((w) => /^[vfd]$/.test(w.tag)),
      });
    run = [];
  };
  for (const w of words) {
    if (
      w.word.length === 1 &&
      CJK.test(w.word) &&
      !STOPWORDS.has(w.word) &&
      !FUNCTION_TAG.test(w.tag)
    )
      run.push(w);
    else flush();
  }
  flush();
  return out;
}

/** A run of single characters the dictionary does not know as a word. */
export interface UnknownWord {
  word: string;
  /** Verbs, with at most an adverb or a place word (跑到, 里养): what was done, not a name. */
  verbal: boolean;
}

export interface TaggedWord {
  word: string;
  tag: string;
}

/** Every word of the text with its part-of-speech tag (jieba), in order. */
export function taggedWords(text: string): TaggedWord[] {
  return segmenter()
    .tag(text, true)
    .map(({ word, tag }) => ({ word, tag }));
}

/** Content words with their part-of-speech tags (jieba), stopwords and punctuation dropped. */
export function taggedContentWords(text: string): TaggedWord[] {
  return taggedContent(taggedWords(text));
}

/** The content words of an already tagged text (stopwords, punctuation and bare numbers dropped). */
export function taggedContent(words: readonly TaggedWord[]): TaggedWord[] {
  return words.filter(
    ({ word }) => /[\p{L}\p{N}]/u.test(word) && !STOPWORDS.has(word) && !/^\d+$/.test(word),
  );
}

/** Tags of words that name things (nouns, nominal verbs, abbreviations, foreign words). */
export function isNominal(tag: string): boolean {
  return /^(n|vn|an|j|eng|nz|nt|nr|ns|l|i)/.test(tag);
}
