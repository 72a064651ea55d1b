/**
 * Hybrid retrieval: HNSW vector search (LangChain's HNSWLib, `similaritySearchVectorWithScore`)
 * plus BM25, fused by reciprocal rank and keyed by chunk id; offered to callers as a LangChain
 * retriever (`asRetriever`). Scores point one way: hnswlib's cosine distance is turned into a
 * similarity here, at the boundary.
 */
import type { HNSWLib } from '@langchain/community/vectorstores/hnswlib';
import { Document as LangChainDocument, type Document } from '@langchain/core/documents';
import type { Embeddings } from '@langchain/core/embeddings';
import { BaseRetriever, type BaseRetrieverInput } from '@langchain/core/retrievers';
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
  /** HNSW search beam width: at least this many neighbours are asked for. @default 64 */
  ef?: number;
  /**
   * Every chunk's vector, row i for chunk i (the index's vectors.bin). With them, a search
   * confined to a few documents ranks their passages exactly, by cosine over those passages
   * alone, instead of by a filtered graph search (which must walk most of the graph to find
   * neighbours among few allowed nodes). @default none: always the graph
   */
  vectors?: Float32Array;
}

/**
 * Most passages ranked exactly when a filter narrows the vector search: beyond this the
 * filtered graph search is cheaper (1024 dimensions × 8192 passages is a few milliseconds).
 */
export const EXACT_SEARCH_MAX = 8192;

/**
 * hnswlib searches with ef = 10 unless told otherwise, and with max(ef, k) when asked for k
 * neighbours; HNSWLib has no setting for ef, so asking for 64 neighbours and keeping the
 * first ones gives the same result as a beam of 64 (which finds the true neighbours here).
 */
const DEFAULT_EF = 64;

export interface SearchRequest {
  /** Weighted phrases (words, synonyms, history) for BM25. */
  phrases: Map<string, number>;
  /** Text to embed for the vector search. */
  text: string;
  k: number;
  /** Restrict to some chunks (e.g. documents of one year). */
  allow?: (chunk: Chunk) => boolean;
  /**
   * Documents ruled out, by id (with `allow`, both apply). A search given one, even empty, is
   * a filtered search. Cheaper than `allow` when most documents pass: it is turned into a
   * per-document table once per set (kept while the set object is).
   */
  deny?: ReadonlySet<string>;
  /** The question as typed: passages holding a long run of its wording move up. */
  question?: string;
}

/** Hybrid search over one loaded index: BM25 plus the HNSW store, fused. */
export class HybridSearch {
  private readonly byId: Map<string, number>;
  /** Document ordinal of each chunk, so a filter is decided once per document. */
  private readonly chunkDoc: Int32Array;
  private readonly docCount: number;
  /** Document ordinal of each document id. */
  private readonly docOrdinal: Map<string, number>;
  /** Per-document table (1 = ruled out) of each deny set seen. */
  private readonly denyTables = new WeakMap<ReadonlySet<string>, Uint8Array>();
  /** The searchable (non-title) chunks of each document: docChunks[docStart[d] .. docStart[d + 1]). */
  private readonly docStart: Int32Array;
  private readonly docChunks: Int32Array;
  private readonly ef: number;
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
    this.docOrdinal = docs;
    const searchable = (c: Chunk) => c.kind !== 'title';
    this.docStart = new Int32Array(this.docCount + 1);
    options.chunks.forEach((c, i) => {
      if (searchable(c)) this.docStart[this.chunkDoc[i]! + 1]!++;
    });
    for (let d = 0; d < this.docCount; d++) this.docStart[d + 1]! += this.docStart[d]!;
    const fill = this.docStart.slice(0, this.docCount);
    this.docChunks = new Int32Array(this.docStart[this.docCount]!);
    options.chunks.forEach((c, i) => {
      if (searchable(c)) this.docChunks[fill[this.chunkDoc[i]!]!++] = i;
    });
    this.rrfK = options.rrfK ?? DEFAULT_RRF_K;
    this.vectorWeight = options.vectorWeight ?? DEFAULT_VECTOR_WEIGHT;
    // The store holds every chunk but the title chunks (ingest/build-index.ts).
    this.searchableCount = options.chunks.filter((c) => c.kind !== 'title').length;
    this.ef = options.ef ?? DEFAULT_EF;
  }

  /** The chunk index of a vector-store document (undefined for a chunk this index lacks). */
  private chunkOf(doc: Document): number | undefined {
    return this.byId.get(String(doc.metadata['chunkId']));
  }

  /**
   * The chunk index of each vector-store label (-1 for a document this index lacks), read
   * off the store's docstore once, so a search neither looks each hit up in the docstore
   * nor, when filtered, each node the graph search visits. Null when the store is not the
   * usual in-memory one with integer labels (then HNSWLib's own lookups are used).
   */
  private labels: { chunk: Int32Array; size: number } | null | undefined;

  private labelChunks(): Int32Array | null {
    const docs = (this.options.store?.docstore as { _docs?: unknown } | undefined)?._docs;
    if (!(docs instanceof Map)) return null;
    // A store added to after the first search is read again.
    if (this.labels !== undefined && (this.labels === null || this.labels.size === docs.size))
      return this.labels?.chunk ?? null;
    let max = -1;
    for (const label of docs.keys()) {
      const n = typeof label === 'string' ? Number(label) : NaN;
      if (!Number.isInteger(n) || n < 0 || String(n) !== label) {
        this.labels = null;
        return null;
      }
      if (n > max) max = n;
    }
    const chunk = new Int32Array(max + 1).fill(-1);
    for (const [label, doc] of docs as Map<string, Document>)
      chunk[Number(label)] = this.chunkOf(doc) ?? -1;
    this.labels = { chunk, size: docs.size };
    return chunk;
  }

  /** Nearest `k` chunks to a query vector (cosine similarity), optionally only those `allow` admits. */
  private async nearest(
    qvec: number[],
    k: number,
    allow?: (index: number) => boolean,
  ): Promise<Array<{ index: number; similarity: number }>> {
    const store = this.options.store!;
    const asked = Math.min(Math.max(k, this.ef), this.searchableCount);
    const labels = this.labelChunks();
    const graph = labels ? store._index : undefined;
    if (
      labels &&
      graph &&
      asked <= graph.getCurrentCount() &&
      qvec.length === store.args.numDimensions
    ) {
      // What similaritySearchVectorWithScore does, with the label → chunk table for its lookups.
      const result = graph.searchKnn(
        qvec,
        asked,
        allow
          ? (label: number) => {
              const index = labels[label];
              return index !== undefined && index >= 0 && allow(index);
            }
          : undefined,
      );
      const out: Array<{ index: number; similarity: number }> = [];
      for (let r = 0; r < result.neighbors.length; r++) {
        const index = labels[result.neighbors[r]!];
        if (index !== undefined && index >= 0)
          out.push({ index, similarity: 1 - result.distances[r]! });
        if (out.length === k) break;
      }
      return out;
    }
    const filter = allow
      ? (doc: Document) => {
          const index = this.chunkOf(doc);
          return index !== undefined && allow(index);
        }
      : undefined;
    const hits = await store.similaritySearchVectorWithScore(qvec, asked, filter);
    const out: Array<{ index: number; similarity: number }> = [];
    for (const [doc, distance] of hits) {
      const index = this.chunkOf(doc);
      if (index !== undefined) out.push({ index, similarity: 1 - distance });
      if (out.length === k) break;
    }
    return out;
  }

  /**
   * The `k` allowed chunks nearest to a query vector by exact cosine (vectors are unit
   * length), or null when there are no vectors or more than EXACT_SEARCH_MAX chunks allowed.
   */
  private exactNearest(
    qvec: number[],
    k: number,
    allow: (index: number) => boolean,
  ): Array<{ index: number; similarity: number }> | null {
    const { vectors, chunks } = this.options;
    const dims = qvec.length;
    if (!vectors || vectors.length !== chunks.length * dims) return null;
    const allowedDocs: number[] = [];
    let count = 0;
    for (let d = 0; d < this.docCount; d++) {
      const from = this.docStart[d]!;
      const to = this.docStart[d + 1]!;
      if (from === to || !allow(this.docChunks[from]!)) continue;
      count += to - from;
      if (count > EXACT_SEARCH_MAX) return null;
      allowedDocs.push(d);
    }
    const q = Float32Array.from(qvec);
    const out: Array<{ index: number; similarity: number }> = [];
    for (const d of allowedDocs) {
      for (let j = this.docStart[d]!; j < this.docStart[d + 1]!; j++) {
        const index = this.docChunks[j]!;
        let dot = 0;
        for (let x = 0, o = index * dims; x < dims; x++, o++) dot += q[x]! * vectors[o]!;
        // As hnswlib reports it: 1 − distance, the distance 1 − dot in single precision.
        out.push({ index, similarity: 1 - Math.fround(1 - Math.fround(dot)) });
      }
    }
    out.sort((a, b) => b.similarity - a.similarity || a.index - b.index);
    return out.slice(0, k);
  }

  /**
   * A chunk-index filter that asks `allow` once per document (BM25 checks every posting), and
   * rules out the documents of `deny` by table.
   */
  private perDocument(
    allow: ((chunk: Chunk) => boolean) | undefined,
    deny: ReadonlySet<string> | undefined,
  ): (index: number) => boolean {
    const denied = deny ? this.denyTable(deny) : undefined;
    if (!allow) return (i) => denied![this.chunkDoc[i]!] === 0;
    const state = new Uint8Array(this.docCount); // 0 unknown, 1 allowed, 2 not
    return (i) => {
      const d = this.chunkDoc[i]!;
      let s = state[d]!;
      if (s === 0) state[d] = s = denied?.[d] !== 1 && allow(this.options.chunks[i]!) ? 1 : 2;
      return s === 1;
    };
  }

  private denyTable(deny: ReadonlySet<string>): Uint8Array {
    let table = this.denyTables.get(deny);
    if (!table) {
      table = new Uint8Array(this.docCount);
      for (const id of deny) {
        const d = this.docOrdinal.get(id);
        if (d !== undefined) table[d] = 1;
      }
      this.denyTables.set(deny, table);
    }
    return table;
  }

  /** The `request.k` best chunks for a request, best first. */
  async search(request: SearchRequest): Promise<Retrieved[]> {
    const { keyword, store, embeddings } = this.options;
    const pool = Math.max(request.k * 3, 20);
    const allowIndex =
      request.allow || request.deny ? this.perDocument(request.allow, request.deny) : undefined;
    const bm25 = keyword.search(queryTokens(request.phrases), pool, allowIndex);

    let vector: Array<{ index: number; similarity: number }> = [];
    if (store && this.searchableCount > 0) {
      const qvec = await embeddings.embedQuery(request.text);
      // Filtering after the search is far cheaper than a filter callback on every node the
      // graph search visits; fall back to the filtered search when too few hits survive.
      const wide = Math.min(allowIndex ? pool * 3 : pool, this.searchableCount);
      vector = await this.nearest(qvec, wide);
      if (allowIndex) {
        vector = vector.filter((v) => allowIndex(v.index)).slice(0, pool);
        if (vector.length < Math.min(pool, 5)) {
          const k = Math.min(pool, this.searchableCount);
          vector =
            this.exactNearest(qvec, k, allowIndex) ?? (await this.nearest(qvec, k, allowIndex));
        }
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
    return this.ranked(fused, best, request);
  }

  /**
   * The `request.k` best of the fused candidates, by fused score plus the wording bonus (ties:
   * document order, then first found). The bonus (a longest-common-run scan of the passage)
   * is worked out only for candidates whose fused score plus the largest bonus the question
   * allows could still reach the k-th best: the others are below it whatever their wording.
   */
  private ranked(
    fused: Map<number, { rrf: number; similarity: number; bm25: number }>,
    best: number,
    request: SearchRequest,
  ): Retrieved[] {
    const { chunks } = this.options;
    const { question, k } = request;
    const candidates = [...fused].map(([index, e], found) => ({
      index,
      found,
      base: e.rrf / best,
      e,
    }));
    // Highest fused score first; equal ones in the order found (a stable sort).
    candidates.sort((a, b) => b.base - a.base || a.found - b.found);
    const order = (
      a: { score: number; chunk: Chunk; found: number },
      b: { score: number; chunk: Chunk; found: number },
    ) => b.score - a.score || a.chunk.ordinal - b.chunk.ordinal || a.found - b.found;
    const bonusOf = (run: number) => (WORDING_BONUS * Math.min(12, run)) / 12;
    // A common run is no longer than the question: a short question's bonus is smaller.
    const maxBonus = question ? bonusOf(question.length) : 0;
    const top: Array<Retrieved & { found: number }> = [];
    for (const c of candidates) {
      if (top.length >= k && c.base + maxBonus < top[k - 1]!.score) break;
      const chunk = chunks[c.index]!;
      const bonus = question ? bonusOf(longestCommonRun(question, chunk.text)) : 0;
      const hit = {
        chunk,
        score: c.base + bonus,
        similarity: c.e.similarity,
        bm25: c.e.bm25,
        found: c.found,
      };
      let at = top.length;
      while (at > 0 && order(hit, top[at - 1]!) < 0) at--;
      if (at >= k) continue;
      top.splice(at, 0, hit);
      if (top.length > k) top.pop();
    }
    return top.map(({ found: _found, ...hit }) => hit);
  }

  /** This search as a LangChain retriever for one kind of request (the query is the question). */
  asRetriever(options: HybridRetrieverOptions): HybridRetriever {
    return new HybridRetriever(this, options);
  }
}

/** What a retrieved document carries besides its text. */
export interface RetrievedMetadata {
  chunkId: string;
  docId: string;
  /** Fused score in [0, 1] (see Retrieved.score). */
  score: number;
  /** Cosine similarity from the vector search (0 when not found there). */
  similarity: number;
  /** BM25 score (0 when not found by keywords). */
  bm25: number;
}

/** The request around the question a HybridRetriever is invoked with. */
export interface HybridRetrieverOptions extends BaseRetrieverInput {
  /** Documents returned. */
  k: number;
  /** Weighted phrases beside the question (concepts, synonyms, history). @default none */
  expansions?: ReadonlyMap<string, number>;
  /** Restrict to some documents (e.g. of one year): asked once per document, of its first chunk. @default every document */
  allow?: (chunk: Chunk) => boolean;
  /** Documents ruled out, by id (see SearchRequest.deny). @default none */
  deny?: ReadonlySet<string>;
}

/**
 * A LangChain BaseRetriever over the hybrid search: `invoke(question)` returns the best
 * passages as Documents, their chunk id, document id and scores in metadata. BM25 gets the
 * question as typed (weight at least 1) plus the expansions; the vector search embeds the
 * question followed by the expansions; passages repeating the question's wording move up.
 */
export class HybridRetriever extends BaseRetriever<RetrievedMetadata> {
  lc_namespace = ['wenzheng', 'retrievers', 'hybrid'];

  constructor(
    private readonly hybrid: HybridSearch,
    private readonly request: HybridRetrieverOptions,
  ) {
    super(request);
  }

  override async _getRelevantDocuments(
    question: string,
  ): Promise<Array<Document<RetrievedMetadata>>> {
    const expansions = this.request.expansions ?? new Map<string, number>();
    const phrases = new Map(expansions);
    phrases.set(question, Math.max(phrases.get(question) ?? 0, 1));
    const hits = await this.hybrid.search({
      phrases,
      text: [question, ...expansions.keys()].join(' '),
      k: this.request.k,
      question,
      ...(this.request.allow ? { allow: this.request.allow } : {}),
      ...(this.request.deny ? { deny: this.request.deny } : {}),
    });
    return hits.map(
      (hit) =>
        new LangChainDocument<RetrievedMetadata>({
          pageContent: hit.chunk.text,
          id: hit.chunk.id,
          metadata: {
            chunkId: hit.chunk.id,
            docId: hit.chunk.docId,
            score: hit.score,
            similarity: hit.similarity,
            bm25: hit.bm25,
          },
        }),
    );
  }
}
