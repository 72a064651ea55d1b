/**
 * Hybrid retrieval: HNSW vector search (through LangChain's HNSWLib) plus BM25, fused by
 * reciprocal rank and keyed by chunk id. Scores point one way: hnswlib's cosine distance
 * is turned into a similarity here, at the boundary.
 */
import type { HNSWLib } from '@langchain/community/vectorstores/hnswlib';
import type { Embeddings } from '@langchain/core/embeddings';
import type { Chunk } from '../types.js';
import { type KeywordIndex, queryTokens } from './keyword.js';
import { longestCommonRun } from '../text/common-run.js';

/**
 * The offline hashed embedder is weaker than BM25 on its own (CMRC 2018 pool, a sample of
 * 403 questions: vector R@1 64%, BM25 96%), so its list counts for a quarter in the fusion,
 * and the rank constant is small so that BM25's first place is not flattened away (k = 60,
 * the usual choice for fusing equals, cost 4 points of R@1 here; weight 0.5 cost 1.2).
 * Measured with bench/scale.ts.
 */
export const DEFAULT_VECTOR_WEIGHT = 0.25;
export const DEFAULT_RRF_K = 5;
/** Added to a fused score (in [0, 1]) for a passage repeating 12+ characters of the question as typed. */
export const WORDING_BONUS = 0.25;

export interface Retrieved {
  chunk: Chunk;
  /** Fused score normalised to [0, 1] (1 = first in both lists). */
  score: number;
  /** Cosine similarity from the vector search (0 when not found there). */
  similarity: number;
  /** BM25 score (0 when not found by keywords). */
  bm25: number;
}

export interface HybridSearchOptions {
  chunks: Chunk[];
  keyword: KeywordIndex;
  store: HNSWLib | null;
  embeddings: Embeddings;
  /** Reciprocal-rank constant (60 in the original paper; see DEFAULT_RRF_K). */
  rrfK?: number;
  /** Weight of the vector list in the fusion (the keyword list weighs 1). */
  vectorWeight?: number;
  /** HNSW search beam width. */
  ef?: number;
}

export interface SearchRequest {
  /** Weighted phrases (words, synonyms, history) for BM25. */
  phrases: Map<string, number>;
  /** Text to embed for the vector search. */
  text: string;
  k: number;
  /** Restrict to some chunks (e.g. documents of one year). */
  allow?: (chunk: Chunk) => boolean;
  /** The question as typed: passages holding a long run of its wording move up. */
  question?: string;
}

export class HybridSearch {
  private readonly byId: Map<string, number>;
  /** Document ordinal of each chunk, so a filter is decided once per document. */
  private readonly chunkDoc: Int32Array;
  private readonly docCount: number;
  private readonly labelChunk: Int32Array;
  private readonly rrfK: number;
  private readonly vectorWeight: number;
  readonly searchableCount: number;

  constructor(private readonly options: HybridSearchOptions) {
    this.byId = new Map(options.chunks.map((c, i) => [c.id, i]));
    const docs = new Map<string, number>();
    this.chunkDoc = Int32Array.from(options.chunks, (c) => {
      let d = docs.get(c.docId);
      if (d === undefined) docs.set(c.docId, (d = docs.size));
      return d;
    });
    this.docCount = docs.size;
    this.rrfK = options.rrfK ?? DEFAULT_RRF_K;
    this.vectorWeight = options.vectorWeight ?? DEFAULT_VECTOR_WEIGHT;
    this.searchableCount = options.chunks.filter((c) => c.kind !== 'title').length;
    // hnswlib searches with ef = 10 by default; a wider beam finds the true neighbours.
    if (options.store && this.searchableCount > 0) options.store.index.setEf(options.ef ?? 64);
    // Graph label → chunk index, read from the store's documents once: searches then ask
    // hnswlib directly instead of building a LangChain Document per neighbour.
    const labels = options.store ? options.store.index.getCurrentCount() : 0;
    this.labelChunk = new Int32Array(labels).fill(-1);
    for (let label = 0; label < labels; label++) {
      const doc = options.store!.docstore.search(String(label));
      const index = typeof doc === 'string' ? undefined : this.byId.get(String(doc.metadata.chunkId));
      if (index !== undefined) this.labelChunk[label] = index;
    }
  }

  /** Nearest chunks to a query vector (cosine similarity), optionally only those `allow` admits. */
  private nearest(qvec: number[], k: number, allow?: (index: number) => boolean): Array<{ index: number; similarity: number }> {
    const filter = allow ? (label: number) => this.labelChunk[label]! >= 0 && allow(this.labelChunk[label]!) : undefined;
    const { neighbors, distances } = this.options.store!.index.searchKnn(qvec, k, filter);
    const out: Array<{ index: number; similarity: number }> = [];
    neighbors.forEach((label, i) => {
      const index = this.labelChunk[label]!;
      if (index >= 0) out.push({ index, similarity: 1 - distances[i]! });
    });
    return out;
  }

  /** A chunk-index filter that asks `allow` once per document (BM25 checks every posting). */
  private perDocument(allow: (chunk: Chunk) => boolean): (index: number) => boolean {
    const state = new Uint8Array(this.docCount); // 0 unknown, 1 allowed, 2 not
    return (i) => {
      const d = this.chunkDoc[i]!;
      let s = state[d]!;
      if (s === 0) state[d] = s = allow(this.options.chunks[i]!) ? 1 : 2;
      return s === 1;
    };
  }

  async search(request: SearchRequest): Promise<Retrieved[]> {
    const { chunks, keyword, store, embeddings } = this.options;
    const pool = Math.max(request.k * 3, 20);
    const allowIndex = request.allow ? this.perDocument(request.allow) : undefined;
    const bm25 = keyword.search(queryTokens(request.phrases), pool, allowIndex);

    let vector: Array<{ index: number; similarity: number }> = [];
    if (store && this.searchableCount > 0) {
      const qvec = await embeddings.embedQuery(request.text);
      // Filtering after the search is far cheaper than a filter callback on every node the
      // graph search visits; fall back to the filtered search when too few hits survive.
      const wide = Math.min(allowIndex ? pool * 3 : pool, this.searchableCount);
      vector = this.nearest(qvec, wide);
      if (allowIndex) {
        vector = vector.filter((v) => allowIndex(v.index)).slice(0, pool);
        if (vector.length < Math.min(pool, 5)) vector = this.nearest(qvec, Math.min(pool, this.searchableCount), allowIndex);
      }
    }

    const fused = new Map<number, { rrf: number; similarity: number; bm25: number }>();
    const entry = (i: number) => {
      let e = fused.get(i);
      if (!e) fused.set(i, (e = { rrf: 0, similarity: 0, bm25: 0 }));
      return e;
    };
    bm25.forEach((hit, rank) => {
      const e = entry(hit.index);
      e.rrf += 1 / (this.rrfK + rank + 1);
      e.bm25 = hit.score;
    });
    vector.forEach((hit, rank) => {
      const e = entry(hit.index);
      e.rrf += this.vectorWeight / (this.rrfK + rank + 1);
      e.similarity = hit.similarity;
    });
    const best = (1 + this.vectorWeight) / (this.rrfK + 1);
    const run = (c: Chunk) =>
      request.question ? (WORDING_BONUS * Math.min(12, longestCommonRun(request.question, c.text))) / 12 : 0;
    return [...fused]
      .map(([i, e]) => ({ chunk: chunks[i]!, score: e.rrf / best + run(chunks[i]!), similarity: e.similarity, bm25: e.bm25 }))
      .sort((a, b) => b.score - a.score || a.chunk.ordinal - b.chunk.ordinal)
      .slice(0, request.k);
  }
}
