import { describe, expect, it } from 'vitest';
import { DocumentCatalog, regionKey } from '../src/retrieval/scope.js';
import { yearsStated } from '../src/text/figures.js';
import { analyzeQuestion } from '../src/retrieval/query.js';
import { loadLexicon } from '../src/text/lexicon.js';
import type { DocumentMeta } from '../src/types.js';

const doc = (docId: string, region: string | null, reportYear: number | null): DocumentMeta => ({
  docId,
  title: docId,
  source: '',
  issuer: '',
  publishedAt: null,
  reportYear,
  reviewYear: reportYear === null ? null : reportYear - 1,
  planYear: reportYear,
  region,
  docType: '政府工作报告',
  hash: '0'.repeat(64),
  chars: 100,
});

const catalog = new DocumentCatalog([
  doc('gd-2025', '广东', 2025),
  doc('gd-2026', '广东', 2026),
  doc('nm-2026', '内蒙古', 2026),
  doc('cn-2024', '全国', 2024),
  doc('note', null, null),
]);
const passing = (f: Parameters<DocumentCatalog['filter']>[0]) => {
  const allows = catalog.filter(f);
  return allows ? ['gd-2025', 'gd-2026', 'nm-2026', 'cn-2024', 'note'].filter(allows) : 'all';
};

describe('document filters of a passage search', () => {
  it('reads a region as the documents store it', () => {
    expect(regionKey('山西省')).toBe('山西');
    expect(regionKey('上海市')).toBe('上海');
    expect(regionKey('内蒙古自治区')).toBe('内蒙古');
    expect(regionKey('广西壮族自治区')).toBe('广西');
    expect(regionKey('国务院')).toBe('全国');
    expect(regionKey('广东')).toBe('广东');
  });

  it('passes every document when no filter is set', () => {
    expect(passing({})).toBe('all');
  });

  it('narrows by document, report year and region, all together', () => {
    expect(passing({ doc: 'gd-2026' })).toEqual(['gd-2026']);
    expect(passing({ year: 2026 })).toEqual(['gd-2026', 'nm-2026']);
    expect(passing({ region: '广东省' })).toEqual(['gd-2025', 'gd-2026']);
    expect(passing({ region: '内蒙古自治区', year: 2026 })).toEqual(['nm-2026']);
    expect(passing({ region: '国务院' })).toEqual(['cn-2024']);
    expect(passing({ region: '广东', year: 2024 })).toEqual([]);
    expect(passing({ doc: 'gd-2025', year: 2026 })).toEqual([]);
  });

  it('knows which document ids it holds', () => {
    expect(catalog.has('note')).toBe(true);
    expect(catalog.has('missing')).toBe(false);
  });
});

describe('document scope: the denied set', () => {
  const docs = [
    doc('gd-2025', '广东', 2025),
    doc('gd-2026', '广东', 2026),
    doc('bj-2026', '北京', 2026),
    doc('cn-2024', '全国', 2024),
    doc('page', null, null),
    { ...doc('undated-gd', '广东', null) },
    { ...doc('unplaced-2026', null, 2026) },
  ];
  const asked = (places: string[], years: number[]) =>
    ({ places, time: { years } }) as unknown as Parameters<DocumentCatalog['scope']>[0];
  const cases: Array<[string[], number[]]> = [
    [[], []],
    [['广东'], []],
    [[], [2026]],
    [['广东'], [2026]],
    [['北京', '广东'], [2025]],
    [['全国'], []],
    [['西藏'], []],
    [[], [1990]],
    [['西藏'], [1990]],
  ];

  it.each(cases)('is exactly what allows rules out (places %j, years %j)', (places, years) => {
    for (const corpus of [docs, docs.filter((d) => d.region && years.length === 0)]) {
      const scope = new DocumentCatalog(corpus).scope(asked(places, years));
      const ruledOut = corpus.filter((d) => !scope.allows(d.docId)).map((d) => d.docId);
      expect([...scope.denied].sort()).toEqual(ruledOut.sort());
    }
  });

  it('is the same set for the same places and years', () => {
    const catalog = new DocumentCatalog(docs);
    const a = catalog.scope(asked(['广东'], [2026]));
    const b = catalog.scope(asked(['广东'], [2026]));
    expect(b.denied).toBe(a.denied);
    expect([...a.denied].sort()).toEqual(['bj-2026', 'cn-2024', 'gd-2025']);
  });
});

describe('years a report states figures of', () => {
  it('reads a year a figure is written right after, not a date', () => {
    expect(yearsStated('全省生产总值从2020年的3.68万亿元增长到2025年的4.93万亿元')).toEqual([
      2020, 2025,
    ]);
    expect(yearsStated('截至2023年底57.7%的村通了公交')).toEqual([2023]);
    expect(yearsStated('2025年12月31日起施行,2025年1—11月增长5%')).toEqual([]);
    expect(yearsStated('2019年全省开展专项行动')).toEqual([]);
  });

  it('lets a year no report is about be answered by the reports of the place that state it', () => {
    const docs = [
      { ...doc('hb-2026', '河北', 2026), statedYears: [2020] },
      { ...doc('gd-2026', '广东', 2026), statedYears: [2019] },
    ];
    const asked = (places: string[], years: number[]) =>
      ({ places, time: { years } }) as unknown as Parameters<DocumentCatalog['scope']>[0];
    const c = new DocumentCatalog(docs);
    const hebei = c.scope(asked(['河北'], [2020]));
    expect(hebei.uncovered).toEqual([]);
    expect(hebei.docIds).toEqual(['hb-2026']);
    expect(hebei.allows('gd-2026')).toBe(false);
    // Stated only by another place's report: still a year no report of 广东 covers.
    expect(c.scope(asked(['广东'], [2020])).uncovered).toEqual(['2020年']);
    // A year some report is about is read from those reports alone.
    expect(c.scope(asked([], [2025])).docIds).toEqual(['hb-2026', 'gd-2026']);
  });
});

describe('what the reports of each place cover', () => {
  it('covers a year some report is about for every sentence, and any year for a document without one', () => {
    // catalog: reports about 2023 to 2026 and one undated note.
    expect(catalog.covers(2025, doc('gd-2026', '广东', 2026))).toBe(true);
    expect(catalog.covers(2024, doc('nm-2026', '内蒙古', 2026))).toBe(true);
    // No report is about 2019: a report's sentence answers it only by a figure written with it,
    expect(catalog.covers(2019, doc('gd-2026', '广东', 2026))).toBe(false);
    // while the undated note is read as ever.
    expect(catalog.covers(2019, doc('note', null, null))).toBe(true);
  });
  it('knows the newest report of each place, and the years its reports review', () => {
    expect(catalog.isNewest(doc('gd-2025', '广东', 2025))).toBe(false);
    expect(catalog.isNewest(doc('gd-2026', '广东', 2026))).toBe(true);
    expect(catalog.isNewest(doc('nm-2026', '内蒙古', 2026))).toBe(true);
    expect(catalog.isNewest(doc('note', null, null))).toBe(true);
    expect([...catalog.reviewedBy(doc('gd-2025', '广东', 2025))].sort()).toEqual([2024, 2025]);
    expect([...catalog.reviewedBy(doc('nm-2026', '内蒙古', 2026))]).toEqual([2025]);
    // without a place: the years every report reviews
    expect([...catalog.reviewedBy(doc('note', null, null))].sort()).toEqual([2023, 2024, 2025]);
  });
});

describe('the reports a question about a report means', () => {
  const lexicon = loadLexicon();
  const asked = (q: string) => {
    const a = analyzeQuestion(q, { lexicon });
    return catalog.reportsAsked(a, catalog.scope(a));
  };
  it('takes a year named with the report as the report’s own year', () => {
    expect(asked('2025年广东省政府工作报告是哪位省长作的')).toEqual(['gd-2025']);
    expect(asked('2026年广东省政府工作报告是谁作的')).toEqual(['gd-2026']);
  });
  it('keeps every report of the place when no year is named, and every report without either', () => {
    expect(asked('广东省政府工作报告是谁作的').sort()).toEqual(['gd-2025', 'gd-2026']);
    expect(asked('这份报告是谁作的')).toHaveLength(5);
  });
});
