/**
 * A vector search narrowed to a few documents: ranked exactly over their passages when the
 * index's vectors are at hand, and the same as the filtered graph search (exact on a graph
 * this small) in passages, order and similarity.
 */
import { Embeddings } from '@langchain/core/embeddings';
import { describe, expect, it } from 'vitest';
import { HybridSearch } from '../src/retrieval/hybrid.js';
import { buildKeywordIndex, KeywordIndex } from '../src/retrieval/keyword.js';
import { buildVectorStore } from '../src/retrieval/vector-store.js';
import type { Chunk } from '../src/types.js';

const DIMS = 16;
const DOCS = 40;
const PER_DOC = 3;

/** A fixed pseudo-random unit vector per seed (a small LCG: the same on every run). */
function unit(seed: number): number[] {
  let x = seed * 2654435761;
  const v = Array.from({ length: DIMS }, () => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return x / 2 ** 32 - 0.5;
  });
  const n = Math.hypot(...v);
  return v.map((a) => a / n);
}

const QUERY = unit(999);

class FixedEmbeddings extends Embeddings {
  constructor() {
    super({});
  }
  override async embedDocuments(texts: string[]): Promise<number[][]> {
    return texts.map(() => QUERY);
  }
  override async embedQuery(): Promise<number[]> {
    return QUERY;
  }
}

const chunks: Chunk[] = [];
for (let d = 0; d < DOCS; d++) {
  chunks.push({
    id: `t${d}`,
    docId: `doc-${d}`,
    section: '',
    period: 'other',
    text: `标题${d}`,
    start: 0,
    end: 3,
    sentences: [],
    ordinal: 0,
    kind: 'title',
  });
  for (let j = 1; j <= PER_DOC; j++)
    chunks.push({
      id: `c${d}-${j}`,
      docId: `doc-${d}`,
      section: '一、',
      period: 'review',
      text: `段落${d}-${j}`,
      start: j * 10,
      end: j * 10 + 5,
      sentences: [],
      ordinal: j,
    });
}
const vectors = new Float32Array(chunks.length * DIMS);
chunks.forEach((_, i) => vectors.set(unit(i + 1), i * DIMS));

let filteredSearches = 0;

type Options = ConstructorParameters<typeof HybridSearch>[0];

async function searches(): Promise<{ graph: HybridSearch; exact: HybridSearch; base: Options }> {
  const embeddings = new FixedEmbeddings();
  const searchable = chunks.map((c, i) => ({ c, i })).filter(({ c }) => c.kind !== 'title');
  const store = await buildVectorStore(
    embeddings,
    DIMS,
    searchable.map(({ c, i }) => ({
      vector: vectors.subarray(i * DIMS, (i + 1) * DIMS),
      chunkId: c.id,
    })),
  );
  // No passage shares a word with the query: the vector list decides alone.
  const keyword = new KeywordIndex(buildKeywordIndex(chunks.map(() => '')));
  // Counts the graph searches made with a filter (HybridSearch asks hnswlib's graph directly).
  const graph = store.index;
  const unfiltered = graph.searchKnn.bind(graph);
  const counted: typeof graph.searchKnn = (query, k, filter) => {
    if (filter) filteredSearches++;
    return unfiltered(query, k, filter);
  };
  Object.defineProperty(graph, 'searchKnn', { value: counted });
  const base = { chunks, keyword, store, embeddings };
  return { graph: new HybridSearch(base), exact: new HybridSearch({ ...base, vectors }), base };
}

/** The documents whose passages are farthest from the query: never among its nearest neighbours. */
function farthestDocs(n: number): Set<string> {
  const dot = (i: number) => QUERY.reduce((s, q, x) => s + q * vectors[i * DIMS + x]!, 0);
  const best = new Map<string, number>();
  chunks.forEach((c, i) => {
    if (c.kind !== 'title') best.set(c.docId, Math.max(best.get(c.docId) ?? -2, dot(i)));
  });
  return new Set(
    [...best]
      .sort((a, b) => a[1] - b[1])
      .slice(0, n)
      .map(([d]) => d),
  );
}

describe('retrieval/hybrid: a vector search narrowed to a few documents', () => {
  it('ranks their passages exactly, as the filtered graph search does', async () => {
    const { graph, exact } = await searches();
    const far = farthestDocs(2);
    const request = {
      phrases: new Map<string, number>(),
      text: 'q',
      k: 5,
      allow: (c: Chunk) => far.has(c.docId),
    };
    filteredSearches = 0;
    const fromGraph = await graph.search(request);
    expect(filteredSearches).toBe(1);
    const fromExact = await exact.search(request);
    expect(filteredSearches).toBe(1);
    expect(fromExact).toHaveLength(5);
    expect(fromExact.every((h) => far.has(h.chunk.docId))).toBe(true);
    expect(fromExact.map((h) => h.chunk.id)).toEqual(fromGraph.map((h) => h.chunk.id));
    fromExact.forEach((h, i) => expect(h.similarity).toBeCloseTo(fromGraph[i]!.similarity, 5));
    // Best first, by cosine similarity.
    const sims = fromExact.map((h) => h.similarity);
    expect([...sims].sort((a, b) => b - a)).toEqual(sims);
  });

  it('uses the graph when the vectors do not match the chunks', async () => {
    const { base } = await searches();
    const far = farthestDocs(1);
    const mismatched = new HybridSearch({ ...base, vectors: vectors.subarray(0, DIMS * 5) });
    const hits = await mismatched.search({
      phrases: new Map(),
      text: 'q',
      k: 5,
      allow: (c) => far.has(c.docId),
    });
    expect(hits.map((h) => h.chunk.docId)).toEqual([...far, ...far, ...far]);
  });
});
