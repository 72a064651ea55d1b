import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
  mkdirSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildIndex } from '../ingest/build-index.js';
import { LocalHashEmbeddings } from '../src/embeddings/local.js';
import { currentDir, loadIndex, readFacts, readManifest } from '../src/index-store.js';

const seedDir = new URL('../corpus', import.meta.url).pathname;
let work: string;
const local = () => {
  const e = new LocalHashEmbeddings();
  return { embeddings: e, id: e.id, dimensions: e.dimensions };
};

describe('index-store', () => {
  beforeAll(() => {
    work = mkdtempSync(path.join(tmpdir(), 'wz-index-'));
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('round-trips the index: manifest, chunks, keyword index and HNSW vectors', async () => {
    const indexDir = path.join(work, 'a');
    const report = await buildIndex({ corpusDir: seedDir, indexDir, embedder: local() });
    expect(report.added).toEqual(['shanxi-2021-law-based-government-report.txt']);
    const e = local();
    const idx = await loadIndex(indexDir, { embeddings: e.embeddings, embedderId: e.id });
    expect(idx.manifest.counts).toMatchObject({ documents: 1, chunks: idx.chunks.length });
    expect(idx.manifest.embedder).toEqual({ id: 'local-hash-v1-d1024', dimensions: 1024 });
    expect(idx.manifest.corpusHash).toMatch(/^[0-9a-f]{64}$/);
    expect(idx.vectors.length).toBe(idx.chunks.length * 1024);
    const q = await e.embeddings.embedQuery('免费法律咨询');
    const [hit] = await idx.store.similaritySearchVectorWithScore(q, 1);
    expect(hit?.[0].pageContent).toContain('46.4万人次');
    expect(hit?.[1]).toBeLessThan(1);
  });

  it('writes its JSON files one record per line and loads them in slices, giving the event loop turns', async () => {
    const indexDir = path.join(work, 'a');
    const dir = currentDir(indexDir);
    const lines = (name: string) => readFileSync(path.join(dir, name), 'utf8').split('\n');
    const whole = (name: string) =>
      JSON.parse(readFileSync(path.join(dir, name), 'utf8')) as unknown;
    const chunks = whole('chunks.json') as unknown[];
    const keyword = whole('keyword.json') as { postings: Record<string, unknown> };
    expect(lines('chunks.json')).toHaveLength(chunks.length + 2);
    expect(lines('documents.json')).toHaveLength(1 + 2);
    expect(lines('keyword.json')).toHaveLength(Object.keys(keyword.postings).length + 2);
    expect(lines('docstore.json').length).toBeGreaterThan(chunks.length / 2);
    let turns = 0;
    const e = local();
    const idx = await loadIndex(indexDir, {
      embeddings: e.embeddings,
      embedderId: e.id,
      slices: {
        sliceBytes: 1024,
        budgetMs: 0,
        pause: async () => {
          turns++;
        },
      },
    });
    expect(idx.chunks).toEqual(chunks);
    expect(idx.keyword).toEqual(keyword);
    expect(idx.documents).toEqual(whole('documents.json'));
    // Some hundred kilobytes in 1 KB slices: the parse is many short pieces, not one.
    expect(turns).toBeGreaterThan(50);
  });

  it('reads an index written compact by an older version, with the same content and search', async () => {
    const indexDir = path.join(work, 'a');
    const old = path.join(work, 'compact');
    cpSync(indexDir, old, { recursive: true, verbatimSymlinks: true });
    for (const name of [
      'documents.json',
      'chunks.json',
      'keyword.json',
      'docstore.json',
      'facts.json',
    ]) {
      const file = path.join(currentDir(old), name);
      writeFileSync(file, JSON.stringify(JSON.parse(readFileSync(file, 'utf8'))));
      expect(readFileSync(file, 'utf8')).not.toContain('\n');
    }
    // The copy is its own: the index it was copied from keeps one record a line.
    expect(readFileSync(path.join(currentDir(indexDir), 'chunks.json'), 'utf8')).toContain('\n');
    const e = local();
    const opts = { embeddings: e.embeddings, embedderId: e.id };
    const [now, before] = await Promise.all([loadIndex(indexDir, opts), loadIndex(old, opts)]);
    expect(before.chunks).toEqual(now.chunks);
    expect(before.documents).toEqual(now.documents);
    expect(before.keyword).toEqual(now.keyword);
    expect(await readFacts(old)).toEqual(await readFacts(indexDir));
    const q = await e.embeddings.embedQuery('免费法律咨询');
    expect(await before.store.similaritySearchVectorWithScore(q, 5)).toEqual(
      await now.store.similaritySearchVectorWithScore(q, 5),
    );
  });

  it('refuses an index built by another embedder, saying to run npm run ingest', async () => {
    const indexDir = path.join(work, 'a');
    const other = new LocalHashEmbeddings({ dimensions: 256 });
    await expect(
      loadIndex(indexDir, { embeddings: other, embedderId: other.id }),
    ).rejects.toMatchObject({
      code: 'INDEX_MISMATCH',
      message: expect.stringContaining('npm run ingest'),
    });
  });

  it('reports a missing index with INDEX_MISSING', async () => {
    const e = local();
    await expect(
      loadIndex(path.join(work, 'none'), { embeddings: e.embeddings, embedderId: e.id }),
    ).rejects.toMatchObject({
      code: 'INDEX_MISSING',
    });
  });

  it('re-embeds only changed documents and drops removed ones', async () => {
    const corpus = path.join(work, 'corpus');
    mkdirSync(corpus);
    cpSync(seedDir, corpus, { recursive: true });
    writeFileSync(path.join(corpus, 'extra.txt'), '测试报告\n一、第一部分\n全年受理案件100件。\n');
    const indexDir = path.join(work, 'inc');
    await buildIndex({ corpusDir: corpus, indexDir, embedder: local() });
    writeFileSync(path.join(corpus, 'extra.txt'), '测试报告\n一、第一部分\n全年受理案件200件。\n');
    const second = await buildIndex({ corpusDir: corpus, indexDir, embedder: local() });
    expect(second.changed).toEqual(['extra.txt']);
    expect(second.unchanged).toEqual(['shanxi-2021-law-based-government-report.txt']);
    expect(second.embedded).toBe(2); // the changed file's title and body chunk
    rmSync(path.join(corpus, 'extra.txt'));
    const third = await buildIndex({ corpusDir: corpus, indexDir, embedder: local() });
    expect(third.removed).toEqual(['extra.txt']);
    expect((await readManifest(indexDir))?.counts.documents).toBe(1);
  });

  it('leaves the previous index serving when a build fails', async () => {
    const indexDir = path.join(work, 'a');
    const before = await readManifest(indexDir);
    const failing = local();
    failing.embeddings.embedDocuments = async () => {
      throw new Error('embedding service down');
    };
    await expect(
      buildIndex({ corpusDir: seedDir, indexDir, embedder: failing, full: true }),
    ).rejects.toMatchObject({
      code: 'INGEST_FAILED',
    });
    expect(await readManifest(indexDir)).toEqual(before);
    expect(existsSync(currentDir(indexDir))).toBe(true);
    expect(readdirSync(indexDir).filter((f) => f.startsWith('.build-'))).toEqual([]);
  });
});
