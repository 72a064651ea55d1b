import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildIndex } from '../ingest/build-index.js';
import { loadConfig } from '../src/config.js';
import { createEmbedder } from '../src/embeddings/index.js';
import type { Engine, SearchHit } from '../src/engine-types.js';
import { loadEngine } from '../src/engine.js';
import { GOV_REPORTS, hasSharedCorpora, NEEDS_GOV_REPORTS, SEED } from './helpers/corpus.js';
import { KNOWN, realEngine, removeRealIndex } from './helpers/real-engine.js';
import { removeDataDirs, startServer, type TestServer } from './helpers/server.js';

interface ErrorBody {
  code: string;
  message: string;
}

interface SearchBody {
  question: string;
  k: number;
  filters: Record<string, unknown>;
  uncovered: string[];
  passages: SearchHit[];
  error?: ErrorBody;
}

async function search(server: TestServer, query: Record<string, string>) {
  const res = await fetch(`${server.url}/api/search?${new URLSearchParams(query)}`);
  const body = (await res.json()) as SearchBody;
  return { status: res.status, body, error: body.error };
}

describe('GET /api/search over the seed report', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer({ engine: await realEngine() });
  }, 120_000);

  afterAll(async () => {
    await server.close();
    removeDataDirs();
    removeRealIndex();
  });

  it('returns the ranked passages for a question with their documents', async () => {
    const { status, body } = await search(server, { q: KNOWN.proposals.question });
    expect(status).toBe(200);
    expect(body.k).toBe(5);
    expect(body.passages).toHaveLength(5);
    expect(body.passages.map((p) => p.rank)).toEqual([1, 2, 3, 4, 5]);
    const scores = body.passages.map((p) => p.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    const top = body.passages[0]!;
    expect(top.text).toContain(KNOWN.proposals.figure);
    expect(top.document).toMatchObject({
      docId: 'shanxi-2021-law-based-government-report.txt',
      reportYear: 2021,
      region: '山西',
    });
    expect(top.document.title).toContain('法治政府建设');
    expect(top.section.length).toBeGreaterThan(0);
    // The offsets and text are the passage's as the passage route shows it.
    const view = (await (await fetch(`${server.url}/api/passages/${top.chunkId}`)).json()) as {
      chunk: { text: string; start: number; end: number };
    };
    expect(view.chunk).toMatchObject({ text: top.text, start: top.start, end: top.end });
    expect(top.end - top.start).toBe(top.text.length);
  });

  it('gives the passages the answer is chosen from, in the same order', async () => {
    const engine = await realEngine();
    const prepared = await engine.prepare(KNOWN.legalAdvice.question);
    const { body } = await search(server, { q: KNOWN.legalAdvice.question, k: '3' });
    expect(body.passages.map((p) => p.chunkId)).toEqual(
      prepared.passages.slice(0, 3).map((p) => p.chunkId),
    );
  });

  it('returns k passages, 1 to 20', async () => {
    const one = await search(server, { q: KNOWN.legalAdvice.question, k: '1' });
    expect(one.body.passages).toHaveLength(1);
    const many = await search(server, { q: '法治政府建设', k: '20' });
    expect(many.status).toBe(200);
    expect(many.body.passages).toHaveLength(20); // the seed has 22 passages besides its title
    for (const k of ['0', '21', 'abc', '2.5', '-1']) {
      const { status, error } = await search(server, { q: '法律援助', k });
      expect(status, k).toBe(400);
      expect(error).toMatchObject({ code: 'BAD_REQUEST', message: 'k 应为 1 到 20 之间的整数。' });
    }
  });

  it('checks the question as /api/ask does', async () => {
    const missing = await search(server, {});
    expect(missing).toMatchObject({
      status: 400,
      error: { code: 'EMPTY_QUESTION', message: '请输入您的问题。' },
    });
    const blank = await search(server, { q: '  ' });
    expect(blank.error?.code).toBe('EMPTY_QUESTION');
    const long = await search(server, { q: '法'.repeat(server.config.MAX_QUESTION_CHARS + 1) });
    expect(long.status).toBe(413);
    expect(long.error?.code).toBe('QUESTION_TOO_LONG');
    expect(long.error?.message).toContain(String(server.config.MAX_QUESTION_CHARS));
    const twice = await fetch(`${server.url}/api/search?q=a&q=b`);
    expect(twice.status).toBe(400);
    expect(((await twice.json()) as SearchBody).error?.code).toBe('BAD_REQUEST');
  });

  it('refuses unknown parameters and bad filters with a message saying which', async () => {
    const extra = await search(server, { q: '法律援助', limit: '3' });
    expect(extra.status).toBe(400);
    expect(extra.error?.code).toBe('BAD_REQUEST');
    expect(extra.error?.message).toContain('q、k、doc、year、region');
    const year = await search(server, { q: '法律援助', year: '21' });
    expect(year).toMatchObject({
      status: 400,
      error: { code: 'BAD_REQUEST', message: 'year 应为四位数字的年份。' },
    });
    const doc = await search(server, { q: '法律援助', doc: 'no-such-report.txt' });
    expect(doc.status).toBe(404);
    expect(doc.error?.code).toBe('NOT_FOUND');
    expect(doc.error?.message).toContain('doc');
  });

  it('narrows to the documents of a year or region, and finds none outside them', async () => {
    const shanxi = await search(server, { q: '法律援助', region: '山西省', year: '2021' });
    expect(shanxi.status).toBe(200);
    expect(shanxi.body.passages.length).toBe(5);
    expect(shanxi.body.filters).toEqual({ region: '山西省', year: 2021 });
    const other = await search(server, { q: '法律援助', region: '广东' });
    expect(other.body.passages).toEqual([]);
    const otherYear = await search(server, { q: '法律援助', year: '2019' });
    expect(otherYear.body.passages).toEqual([]);
  });
});

describe.skipIf(!hasSharedCorpora())(
  `GET /api/search over several reports (${NEEDS_GOV_REPORTS})`,
  () => {
    const reports = ['2025_广东省政府工作报告.txt', '2026_广东省_政府工作报告.txt'];
    let corpus: string;
    let indexDir: string;
    let engine: Engine;
    let server: TestServer;

    beforeAll(async () => {
      corpus = mkdtempSync(path.join(tmpdir(), 'wz-search-corpus-'));
      symlinkSync(SEED, path.join(corpus, path.basename(SEED)));
      for (const f of reports) symlinkSync(path.join(GOV_REPORTS, f), path.join(corpus, f));
      indexDir = mkdtempSync(path.join(tmpdir(), 'wz-search-index-'));
      const config = loadConfig({ env: { CORPUS_DIR: corpus, INDEX_DIR: indexDir } });
      await buildIndex({ corpusDir: corpus, indexDir, embedder: createEmbedder(config) });
      engine = await loadEngine(config);
      server = await startServer({ engine });
    }, 120_000);

    afterAll(async () => {
      await server?.close();
      removeDataDirs();
      rmSync(corpus, { recursive: true, force: true });
      rmSync(indexDir, { recursive: true, force: true });
    });

    it('searches every document unless a filter or the question narrows it', async () => {
      const all = await search(server, { q: '地区生产总值增长', k: '10' });
      const docs = new Set(all.body.passages.map((p) => p.document.docId));
      expect(docs.has(reports[0]!) && docs.has(reports[1]!)).toBe(true);

      const one = await search(server, { q: '地区生产总值增长', k: '10', doc: reports[1]! });
      expect(one.body.passages.length).toBe(10);
      expect(one.body.passages.every((p) => p.docId === reports[1])).toBe(true);

      const year = await search(server, { q: '地区生产总值增长', k: '10', year: '2025' });
      expect(year.body.passages.every((p) => p.document.reportYear === 2025)).toBe(true);
      expect(year.body.passages.length).toBe(10);

      const region = await search(server, { q: '法律援助', k: '10', region: '广东省' });
      expect(region.body.passages.every((p) => p.document.region === '广东')).toBe(true);
      expect(region.body.passages.length).toBeGreaterThan(0);

      // A place named in the question narrows as it does when answering.
      const named = await search(server, { q: '广东法律援助', k: '10' });
      expect(named.body.passages.every((p) => p.document.region === '广东')).toBe(true);
    });

    it('says which places or years the question names that no document covers', async () => {
      const { status, body } = await search(server, { q: '2030年地区生产总值' });
      expect(status).toBe(200);
      expect(body.uncovered).toEqual(['2030年']);
      expect(body.passages.length).toBe(5);
    });
  },
);
