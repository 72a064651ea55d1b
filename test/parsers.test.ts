import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildIndex, type IngestReport } from '../ingest/build-index.js';
import { cleanText } from '../ingest/clean.js';
import { insertPageBreaks, pageAt } from '../ingest/pages.js';
import { layoutToText, type PdfRun } from '../ingest/parsers/pdf-layout.js';
import { loadConfig, PROJECT_ROOT } from '../src/config.js';
import { createEmbedder } from '../src/embeddings/index.js';
import { loadEngine } from '../src/engine.js';
import { loadIndex } from '../src/index-store.js';
import type { Engine } from '../src/engine-types.js';
import {
  CJK_FONT_SKIP_MESSAGE,
  hasCjkFont,
  makeDocx,
  makePdf,
  type FixtureParagraph,
} from './helpers/doc-fixtures.js';

/** A run of `str` on baseline `y`, 12 pt, one em per character. */
const run = (str: string, x: number, y: number): PdfRun => ({
  str,
  x,
  y,
  width: str.length * 12,
  size: 12,
  eol: true,
});

describe('pages', () => {
  it('puts a form feed at each page start but the first, at line starts', () => {
    expect(insertPageBreaks('a\nb\nc\n', [0, 2, 4])).toBe('a\n\fb\n\fc\n');
    expect(insertPageBreaks('abc\ndef\n', [0, 5])).toBe('abc\n\fdef\n'); // moved to its line start
  });

  it('finds the 1-based page of an offset; an empty page yields to the next', () => {
    expect(pageAt([0, 10, 20], 0)).toBe(1);
    expect(pageAt([0, 10, 20], 15)).toBe(2);
    expect(pageAt([0, 10, 10, 20], 10)).toBe(3);
    expect(pageAt([0], 999)).toBe(1);
  });

  it('cleaning keeps page starts although it drops lines', () => {
    const { text, pageStarts } = cleanText(
      '报告标题\n正文一。\n\f打印本页\n正文二。\n\f\f正文三。\n',
    );
    expect(text).toBe('报告标题\n正文一。\n正文二。\n正文三。');
    expect(pageStarts).toEqual([
      0,
      text.indexOf('正文二'),
      text.indexOf('正文三'),
      text.indexOf('正文三'),
    ]);
    expect(cleanText('没有分页。').pageStarts).toBeUndefined();
  });
});

describe('pdf layout', () => {
  it('rejoins wrapped lines, keeps indented paragraphs and headings apart, drops page numbers', () => {
    const page = [
      run('一、工作情况', 0, 800),
      run('全年受理行政复议案件4', 24, 780), // indented first line, reaches the margin
      run('52件，办结率99.7%。', 0, 760),
      { ...run('第二段', 24, 740), eol: false },
      run(' 开始。', 96, 740), // justified text: PDF.js reports the gap as a space

      run('- 1 -', 100, 20),
    ];
    expect(layoutToText([page]).raw).toBe(
      '一、工作情况\n全年受理行政复议案件452件，办结率99.7%。\n第二段开始。\n',
    );
  });

  it('cuts a paragraph that runs over a page break after the straddling sentence', () => {
    const one = [run('标题', 0, 800), run('第一句在第一页。第二句跨', 24, 780)];
    const two = [run('页结束。第三句在第二页。', 0, 800), run('新段落。', 24, 780)];
    const { raw, pages } = layoutToText([one, two]);
    expect(raw).toBe('标题\n第一句在第一页。第二句跨页结束。\n第三句在第二页。\n新段落。\n');
    expect(pages).toEqual([0, raw.indexOf('第三句')]);
  });
});

const SIDECAR = {
  title: '河北省2022年政府工作报告',
  region: '河北',
  reportYear: 2022,
  reviewYear: 2021,
  planYear: 2022,
  docType: '政府工作报告',
};

function docxParagraphs(cases: number): FixtureParagraph[] {
  return [
    { text: '年度工作报告', heading: true },
    { text: '一、社会治理', heading: true },
    { text: `全年调解矛盾纠纷${cases}件，调解成功率达到98.2%。` },
    { text: '二、营商环境', heading: true },
    { text: '新增市场主体37.5万户，其中企业12.1万户。' },
  ];
}

/** Four pages; the figures the tests ask about sit on pages 1, 3 and 4. */
function pdfPages(): FixtureParagraph[][] {
  const filler = (n: number) =>
    Array.from(
      { length: 12 },
      (_, i) => `第${n}部分第${i + 1}项工作持续推进，各项任务按计划落实到位，群众满意度不断提升。`,
    ).join('');
  return [
    [
      { text: '某市2023年法治政府建设年度报告', heading: true },
      { text: '一、依法全面履行政府职能', heading: true },
      { text: '全年清理规范性文件315件，废止文件42件。' },
      { text: filler(1) },
    ],
    [
      { text: '二、推进严格规范公正文明执法', heading: true },
      { text: filler(2) },
      { text: filler(3) },
    ],
    [
      { text: '三、公共法律服务', heading: true },
      { text: '为群众免费提供法律咨询46.4万人次，受理特殊群体法律援助案件1.87万件。' },
      { text: filler(4) },
    ],
    [
      { text: '四、行政复议', heading: true },
      { text: '全年办理行政复议案件2968件，纠错率12.6%。' },
    ],
  ];
}

describe('parsers: .docx and .pdf ingest', () => {
  let work: string;
  let corpus: string;
  let indexDir: string;
  let first: IngestReport;
  let engine: Engine;
  const config = () =>
    loadConfig({
      root: PROJECT_ROOT,
      env: { LOG_LEVEL: 'silent', CORPUS_DIR: corpus, INDEX_DIR: indexDir },
    });
  const build = () => {
    const c = config();
    return buildIndex({
      corpusDir: c.CORPUS_DIR,
      indexDir: c.INDEX_DIR,
      embedder: createEmbedder(c),
    });
  };

  beforeAll(async () => {
    if (!hasCjkFont) console.warn(CJK_FONT_SKIP_MESSAGE);
    work = mkdtempSync(path.join(tmpdir(), 'wz-parsers-'));
    corpus = path.join(work, 'corpus');
    indexDir = path.join(work, 'index');
    mkdirSync(corpus);
    writeFileSync(path.join(corpus, 'work-report.docx'), await makeDocx(docxParagraphs(5213)));
    writeFileSync(path.join(corpus, 'work-report.meta.json'), JSON.stringify(SIDECAR));
    if (hasCjkFont) writeFileSync(path.join(corpus, 'law-report.pdf'), await makePdf(pdfPages()));
    writeFileSync(
      path.join(corpus, 'notes.txt'),
      '某县2023年政务公开工作报告\n一、主动公开\n全年主动公开政府信息1.2万条。\n',
    );
    writeFileSync(path.join(corpus, 'broken.pdf'), '%PDF-1.7\nthis is not really a PDF\n');
    writeFileSync(path.join(corpus, 'broken.docx'), 'PK\u0003\u0004 not a zip archive');
    first = await build();
    engine = await loadEngine(config());
  }, 60_000);

  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('skips damaged files, naming each with a reason, and ingests the rest', () => {
    expect(first.failed.map((f) => f.docId).sort()).toEqual(['broken.docx', 'broken.pdf']);
    expect(first.failed.find((f) => f.docId === 'broken.pdf')?.reason).toMatch(/无法解析 PDF 文件/);
    expect(first.failed.find((f) => f.docId === 'broken.docx')?.reason).toMatch(
      /无法解析 Word 文件/,
    );
    expect(first.added).toEqual([
      ...(hasCjkFont ? ['law-report.pdf'] : []),
      'notes.txt',
      'work-report.docx',
    ]);
  });

  it('answers from a Word document, with the sidecar metadata overriding detection', async () => {
    const meta = engine.documents().find((d) => d.docId === 'work-report.docx');
    expect(meta).toMatchObject(SIDECAR);
    const answer = await engine.ask('河北2021年调解矛盾纠纷多少件？');
    expect(answer.found).toBe(true);
    expect(answer.answer).toContain('5213件');
    expect(answer.citations[0]).toMatchObject({ docId: 'work-report.docx', title: SIDECAR.title });
    expect(answer.citations[0]?.page).toBeUndefined();
  });

  it.skipIf(!hasCjkFont)('answers from a PDF and cites the page the figure is on', async () => {
    const advice = await engine.ask('2023年免费提供法律咨询多少人次？');
    expect(advice.answer).toContain('46.4万');
    expect(advice.citations[0]).toMatchObject({ docId: 'law-report.pdf', page: 3 });
    const review = await engine.ask('2023年办理行政复议案件多少件？');
    expect(review.answer).toContain('2968件');
    expect(review.citations[0]).toMatchObject({ docId: 'law-report.pdf', page: 4 });
    const docs = await engine.ask('2023年清理规范性文件多少件？');
    expect(docs.citations[0]).toMatchObject({ docId: 'law-report.pdf', page: 1 });
  });

  it('re-embeds only the changed file on the next ingest', async () => {
    writeFileSync(path.join(corpus, 'work-report.docx'), await makeDocx(docxParagraphs(6120)));
    const second = await build();
    expect(second.changed).toEqual(['work-report.docx']);
    expect(second.unchanged).toEqual([...(hasCjkFont ? ['law-report.pdf'] : []), 'notes.txt']);
    const embedder = createEmbedder(config());
    const index = await loadIndex(indexDir, {
      embeddings: embedder.embeddings,
      embedderId: embedder.id,
    });
    expect(second.embedded).toBe(index.chunks.filter((c) => c.docId === 'work-report.docx').length);
    expect(second.embedded).toBeLessThan(second.chunks);
    const reloaded = await loadEngine(config());
    expect((await reloaded.ask('河北2021年调解矛盾纠纷多少件？')).answer).toContain('6120件');
  });

  it('treats a changed sidecar as a changed document', async () => {
    writeFileSync(
      path.join(corpus, 'work-report.meta.json'),
      JSON.stringify({ ...SIDECAR, source: '河北省人民政府办公厅' }),
    );
    const third = await build();
    expect(third.changed).toEqual(['work-report.docx']);
    const reloaded = await loadEngine(config());
    expect(reloaded.documents().find((d) => d.docId === 'work-report.docx')?.source).toBe(
      '河北省人民政府办公厅',
    );
  });
});
