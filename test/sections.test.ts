import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cleanText } from '../ingest/clean.js';
import { findStructure, OPENING, PLAN_SECTION, SHORTCOMINGS_SECTION } from '../ingest/sections.js';

const raw = readFileSync(
  new URL('../corpus/shanxi-2021-law-based-government-report.txt', import.meta.url),
  'utf8',
);
const { text } = cleanText(raw);

describe('sections', () => {
  const s = findStructure(text, {
    title: '2021年度山西省法治政府建设年度报告',
    defaultPeriod: 'review',
  });
  const paths = s.sections.map((x) => x.path.join(' > '));

  it('finds the eight numbered headings and the untitled parts, in order', () => {
    expect(paths[0]).toBe(OPENING);
    expect(paths.slice(1, 9).map((p) => p.slice(0, 2))).toEqual([
      '一、',
      '二、',
      '三、',
      '四、',
      '五、',
      '六、',
      '七、',
      '八、',
    ]);
    expect(paths).toContain('七、着力提升法律服务质量,矛盾纠纷化解方式持续改进');
    expect(paths.slice(-2)).toEqual([SHORTCOMINGS_SECTION, PLAN_SECTION]);
  });

  it('gives every paragraph a section and marks the plan for the next year', () => {
    expect(s.paragraphs.every((p) => p.path.length > 0)).toBe(true);
    const plan = s.paragraphs.find((p) => text.slice(p.start, p.end).startsWith('今年是'));
    expect(plan?.path).toEqual([PLAN_SECTION]);
    expect(plan?.period).toBe('plan');
    const shortcomings = s.paragraphs.find((p) =>
      text.slice(p.start, p.end).startsWith('同时我们清醒地认识到'),
    );
    expect(shortcomings?.path).toEqual([SHORTCOMINGS_SECTION]);
  });

  it('nests （一） and 1. headings under their chapter, inline or on their own line', () => {
    const doc = [
      '报告',
      '一、总体情况',
      '（一）坚持稳中求进。全年做了很多事。',
      '1.法律援助',
      '受理案件100件。',
      '二、下一步',
    ].join('\n');
    const st = findStructure(doc, { title: '报告' });
    const para = st.paragraphs.find((p) => doc.slice(p.start, p.end) === '受理案件100件。');
    expect(para?.path).toEqual(['一、总体情况', '（一）坚持稳中求进', '1.法律援助']);
  });
});

describe('unnumbered chapter titles', () => {
  const text = [
    '2025年某省政府工作报告',
    '各位代表：',
    '2024年工作回顾',
    '过去一年，全省生猪出栏6150万头。',
    '（一）持续推进城乡融合发展。新开工改造老旧小区8523个。',
    '“十五五”时期的主要目标任务',
    '“十五五”时期，要努力实现以下目标任务：',
    '居民收入增长和经济增长同步。',
    '2025年重点工作',
    '重点抓好八个方面工作：',
    '（一）扩大内需。新改建农村公路8000公里。',
  ].join('\n');
  const s = findStructure(text, { title: '2025年某省政府工作报告' });
  const periodOf = (words: string) =>
    s.paragraphs.find((p) => text.slice(p.start, p.end).includes(words))?.period;

  it('opens a chapter at a short line that names its period, with or without a number', () => {
    expect(s.sections.map((x) => x.path[0])).toEqual([
      OPENING,
      '2024年工作回顾',
      '2024年工作回顾',
      '“十五五”时期的主要目标任务',
      '2025年重点工作',
      '2025年重点工作',
    ]);
    expect(periodOf('6150万头')).toBe('review');
    expect(periodOf('8523个')).toBe('review');
    expect(periodOf('经济增长同步')).toBe('plan');
    expect(periodOf('8000公里')).toBe('plan');
  });

  it('does not take a sentence ending in a colon for a chapter title', () => {
    expect(s.sections.some((x) => x.path[0]!.startsWith('“十五五”时期，'))).toBe(false);
    expect(s.sections.some((x) => x.path[0]!.startsWith('重点抓好'))).toBe(false);
  });
});

describe('chapters after the plan has begun', () => {
  const text = [
    '一、2025年工作回顾',
    '城镇新增就业48万人。',
    '二、2026年工作安排',
    '城镇新增就业45万人以上。',
    '三、全面加强政府自身建设',
    '压减一般性支出5%以上。',
    '附件',
    '1.新增普惠托位2万个。',
  ].join('\n');
  const s = findStructure(text, {});
  const periodOf = (needle: string) =>
    s.paragraphs.find((p) => text.slice(p.start, p.end).includes(needle))?.period;

  it('are still the plan when their headings say no period of their own', () => {
    expect(periodOf('48万人')).toBe('review');
    expect(periodOf('45万人')).toBe('plan');
    expect(periodOf('压减')).toBe('plan');
    const item = s.sections.find((x) => x.path.some((h) => h.includes('2万个')));
    expect(item?.period).toBe('plan');
  });

  it('are not the plan before it begins', () => {
    const before = findStructure(
      '一、总体情况\n完成投资5亿元。\n二、2026年工作安排\n再投5亿元。',
      {},
    );
    expect(before.paragraphs[0]!.period).toBe('other');
    expect(before.paragraphs[1]!.period).toBe('plan');
  });
});
