import { readFileSync, rmSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildIndex } from '../ingest/build-index.js';
import { loadConfig } from '../src/config.js';
import { createEmbedder } from '../src/embeddings/index.js';
import type { Engine } from '../src/engine-types.js';
import { loadEngine } from '../src/engine.js';
import { parseItems, scoreItem } from '../src/eval/score.js';
import { hasSharedCorpora, NEEDS_GOV_REPORTS, pooledCorpus } from './helpers/corpus.js';

const fixture = (name: string) =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

describe.skipIf(!hasSharedCorpora())(
  `many reports: the seed plus the shared government work reports (${NEEDS_GOV_REPORTS})`,
  () => {
    let corpus: string;
    let indexDir: string;
    let engine: Engine;

    beforeAll(async () => {
      corpus = pooledCorpus();
      indexDir = mkdtempSync(path.join(tmpdir(), 'wz-multi-'));
      const config = loadConfig({ env: { CORPUS_DIR: corpus, INDEX_DIR: indexDir } });
      await buildIndex({ corpusDir: corpus, indexDir, embedder: createEmbedder(config) });
      engine = await loadEngine(config);
    }, 120_000);

    afterAll(() => {
      rmSync(corpus, { recursive: true, force: true });
      rmSync(indexDir, { recursive: true, force: true });
    });

    it('answers from the document of the place and year asked about', async () => {
      const a = await engine.ask('广东2024年地区生产总值是多少');
      expect(a.answer).toContain('14万亿元');
      expect(a.citations[0]!.docId).toBe('2025_广东省政府工作报告.txt'); // the 2025 report reviews 2024
      const b = await engine.ask('广东2025年地区生产总值增长了多少');
      expect(b.answer).toContain('3.9%');
      expect(b.citations[0]!.docId).toBe('2026_广东省_政府工作报告.txt');
    });

    it('names the document and its year in every citation', async () => {
      const a = await engine.ask('上海2026年GDP增长目标是多少');
      expect(a.answer).toContain('《2026年上海市政府工作报告》');
      expect(a.citations[0]).toMatchObject({ title: '2026年上海市政府工作报告', year: 2026 });
    });

    it('keeps the year and topic when a follow-up changes only the place', async () => {
      const a = await engine.ask('北京呢？', { history: ['上海2026年GDP增长目标是多少'] });
      expect(a.citations[0]!.docId).toBe('2026_北京市_政府工作报告.txt');
      expect(a.answer).toContain('5%左右');
      const b = await engine.ask('那四川呢', { history: ['江苏2025年城镇新增就业目标是多少'] });
      expect(b.answer).toContain('85万');
    });

    it('answers per document, each cited, when the question does not say which report', async () => {
      const a = await engine.ask('城镇新增就业目标是多少');
      const docs = new Set(a.citations.map((c) => c.docId));
      expect(docs.size).toBeGreaterThan(1);
      for (const c of a.citations) {
        expect(a.answer).toContain(`《${c.title}》`);
        expect(a.answer).toContain(`[${c.n}]`);
      }
      // one figure per document's clause: no sentence mixes two documents
      for (const part of a.answer.split('；'))
        expect(part.match(/\[\d\]/g)?.length ?? 0).toBeLessThanOrEqual(1);
    });

    it('answers a question about "the report" for each report when it does not say which', async () => {
      const all = await engine.ask('这份报告是什么时候发布的？');
      expect(all.found).toBe(true);
      expect(all.citations.length).toBeGreaterThan(1);
      expect(all.answer).toContain('请说明地区或年份');
      const one = await engine.ask('上海的报告是什么时候发布的？');
      expect(one.answer).toContain('2026-02-09');
      expect(one.citations).toHaveLength(1);
    });

    it('refuses places no report covers', async () => {
      const a = await engine.ask('河南2025年GDP是多少');
      expect(a.found).toBe(false);
      expect(a.answer).toContain('河南');
    });

    it('passes at least 80 % of the multi-document training questions (a regression floor: 84–88 % at the last fit)', async () => {
      const items = parseItems(fixture('questions/train/gov-multi-doc.jsonl'));
      const failed: string[] = [];
      for (const item of items) {
        const answer = await engine.ask(item.question, { history: item.history ?? [] });
        const r = scoreItem(item, answer, 0);
        if (!r.passed) failed.push(`${item.id}: ${r.reasons.join('; ')}`);
      }
      expect(1 - failed.length / items.length, failed.join('\n')).toBeGreaterThanOrEqual(0.8);
    });
  },
);
