/**
 * Document titles are part of what a passage is found by: an encyclopedia-like article
 * names its subject in the title and then says 「本种」 or nothing at all.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildIndex } from '../ingest/build-index.js';
import { loadConfig, PROJECT_ROOT } from '../src/config.js';
import { createEmbedder } from '../src/embeddings/index.js';
import { loadEngine } from '../src/engine.js';
import type { Engine } from '../src/engine-types.js';

const ARTICLES: Record<string, string> = {
  'banded.txt': '黑边天竺鲷\n分布于印度洋至西太平洋的珊瑚礁海域。本种背鳍硬棘6枚,臀鳍软条8枚,体长可达10公分。\n',
  'half-lined.txt': '半线天竺鲷\n半线天竺鲷为天竺鲷科的一种,俗名大目侧仔。半线天竺鲷背鳍硬棘7枚,臀鳍软条9枚,夜间觅食。\n',
};

describe('document titles in retrieval', () => {
  let work: string;
  let engine: Engine;

  beforeAll(async () => {
    work = mkdtempSync(path.join(tmpdir(), 'wz-titles-'));
    const corpus = path.join(work, 'corpus');
    mkdirSync(corpus);
    for (const [file, text] of Object.entries(ARTICLES)) {
      writeFileSync(path.join(corpus, file), text);
      writeFileSync(path.join(corpus, file.replace(/\.txt$/, '.meta.json')), JSON.stringify({ title: text.split('\n')[0], docType: '百科' }));
    }
    const config = loadConfig({ root: PROJECT_ROOT, env: { LOG_LEVEL: 'silent', CORPUS_DIR: corpus, INDEX_DIR: path.join(work, 'index') } });
    await buildIndex({ corpusDir: config.CORPUS_DIR, indexDir: config.INDEX_DIR, embedder: createEmbedder(config) });
    engine = await loadEngine(config);
  }, 60_000);

  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('answers from the article the question names, although its text does not repeat the name', async () => {
    const a = await engine.ask('黑边天竺鲷有多少枚背鳍硬棘？');
    expect(a.found).toBe(true);
    expect(a.answer).toContain('6枚');
    expect(a.answer).not.toContain('7枚');
    expect(a.citations[0]?.title).toBe('黑边天竺鲷');
  });

  it('still answers from the other article when it is the one named', async () => {
    const a = await engine.ask('半线天竺鲷有多少枚背鳍硬棘？');
    expect(a.answer).toContain('7枚');
    expect(a.citations[0]?.title).toBe('半线天竺鲷');
  });
});
