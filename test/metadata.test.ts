import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cleanText, htmlToText } from '../ingest/clean.js';
import { detectDelivery, detectYears, extractMetadata } from '../ingest/metadata.js';

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

  it('keeps the years the text states a figure of, and none when it states no such figure', () => {
    const base = { docId: 'a.txt', metaLines: [], hash: 'h' };
    const text = '2026年某省政府工作报告\n生产总值从2020年的3.68万亿元增长到2025年的4.93万亿元。';
    expect(extractMetadata({ ...base, text }).statedYears).toEqual([2020, 2025]);
    expect(extractMetadata({ ...base, text: '某某报告\n2025年1—11月增长5%。' })).not.toHaveProperty(
      'statedYears',
    );
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

describe('delivery of a report', () => {
  it('reads the session date and the speaker from the opening lines', () => {
    const text =
      '2026年浙江省政府工作报告\n2026年1月14日在浙江省第十四届人民代表大会第四次会议上\n来源：浙江日报\n浙江省省长 刘捷\n各位代表：\n现在，我代表省人民政府……省长要求';
    const d = detectDelivery(text)!;
    expect(d).toMatchObject({
      date: '2026-01-14',
      occasion: '浙江省第十四届人民代表大会第四次会议',
      speaker: '刘捷',
      role: '省长',
    });
    expect(text.slice(d.start, d.end)).toMatch(/^2026年1月14日.*刘捷$/s);
  });
  it('reads a speaker written inside the session line, and a name with a space', () => {
    expect(
      detectDelivery(
        '报告\n2025年1月17日在山西省第十四届人民代表大会第三次会议上山西省省长金湘军作政府工作报告\n各位代表：',
      ),
    ).toMatchObject({ speaker: '金湘军', role: '省长' });
    const inline =
      '报告\n2025年1月19日在江苏省第十四届人民代表大会第三次会议上省长许昆林作政府工作报告\n各位代表：';
    const d = detectDelivery(inline)!;
    expect(inline.slice(d.start, d.end)).toMatch(/许昆林作政府工作报告$/);
  });
  it('cites the line under the name that says the speaker delivered the report', () => {
    const text =
      '报告\n——2026年1月26日在天津市第十八届人民代表大会第四次会议上\n天津市市长 张工\n张工作政府工作报告。\n各位代表：';
    const d = detectDelivery(text)!;
    expect(d.speaker).toBe('张工');
    expect(text.slice(d.start, d.end)).toMatch(/^2026年1月26日.*\n张工作政府工作报告$/s);
    expect(detectDelivery('报告\n上海市市长 龚 正\n各位代表：')).toMatchObject({
      speaker: '龚正',
      date: null,
    });
  });
  it('is absent when the head names neither, and never reads the body', () => {
    expect(detectDelivery('某某通知\n各位代表：\n省长 张三\n')).toBeNull();
    expect(detectDelivery('一份百科条目，没有会议也没有省长。')).toBeNull();
  });
});
