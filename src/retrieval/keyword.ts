/**
 * Keyword index: BM25 over jieba words, CJK character bigrams and numbers. Build and
 * search are pure; the serialised form is plain JSON owned by index-store.
 */
import { memoByText } from '../text/memo.js';
import { charBigrams, indexTokens } from '../text/tokenize.js';

export interface KeywordIndexData {
  k1: number;
  b: number;
  docCount: number;
  avgLength: number;
  lengths: number[];
  /** token → flat [docIndex, tf, docIndex, tf, …], highest BM25 term weight first (typed arrays allowed in memory). */
  postings: Record<string, number[] | Int32Array>;
  /** The indexed words of three or more Chinese characters (for links by characters in order); absent in older indexes. */
  words?: string[];
}

/** Indexed words the characters-in-order links may point at: three or more Chinese characters. */
export const LINKABLE_WORD = /^[\u4e00-\u9fff]{3,}$/;

/** The linkable words of an index: stored at build time, or (older indexes) read off its tokens. */
export function linkableWords(data: KeywordIndexData): string[] {
  if (data.words) return data.words;
  const out: string[] = [];
  for (const token in data.postings)
    if (token.startsWith('w:') && LINKABLE_WORD.test(token.slice(2))) out.push(token.slice(2));
  return out;
}

/**
 * Postings read per query token. Lists are impact-ordered, so for rare tokens this is
 * exact; for tokens in more chunks than this the tail (the weakest matches of a common
 * token) is skipped, which keeps query time from growing with the corpus.
 */
export const MAX_POSTINGS_PER_TOKEN = 4000;

export interface KeywordHit {
  index: number;
  score: number;
}

export function buildKeywordIndex(texts: string[], k1 = 1.2, b = 0.75): KeywordIndexData {
  const postings: Record<string, number[]> = Object.create(null);
  const lengths: number[] = [];
  texts.forEach((text, docIndex) => {
    const tokens = indexTokens(text);
    lengths.push(tokens.length);
    const tf = new Map<string, number>();
    for (const t of tokens) tf.set(t, (tf.get(t) ?? 0) + 1);
    for (const [t, n] of tf) (postings[t] ??= []).push(docIndex, n);
  });
  const total = lengths.reduce((a, n) => a + n, 0);
  const avgLength = texts.length ? total / texts.length : 0;
  const weight = (doc: number, tf: number) =>
    (tf * (k1 + 1)) / (tf + k1 * (1 - b + (b * lengths[doc]!) / (avgLength || 1)));
  for (const token of Object.keys(postings))
    postings[token] = impactOrder(postings[token]!, weight);
  const data: KeywordIndexData = { k1, b, docCount: texts.length, avgLength, lengths, postings };
  data.words = linkableWords(data);
  return data;
}

/** Reorders flat [doc, tf, …] pairs by term weight, highest first (ties: lower doc first). */
export function impactOrder(
  flat: ArrayLike<number>,
  weight: (doc: number, tf: number) => number,
): number[] {
  const pairs: Array<[number, number, number]> = [];
  for (let i = 0; i < flat.length; i += 2)
    pairs.push([flat[i]!, flat[i + 1]!, weight(flat[i]!, flat[i + 1]!)]);
  pairs.sort((x, y) => y[2] - x[2] || x[0] - y[0]);
  return pairs.flatMap(([d, tf]) => [d, tf]);
}

export class KeywordIndex {
  /** holdsPhrase's answers, per term (the index does not change under it; one reader of passages per index). */
  private phrases: ((term: string) => boolean) | null = null;
  /** Each chunk's BM25 length normalisation, k1·(1 − b + b·length/avgLength), worked out once. */
  private readonly norms: Float64Array;

  constructor(readonly data: KeywordIndexData) {
    const { k1, b, avgLength, lengths } = data;
    this.norms = Float64Array.from(
      { length: data.docCount },
      (_, doc) => k1 * (1 - b + (b * (lengths[doc] ?? 0)) / (avgLength || 1)),
    );
  }

  /**
   * Whether some passage may hold a term: as an indexed word, or (for Chinese) with every
   * character bigram of it indexed. A word no passage holds cannot tell passages apart.
   */
  holds(term: string): boolean {
    const t = term.toLowerCase();
    if (this.data.postings[`w:${t}`]) return true;
    const bigrams = charBigrams(t);
    if (bigrams.length === 0) return false;
    return bigrams.every((b) => this.data.postings[`b:${b}`] !== undefined);
  }

  /**
   * How rare a term is in the corpus: the IDF of it as a word, else the mean IDF of its
   * character bigrams; 0 when no passage may hold it.
   */
  rarity(term: string): number {
    const t = term.toLowerCase();
    if (this.data.postings[`w:${t}`]) return this.idf(`w:${t}`);
    const bigrams = charBigrams(t);
    if (bigrams.length === 0 || !bigrams.every((b) => this.data.postings[`b:${b}`])) return 0;
    return bigrams.reduce((sum, b) => sum + this.idf(`b:${b}`), 0) / bigrams.length;
  }

  /**
   * Whether some passage holds the term as written: as an indexed word, or its characters
   * together (城镇新增就业, cut into three words by the segmenter). The passages holding its
   * rarest bigram are read through `textOf` (their indexed text), at most `limit` of them.
   */
  holdsPhrase(term: string, textOf: (doc: number) => string, limit = 200): boolean {
    const t = term.toLowerCase();
    if (this.hasWord(t)) return true;
    return (this.phrases ??= memoByText((w) => this.readPhrase(w, textOf, limit)))(t);
  }

  /** Whether the passages holding a term's rarest bigram (at most `limit`) hold it as written. */
  private readPhrase(t: string, textOf: (doc: number) => string, limit: number): boolean {
    let rarest: ArrayLike<number> | null = null;
    for (const b of charBigrams(t)) {
      const p = this.data.postings[`b:${b}`];
      if (!p) return false;
      if (rarest === null || p.length < rarest.length) rarest = p;
    }
    if (rarest === null) return false;
    for (let i = 0; i < rarest.length && i < 2 * limit; i += 2)
      if (textOf(rarest[i]!).toLowerCase().includes(t)) return true;
    return false;
  }

  /** Whether some passage holds the term as an indexed word (not only its characters). */
  hasWord(term: string): boolean {
    return this.data.postings[`w:${term.toLowerCase()}`] !== undefined;
  }

  /** Number of chunks containing a token (`w:…`, `b:…` or `n:…`). */
  df(token: string): number {
    const p = this.data.postings[token];
    return p ? p.length / 2 : 0;
  }

  idf(token: string): number {
    const n = this.data.docCount;
    const df = this.df(token);
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  /**
   * BM25 scores for weighted query tokens; returns the top `k` (index, score), best first.
   * `allow` limits the candidates (e.g. to some documents).
   */
  search(
    query: Map<string, number>,
    k: number,
    allow?: (index: number) => boolean,
    maxPostings = MAX_POSTINGS_PER_TOKEN,
  ): KeywordHit[] {
    const hits = this.scan(query, k, allow, maxPostings);
    // A filter that rules out all of the strongest postings: read further down the lists.
    if (allow && hits.length === 0) return this.scan(query, k, allow, maxPostings * 8);
    return hits;
  }

  private scan(
    query: Map<string, number>,
    k: number,
    allow: ((index: number) => boolean) | undefined,
    maxPostings: number,
  ): KeywordHit[] {
    const k1plus1 = this.data.k1 + 1;
    const norms = this.norms;
    // Scores accumulate in a reused buffer; only the chunks touched are visited again.
    const scores = (this.scratch ??= new Float64Array(this.data.docCount));
    // The chunks touched, in the order first touched, in a reused buffer (no array grown per query).
    let touched = (this.touchedScratch ??= new Int32Array(Math.max(1, this.data.docCount)));
    let count = 0;
    for (const [token, weight] of query) {
      const p = this.data.postings[token];
      if (!p) continue;
      // weight · idf · (tf·(k1 + 1)) / (tf + norm), its per-token factors taken out of the loop
      // in the same order of operations (the scores are bit for bit the same).
      const factor = weight * this.idf(token);
      const end = Math.min(p.length, maxPostings * 2);
      for (let i = 0; i < end; i += 2) {
        const doc = p[i]!;
        if (allow && !allow(doc)) continue;
        const tf = p[i + 1]!;
        if (scores[doc] === 0) {
          // Only a zero-weight token touches a chunk twice; the buffer grows for it.
          if (count === touched.length) {
            const grown = new Int32Array(touched.length * 2);
            grown.set(touched);
            this.touchedScratch = touched = grown;
          }
          touched[count++] = doc;
        }
        scores[doc]! += factor * ((tf * k1plus1) / (tf + norms[doc]!));
      }
    }
    const top = topK(touched, count, scores, k);
    for (let i = 0; i < count; i++) scores[touched[i]!] = 0;
    return top;
  }

  private scratch: Float64Array | undefined;
  private touchedScratch: Int32Array | undefined;
}

/** The k best (index, score) pairs of the first `count` indices, best first (ties: lower index), without sorting them all. */
function topK(indices: Int32Array, count: number, scores: Float64Array, k: number): KeywordHit[] {
  const best: KeywordHit[] = [];
  const better = (a: KeywordHit, b: KeywordHit) =>
    a.score > b.score || (a.score === b.score && a.index < b.index);
  for (let n = 0; n < count; n++) {
    const index = indices[n]!;
    const score = scores[index]!;
    if (best.length === k) {
      const last = best[k - 1]!;
      if (!(score > last.score || (score === last.score && index < last.index))) continue;
    }
    const hit = { index, score };
    let at = best.length < k ? best.length : k - 1;
    while (at > 0 && better(hit, best[at - 1]!)) at--;
    best.splice(at, 0, hit);
    if (best.length > k) best.pop();
  }
  return best;
}

/** Weighted query tokens from weighted phrases (each phrase tokenised like the index). */
export function queryTokens(phrases: Map<string, number>): Map<string, number> {
  const out = new Map<string, number>();
  for (const [phrase, weight] of phrases) {
    for (const t of indexTokens(phrase)) {
      // bigrams are many per word: weigh them down so words and numbers lead
      const w = t.startsWith('b:') ? weight * 0.5 : weight;
      out.set(t, Math.max(out.get(t) ?? 0, w));
    }
  }
  return out;
}
