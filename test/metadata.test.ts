import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cleanText, htmlToText } from '../ingest/clean.js';
import { detectYears, extractMetadata } from '../ingest/metadata.js';

describe('metadata', () => {
  it('extracts title, date, source and reporting year from the seed report', () => {
    const raw = readFileSync(
      new URL('../corpus/shanxi-2021-law-based-government-report.txt', import.meta.url),
      'utf8',
    );
    const { text, metaLines } = cleanText(raw);
    const meta = extractMetadata({ docId: 'shanxi.txt', text, metaLines, hash: 'h' });
    expect(meta).toMatchObject({
      title: '2021年度山西省法治政府建设年度报告',
      publishedAt: '2022-08-16',
      source: '山西省人民政府',
      reportYear: 2021,
      reviewYear: 2021,
      planYear: 2022,
      region: '山西',
      docType: '法治政府建设年度报告',
    });
  });

  it('reads a government work report as reviewing the year before its title year', () => {
    expect(detectYears('2026年上海市政府工作报告', 'x.txt', '2026-02-09')).toEqual({
      reportYear: 2026,
      reviewYear: 2025,
      planYear: 2026,
    });
  });

  it('lets a sidecar override detected fields', () => {
    const meta = extractMetadata({
      docId: 'a.txt',
      text: '某某报告\n正文。',
      metaLines: [],
      hash: 'h',
      overrides: { region: '太原', title: '太原市报告' },
    });
    expect(meta.region).toBe('太原');
    expect(meta.title).toBe('太原市报告');
  });

  it('takes the original address from the sidecar, or from the scraped page, and only http(s)', () => {
    const base = { docId: 'a.txt', text: '某某报告\n正文。', metaLines: [], hash: 'h' };
    expect(
      extractMetadata({ ...base, overrides: { sourceUrl: 'https://www.gd.gov.cn/post_1.html' } })
        .sourceUrl,
    ).toBe('https://www.gd.gov.cn/post_1.html');
    expect(
      extractMetadata({ ...base, overrides: { sourceUrl: 'javascript:alert(1)' } }),
    ).not.toHaveProperty('sourceUrl');
    expect(extractMetadata(base)).not.toHaveProperty('sourceUrl');
    const page =
      '<html><head><link rel="canonical" href="https://www.yn.gov.cn/t1.html?a=1&amp;b=2"></head><body><h1>2026年云南省政府工作报告</h1><p>正文。</p></body></html>';
    const { text, metaLines } = cleanText(htmlToText(page));
    expect(text).not.toContain('http');
    expect(extractMetadata({ ...base, text, metaLines }).sourceUrl).toBe(
      'https://www.yn.gov.cn/t1.html?a=1&b=2',
    );
  });
});
