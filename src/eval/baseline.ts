/**
 * The plain baseline every quality figure is compared with, measured in the same run: BM25
 * over each passage's own text (the same tokens: jieba words, bigrams, numbers) with the
 * question's tokens, none of Wenzheng's additions (titles and headings in the indexed text,
 * query analysis, synonyms, vectors, the decision model); its answer is the sentence of its
 * top passage sharing most character bigrams with the question.
 */
import { buildKeywordIndex, KeywordIndex, queryTokens } from '../retrieval/keyword.js';
import { charBigrams } from '../text/tokenize.js';
import type { Chunk } from '../types.js';

export interface BaselineResult {
  /** Documents of the ranked passages, in order (repeats kept). */
  docIds: string[];
  /** The baseline's answer sentence ('' when nothing matched). */
  answer: string;
}

export class PlainBm25Baseline {
  private readonly keyword: KeywordIndex;
  private readonly texts: Map<string, string>;

  constructor(
    private readonly chunks: Chunk[],
    documents: Array<{ meta: { docId: string }; text: string }>,
  ) {
    this.keyword = new KeywordIndex(
      buildKeywordIndex(chunks.map((c) => (c.kind === 'title' ? '' : c.text))),
    );
    this.texts = new Map(documents.map((d) => [d.meta.docId, d.text]));
  }

  ask(question: string, k = 30): BaselineResult {
    const hits = this.keyword.search(queryTokens(new Map([[question, 1]])), k);
    const top = hits[0] ? this.chunks[hits[0].index] : undefined;
    return {
      docIds: hits.map((h) => this.chunks[h.index]!.docId),
      answer: top ? this.bestSentence(question, top) : '',
    };
  }

  private bestSentence(question: string, chunk: Chunk): string {
    const text = this.texts.get(chunk.docId) ?? '';
    const q = new Set(charBigrams(question));
    let best = '';
    let bestScore = -1;
    for (const s of chunk.sentences) {
      const sentence = text.slice(s.start, s.end);
      const score = charBigrams(sentence).filter((b) => q.has(b)).length;
      if (score > bestScore) [best, bestScore] = [sentence, score];
    }
    return best;
  }
}
