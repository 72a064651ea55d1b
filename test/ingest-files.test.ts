/**
 * Bad files at ingest, as real files in a corpus folder: GBK and UTF-16 reports are
 * converted and indexed; an ELF binary and random bytes are refused with a reason; a .docx
 * that expands past the limit, one with too many paragraphs and a PDF with too many pages
 * are refused with a per-file error while the rest of the corpus is indexed; a long text
 * without full stops is cut into passages of the usual size.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Document, Packer, Paragraph } from 'docx';
import iconv from 'iconv-lite';
import PDFDocument from 'pdfkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildIndex, type IngestReport } from '../ingest/build-index.js';
import { chunkDocument } from '../ingest/chunk.js';
import { decodeText } from '../ingest/parsers/text-encoding.js';
import { loadConfig, PROJECT_ROOT } from '../src/config.js';
import { createEmbedder } from '../src/embeddings/index.js';
import { loadEngine } from '../src/engine.js';

const SEED = readFileSync(
  path.join(PROJECT_ROOT, 'corpus', 'shanxi-2021-law-based-government-report.txt'),
  'utf8',
);

async function docxOf(paragraphs: string[]): Promise<Buffer> {
  return Packer.toBuffer(
    new Document({ sections: [{ children: paragraphs.map((text) => new Paragraph({ text })) }] }),
  );
}

async function pdfOf(pages: number): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', autoFirstPage: false });
  const parts: Buffer[] = [];
  doc.on('data', (b: Buffer) => parts.push(b));
  const done = new Promise<void>((resolve) => doc.on('end', () => resolve()));
  for (let i = 0; i < pages; i++) doc.addPage().text(`Page ${i + 1} of a long annual report.`);
  doc.end();
  await done;
  return Buffer.concat(parts);
}

describe('ingest of bad files', () => {
  let work: string;
  let corpus: string;
  let indexDir: string;
  let report: IngestReport;
  const reasonOf = (docId: string) => report.failed.find((f) => f.docId === docId);

  beforeAll(async () => {
    work = mkdtempSync(path.join(tmpdir(), 'wenzheng-badfiles-'));
    corpus = path.join(work, 'corpus');
    indexDir = path.join(work, 'index');
    mkdirSync(corpus);
    writeFileSync(path.join(corpus, 'gbk-report.txt'), iconv.encode(SEED, 'gbk'));
    writeFileSync(
      path.join(corpus, 'utf16-report.txt'),
      Buffer.concat([
        Buffer.from([0xff, 0xfe]),
        iconv.encode(SEED.replace(/山西/g, '河东'), 'utf-16le'),
      ]),
    );
    writeFileSync(
      path.join(corpus, 'utf16be-nobom.txt'),
      iconv.encode(SEED.replace(/山西/g, '河西'), 'utf-16be'),
    );
    writeFileSync(
      path.join(corpus, 'program.txt'),
      readFileSync(process.execPath).subarray(0, 256 * 1024),
    );
    writeFileSync(path.join(corpus, 'noise.txt'), randomBytes(128 * 1024));
    // 2 MB of XML in a Word file of a few KB: over the 1 MB limit of this test.
    writeFileSync(path.join(corpus, 'bomb.docx'), await docxOf(['法治政府建设。'.repeat(300_000)]));
    writeFileSync(
      path.join(corpus, 'many.docx'),
      await docxOf(Array.from({ length: 300 }, (_, i) => `第${i}段。`)),
    );
    writeFileSync(path.join(corpus, 'long.pdf'), await pdfOf(6));
    const config = loadConfig({
      root: PROJECT_ROOT,
      env: { LOG_LEVEL: 'silent', CORPUS_DIR: corpus, INDEX_DIR: indexDir },
    });
    report = await buildIndex({
      corpusDir: corpus,
      indexDir,
      embedder: createEmbedder(config),
      limits: { maxUncompressedBytes: 1024 * 1024, maxParagraphs: 200, maxPdfPages: 5 },
    });
  }, 120_000);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('converts GBK and UTF-16 reports and answers from them', async () => {
    expect(report.added).toEqual(
      expect.arrayContaining(['gbk-report.txt', 'utf16-report.txt', 'utf16be-nobom.txt']),
    );
    const config = loadConfig({
      root: PROJECT_ROOT,
      env: { LOG_LEVEL: 'silent', INDEX_DIR: indexDir },
    });
    const engine = await loadEngine(config);
    const titles = engine.documents().map((d) => d.title);
    expect(titles.some((t) => t.includes('山西'))).toBe(true);
    expect(titles.some((t) => t.includes('河东'))).toBe(true);
    const answer = await engine.ask('2021年山西办理了多少件行政复议案件？');
    expect(answer.citations.length).toBeGreaterThan(0);
    expect(answer.citations.every((c) => !c.text.includes('\ufffd'))).toBe(true);
  });

  it('refuses an executable and random bytes as binary, with a reason', () => {
    expect(reasonOf('program.txt')).toMatchObject({ code: 'FILE_BINARY' });
    expect(reasonOf('program.txt')?.reason).toContain('ELF');
    expect(reasonOf('noise.txt')).toMatchObject({ code: 'FILE_BINARY' });
  });

  it('refuses a Word file that expands past the limit, one with too many paragraphs and a PDF with too many pages', () => {
    expect(reasonOf('bomb.docx')).toMatchObject({ code: 'FILE_TOO_LARGE' });
    expect(reasonOf('bomb.docx')?.reason).toContain('INGEST_MAX_UNCOMPRESSED_BYTES');
    expect(reasonOf('many.docx')).toMatchObject({ code: 'FILE_TOO_LARGE' });
    expect(reasonOf('many.docx')?.reason).toContain('300 个段落');
    expect(reasonOf('long.pdf')).toMatchObject({ code: 'FILE_TOO_LARGE' });
    expect(reasonOf('long.pdf')?.reason).toContain('6 页');
    expect(report.failed).toHaveLength(5);
  });

  it('decodes GBK without a BOM and refuses text it cannot read', () => {
    expect(decodeText(iconv.encode('全年办理行政复议案件2968件。', 'gbk'))).toBe(
      '全年办理行政复议案件2968件。',
    );
    expect(() => decodeText(Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]))).toThrow(
      expect.objectContaining({ code: 'FILE_BINARY' }),
    );
  });

  it('cuts a long text without full stops into passages of the usual size', () => {
    const text = '很长的一段没有标点的文字'.repeat(50_000);
    const chunks = chunkDocument('long.txt', text, {
      title: null,
      sections: [],
      paragraphs: [{ start: 0, end: text.length, path: [], period: 'other' }],
    });
    expect(chunks.length).toBeGreaterThan(2000);
    expect(Math.max(...chunks.slice(0, 5000).map((c) => c.text.length))).toBeLessThanOrEqual(200);
    expect(chunks.every((c) => text.slice(c.start, c.end) === c.text)).toBe(true);
  });
});
