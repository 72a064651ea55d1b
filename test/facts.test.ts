import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractDocumentFacts, figureLabel } from '../ingest/facts.js';
import { listCorpus, loadFile } from '../ingest/load.js';
import { prepareDocument } from '../ingest/prepare.js';
import { loadConfig, PROJECT_ROOT } from '../src/config.js';
import { ensureIndex, loadEngine } from '../src/engine.js';
import { citationText, type Fact } from '../src/facts/fact.js';
import { FactIndex } from '../src/facts/search.js';
import { readFacts } from '../src/index-store.js';
import { loadLexicon } from '../src/text/lexicon.js';
import {
  FIRST_WORK_REPORTS,
  hasSharedCorpora,
  NEEDS_GOV_REPORTS,
  workReportsCorpus,
} from './helpers/corpus.js';
import { removeDataDirs, startServer, type TestServer } from './helpers/server.js';

const SEED = path.join(PROJECT_ROOT, 'corpus');
const SEED_DOC = 'shanxi-2021-law-based-government-report.txt';
const shared = hasSharedCorpora();
/** The eight work reports these tests were written for (the shared folder has grown since). */
const WORK_REPORTS = shared ? workReportsCorpus(FIRST_WORK_REPORTS) : '';
afterAll(() => {
  if (WORK_REPORTS) rmSync(WORK_REPORTS, { recursive: true, force: true });
});

async function factsOf(dir: string): Promise<Fact[]> {
  const out: Fact[] = [];
  if (!dir) return out;
  for (const file of await listCorpus(dir)) {
    const p = prepareDocument(await loadFile(file));
    out.push(...extractDocumentFacts({ meta: p.meta, text: p.text }, p.chunks));
  }
  return out;
}

describe('facts: extraction', () => {
  it('labels a figure with what it counts, from its clause', () => {
    const s =
      '大力实施免费法律咨询工程,为群众免费提供法律咨询46.4万人次,受理特殊群体法律援助案件1.87万件。';
    const at = (figure: string) => [s.indexOf(figure), s.indexOf(figure) + figure.length] as const;
    expect(figureLabel(s, ...at('46.4万人次'))).toBe('为群众免费提供法律咨询');
    expect(figureLabel(s, ...at('1.87万件'))).toBe('受理特殊群体法律援助案件');
    const rate = '全年办结率达100%。';
    expect(figureLabel(rate, rate.indexOf('100%'), rate.indexOf('100%') + 4)).toBe('办结率');
    const growth = '进出口总额9万亿元、增长9.8%。';
    expect(figureLabel(growth, growth.indexOf('9.8%'), growth.indexOf('9.8%') + 4)).toBe(
      '进出口总额 增长',
    );
  });

  it('extracts every quantitative statement of the seed report with sentence, section and year', async () => {
    const facts = await factsOf(SEED);
    const advice = facts.find((f) => f.figure === '46.4万人次');
    expect(advice).toMatchObject({
      docId: SEED_DOC,
      label: '为群众免费提供法律咨询',
      unit: '人次',
      value: 464000,
      year: 2021,
      section: expect.stringContaining('法律服务'),
    });
    expect(advice!.sentence.slice(advice!.figureStart, advice!.figureEnd)).toBe('46.4万人次');
    expect(facts.find((f) => f.figure === '811件')?.label).toBe('办理人大代表建议');
    expect(facts.every((f) => f.unit !== 'date')).toBe(true);
    expect(new Set(facts.map((f) => f.id)).size).toBe(facts.length);
  });

  it.skipIf(!shared)(
    `dates a figure by the year its sentence names, else by the section (review or plan) (${NEEDS_GOV_REPORTS})`,
    async () => {
      const facts = await factsOf(WORK_REPORTS);
      const gd = facts.filter((f) => f.docId === '2025_广东省政府工作报告.txt');
      expect(gd.find((f) => f.label.includes('进出口总额'))?.year).toBe(2024);
      expect(gd.some((f) => f.year === 2025)).toBe(true); // the plan for 2025
    },
  );

  it('formats the citation to read out', () => {
    expect(
      citationText({ title: '某报告', section: '一、概况', sentence: '受理案件811件。' }),
    ).toBe('据《某报告》一、概况：受理案件811件。');
    expect(
      citationText({ title: '某报告', section: '一、概况', sentence: '受理案件811件。', page: 3 }),
    ).toBe('据《某报告》一、概况，第3页：受理案件811件。');
  });
});

describe('facts: search', () => {
  let index: FactIndex;
  beforeAll(async () => {
    index = new FactIndex([...(await factsOf(SEED)), ...(await factsOf(WORK_REPORTS))], {
      lexicon: loadLexicon(),
    });
  }, 60_000);

  it('finds 46.4万 from 免费法律咨询, with the figure highlighted in its sentence and a citation', () => {
    const { facts } = index.search({ q: '免费法律咨询' });
    const top = facts[0]!;
    expect(top.figure).toBe('46.4万人次');
    expect(top.sentence.slice(top.figureStart, top.figureEnd)).toBe('46.4万人次');
    expect(top.citation).toMatch(
      /^据《[^》]*2021[^》]*》七、着力提升法律服务质量[^：]*：.*46\.4万人次/,
    );
  });

  it('understands everyday wording and half-typed words', () => {
    expect(index.search({ q: '免费问律师' }).facts[0]?.figure).toBe('46.4万人次');
    expect(index.search({ q: '免费问律师' }).synonyms).toContain('法律咨询');
    expect(index.search({ q: '法律咨' }).facts.map((f) => f.figure)).toContain('46.4万人次');
    expect(index.search({ q: '人大代表建议' }).facts[0]?.figure).toBe('811件');
    expect(index.search({ q: '46.4' }).facts[0]?.figure).toBe('46.4万人次');
  });

  it.skipIf(!shared)(`filters by document and by year (${NEEDS_GOV_REPORTS})`, () => {
    const gdp = index.search({ q: '地区生产总值', limit: 100 });
    expect(new Set(gdp.facts.map((f) => f.docId)).size).toBeGreaterThan(2);
    const gd = index.search({ q: '地区生产总值', doc: '2025_广东省政府工作报告.txt' });
    expect(gd.facts.length).toBeGreaterThan(0);
    expect(gd.facts.every((f) => f.docId === '2025_广东省政府工作报告.txt')).toBe(true);
    const y2024 = index.search({ q: '地区生产总值', year: 2024 });
    expect(y2024.facts.length).toBeGreaterThan(0);
    expect(y2024.facts.every((f) => f.year === 2024)).toBe(true);
    expect(index.search({ q: '', doc: SEED_DOC }).total).toBe(
      index.documents().find((d) => d.docId === SEED_DOC)?.facts,
    );
  });

  it('returns nothing for words no report uses, and something for every prefix an agent types', () => {
    expect(index.search({ q: '火星基地' }).facts).toEqual([]);
    // Search-as-you-type: each keystroke's prefix is a query of its own. (Its speed is a
    // benchmark figure, not a test: a timed assertion fails on a busy machine.)
    const typed = '免费法律咨询多少人次';
    for (let i = 2; i <= typed.length; i++)
      expect(
        index.search({ q: typed.slice(0, i) }).facts.length,
        typed.slice(0, i),
      ).toBeGreaterThan(0);
  });
});

describe('facts: GET /api/facts', () => {
  let indexDir: string;
  let server: TestServer;
  beforeAll(async () => {
    indexDir = mkdtempSync(path.join(tmpdir(), 'wz-facts-index-'));
    const env = { LOG_LEVEL: 'silent', INDEX_DIR: indexDir };
    const config = loadConfig({ root: PROJECT_ROOT, env });
    await ensureIndex(config);
    server = await startServer({ engine: await loadEngine(config), env: { INDEX_DIR: indexDir } });
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    removeDataDirs();
    rmSync(indexDir, { recursive: true, force: true });
  });

  it('writes facts.json beside the index at ingest', async () => {
    expect(readdirSync(path.join(indexDir, 'current'))).toContain('facts.json');
    expect((await readFacts(indexDir))?.some((f) => f.figure === '46.4万人次')).toBe(true);
  });

  it('searches by keyword, with facets on request', async () => {
    const res = await fetch(
      `${server.url}/api/facts?q=${encodeURIComponent('免费法律咨询')}&facets=1`,
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      facts: Array<Record<string, unknown>>;
      documents: unknown[];
      years: number[];
    };
    expect(body.facts[0]).toMatchObject({
      figure: '46.4万人次',
      label: '为群众免费提供法律咨询',
      docId: SEED_DOC,
      year: 2021,
      chunkId: expect.any(String),
      figureStart: expect.any(Number),
      citation: expect.stringContaining('46.4万人次'),
    });
    expect(body.documents).toHaveLength(1);
    expect(body.years).toEqual([2021]);
  });

  it('rejects a bad query string with BAD_REQUEST', async () => {
    const res = await fetch(`${server.url}/api/facts?year=abc`);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('BAD_REQUEST');
  });
});
