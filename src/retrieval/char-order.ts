/**
 * The general fallback for everyday words the vocabulary does not list: a question word
 * that no passage uses as a word is linked to corpus words holding its characters in the
 * same order, first and last character included (老小区 → 老旧小区, 托育园 → 托育服务园).
 * Only words rare in general Chinese are linked, so common words (我家, 现在) never borrow
 * a report term; a short word links only to words at most one character longer. Pure.
 */
import { generalIdf } from '../text/idf.js';

/** Least general-Chinese IDF of a word for it to be linked (everyday words weigh less). */
export const MIN_LINK_IDF = 7;
/** Most corpus words one question word links to. */
export const MAX_LINKS = 3;

/** Whether `word` holds every character of `term` in order, beginning and ending with it. */
export function holdsInOrder(word: string, term: string): boolean {
  if (word.length <= term.length || word[0] !== term[0] || word.at(-1) !== term.at(-1))
    return false;
  let i = 0;
  for (const ch of word) if (ch === term[i]) i++;
  return i === term.length;
}

export interface WordList {
  /** Corpus words by their first character. */
  byFirst: Map<string, string[]>;
  /** Number of passages holding a word. */
  df(word: string): number;
}

/** Corpus words by first character (words of fewer than three Chinese characters are left out). */
export function wordList(words: Iterable<string>, df: (word: string) => number): WordList {
  const byFirst = new Map<string, string[]>();
  for (const w of words) {
    if (w.length < 3 || !/^[\u4e00-\u9fff]+$/.test(w)) continue;
    const list = byFirst.get(w[0]!);
    if (list) list.push(w);
    else byFirst.set(w[0]!, [w]);
  }
  return { byFirst, df };
}

/** Corpus words that `term` may stand for by its characters in order, most used first. */
export function linkByOrder(term: string, words: WordList): string[] {
  if (term.length < 2 || !/^[\u4e00-\u9fff]+$/.test(term)) return [];
  if (generalIdf(term) < MIN_LINK_IDF) return [];
  const longest = term.length === 2 ? 3 : term.length + 3;
  return (words.byFirst.get(term[0]!) ?? [])
    .filter((w) => w.length <= longest && holdsInOrder(w, term))
    .sort((a, b) => words.df(b) - words.df(a) || a.length - b.length)
    .slice(0, MAX_LINKS);
}

/**
 * The head of a compound the corpus does not use as a word: its longest proper ending, of
 * two characters or more, that the corpus does use (社区老年食堂 → 老年食堂, 新能源公交车 →
 * 公交车). Chinese compounds put their head last, so the ending says what kind of thing it
 * is. Null when no ending is a corpus word.
 */
export function headWord(word: string, isCorpusWord: (w: string) => boolean): string | null {
  if (!/^[\u4e00-\u9fff]{3,}$/.test(word)) return null;
  for (let k = word.length - 1; k >= 2; k--) {
    const tail = word.slice(word.length - k);
    if (isCorpusWord(tail)) return tail;
  }
  return null;
}
