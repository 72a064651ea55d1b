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
  'banded.txt':
    '黑边天竺鲷\n分布于印度洋至西太平洋的珊瑚礁海域。本种背鳍硬棘6枚,臀鳍软条8枚,体长可达10公分。\n',
  'half-lined.txt':
    '半线天竺鲷\n半线天竺鲷为天竺鲷科的一种,俗名大目侧仔。半线天竺鲷背鳍硬棘7枚,臀鳍软条9枚,夜间觅食。\n',
  'station.txt':
    '武藏浦和站\n武藏浦和站位于埼玉县埼玉市南区。武藏浦和站是一个高架车站,可分为两个部份。\n',
  'prince.txt':
    '硕塞\n硕塞是清朝宗室,清太宗皇太极第五子。卒于顺治十一年十二月初五,子博果铎袭爵。\n',
  'language.txt':
    'BCPL\nBCPL是一种电脑程式设计语言。BCPL由马丁·理察德于1966年设计,最早用于编写编译器。\n',
};

describe('encyclopedia-like articles: titles, counts in words, old dates, acronyms', () => {
  let work: string;
  let engine: Engine;

  beforeAll(async () => {
    work = mkdtempSync(path.join(tmpdir(), 'wz-titles-'));
    const corpus = path.join(work, 'corpus');
    mkdirSync(corpus);
    for (const [file, text] of Object.entries(ARTICLES)) {
      writeFileSync(path.join(corpus, file), text);
      writeFileSync(
        path.join(corpus, file.replace(/\.txt$/, '.meta.json')),
        JSON.stringify({ title: text.split('\n')[0], docType: '百科' }),
      );
    }
    const config = loadConfig({
      root: PROJECT_ROOT,
      env: { LOG_LEVEL: 'silent', CORPUS_DIR: corpus, INDEX_DIR: path.join(work, 'index') },
    });
    await buildIndex({
      corpusDir: config.CORPUS_DIR,
      indexDir: config.INDEX_DIR,
      embedder: createEmbedder(config),
    });
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

  it('answers a count written in Chinese numerals', async () => {
    const a = await engine.ask('武藏浦和站可分为几个部分？');
    expect(a.found).toBe(true);
    expect(a.answer).toContain('两个部份');
  });

  it('accepts a reign-year date as the answer to 哪一年', async () => {
    const a = await engine.ask('硕塞卒于哪一年？');
    // The reign-year sentence is the one offered (first citation), and an answer states it;
    // whether it is answered or offered under a refusal is the fitted model's call.
    expect(a.citations[0]?.text).toContain('顺治十一年');
    if (a.found) expect(a.answer).toContain('顺治十一年');
  });

  it('matches a Latin acronym whatever its case', async () => {
    // Upper and lower case find the same sentence and get the same decision; whether this
    // two-article corpus's when question is answered or offered under a refusal is the
    // fitted model's call (as for the date above).
    const [upper, lower] = await Promise.all(
      ['BCPL是哪年设计的？', 'bcpl是哪年设计的？'].map((q) => engine.ask(q)),
    );
    for (const a of [upper!, lower!]) expect(a.citations[0]?.text).toContain('1966年设计');
    expect(upper!.found).toBe(lower!.found);
    if (lower!.found) expect(lower!.answer).toContain('1966年');
    const other = await engine.ask('bcpl是什么时候设计的？');
    expect(other.citations[0]?.text).toContain('1966年设计');
  });
});
