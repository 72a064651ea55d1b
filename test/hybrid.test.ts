/** The hybrid search as a LangChain retriever, over a real index of corpus/ and HNSWLib. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BaseRetriever } from '@langchain/core/retrievers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildIndex } from '../ingest/build-index.js';
import { loadConfig, PROJECT_ROOT } from '../src/config.js';
import { createEmbedder } from '../src/embeddings/index.js';
import { loadIndex, type LoadedIndex } from '../src/index-store.js';
import { HybridSearch } from '../src/retrieval/hybrid.js';
import { KeywordIndex } from '../src/retrieval/keyword.js';

let indexDir: string;
let index: LoadedIndex;
let search: HybridSearch;

beforeAll(async () => {
  indexDir = mkdtempSync(path.join(tmpdir(), 'wz-hybrid-'));
  const config = loadConfig({ root: PROJECT_ROOT, env: { INDEX_DIR: indexDir } });
  const embedder = createEmbedder(config);
  await buildIndex({ corpusDir: config.CORPUS_DIR, indexDir, embedder });
  index = await loadIndex(indexDir, { embeddings: embedder.embeddings, embedderId: embedder.id });
  search = new HybridSearch({
    chunks: index.chunks,
    keyword: new KeywordIndex(index.keyword),
    store: index.store,
    embeddings: embedder.embeddings,
  });
}, 60_000);
afterAll(() => rmSync(indexDir, { recursive: true, force: true }));

describe('retrieval/hybrid', () => {
  it('is a LangChain retriever returning the passage with the figure first, its chunk id and scores in metadata', async () => {
    const retriever = search.asRetriever({ k: 3 });
    expect(retriever).toBeInstanceOf(BaseRetriever);
    const docs = await retriever.invoke('免费提供法律咨询多少人次');
    expect(docs).toHaveLength(3);
    const top = docs[0]!;
    const chunk = index.chunks.find((c) => c.id === top.metadata.chunkId)!;
    expect(top.pageContent).toBe(chunk.text);
    expect(top.pageContent).toContain('46.4万人次');
    expect(top.metadata).toMatchObject({
      docId: chunk.docId,
      score: expect.any(Number),
      similarity: expect.any(Number),
      bm25: expect.any(Number),
    });
    // Scores point one way: higher is better, the cosine distance became a similarity.
    expect(docs.map((d) => d.metadata.score)).toEqual(
      [...docs.map((d) => d.metadata.score)].sort((a, b) => b - a),
    );
    expect(top.metadata.similarity).toBeGreaterThan(0);
    expect(top.metadata.similarity).toBeLessThanOrEqual(1);
  });

  it('keeps to the documents a filter allows, in the vector list as in BM25', async () => {
    const question = '免费提供法律咨询多少人次';
    expect(
      await search
        .asRetriever({ k: 5, allow: (c) => c.docId !== index.chunks[0]!.docId })
        .invoke(question),
    ).toEqual([]);
    expect(
      await search
        .asRetriever({ k: 5, allow: (c) => c.docId === index.chunks[0]!.docId })
        .invoke(question),
    ).toHaveLength(5);
  });

  it('finds a passage by the vector search alone when no word matches', async () => {
    const hits = await search.search({ phrases: new Map(), text: '免费提供法律咨询', k: 3 });
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.every((h) => h.bm25 === 0 && h.similarity > 0)).toBe(true);
  });
  it('ranks the first k as a larger k over the same candidates does, short questions too (the wording bonus is not cut short)', async () => {
    // k up to 6 draws the same 20 candidates from each list.
    for (const question of [
      '法律援助',
      '信用服务机构呢',
      '免费提供法律咨询多少人次',
      '备案审查了多少件规章和规范性文件',
    ]) {
      const request = { phrases: new Map([[question, 1]]), text: question, question };
      const ids = async (k: number) =>
        (await search.search({ ...request, k })).map((h) => [h.chunk.id, h.score]);
      const wide = await ids(6);
      expect(await ids(2)).toEqual(wide.slice(0, 2));
      expect(await ids(4)).toEqual(wide.slice(0, 4));
    }
  });
});
