import { describe, expect, it } from 'vitest';
import { figureTime } from '../src/facts/fact.js';
import {
  askedChange,
  plainLevelAsked,
  namesChange,
  pairItems,
  changeOrLevelAsked,
  askedKind,
  asksYears,
  figureChange,
  figureKind,
  figureSpan,
  figureSpanIn,
  paragraphOpening,
  perHead,
} from '../src/text/figure-kind.js';
import { figureYear } from '../src/facts/fact.js';

describe('figure-kind', () => {
  it('tells a target from a result, a rank and a share', () => {
    expect(figureKind('地区生产总值增长5%左右')).toBe('target');
    expect(figureKind('力争城镇新增就业45万人')).toBe('target');
    expect(figureKind('城镇新增就业47.3万人')).toBe('actual');
    expect(figureKind('城镇新增就业47.3万人', 'plan')).toBe('target');
    expect(figureKind('经济总量居全国第3位')).toBe('rank');
    expect(figureKind('新能源装机占比55.1%')).toBe('share');
  });

  it('tells a year from a five-year span, a yearly average and a running total', () => {
    expect(figureSpan('全年增长5.4%')).toBe('year');
    expect(figureSpan('“十五五”时期年均增长5%—5.5%')).toBe('average');
    expect(figureSpan('每年城镇新增就业60万人以上')).toBe('average');
    expect(figureSpan('十四五期间完成投资1.2万亿元')).toBe('five-year');
    expect(figureSpan('累计调解纠纷12.16万件')).toBe('cumulative');
  });

  it('reads the span of a figure in its sentence and paragraph when its clause does not say', () => {
    const text = '城镇新增就业48万人。\n这五年，民生保障扎实稳固，城镇新增就业452万人。';
    const opening = paragraphOpening(text, text.indexOf('城镇新增就业452'));
    expect(opening).toBe('这五年');
    expect(paragraphOpening(text, 3)).toBe('城镇新增就业48万人');
    expect(figureSpanIn('城镇新增就业452万人', '民生保障扎实稳固，', opening)).toBe('five-year');
    // The sentence names its year: that year, whatever the paragraph opened with.
    expect(figureSpanIn('城镇新增就业48万人', '2025年，', opening)).toBe('year');
    expect(figureSpanIn('2025年城镇新增就业48万人', '', opening)).toBe('year');
    expect(figureSpanIn('新增就业10万人', '每年投资5000亿元，', '')).toBe('year');
    expect(figureSpanIn('城镇新增就业48万人', '', '刚刚过去的2025年')).toBe('year');
    expect(figureSpanIn('地区生产总值增长5%以上', '', '今年是“十五五”起步之年')).toBe('year');
    // Neither clause nor paragraph says: the nearest heading naming a span or a year does.
    const goals = ['2026年贵州省政府工作报告', '二、“十五五”时期主要目标任务'];
    expect(
      figureSpanIn('常住人口城镇化率达63%左右', '', '——高质量发展取得显著成效', '', goals),
    ).toBe('five-year');
    const review = ['2026年某省政府工作报告', '一、2025年和“十四五”时期工作回顾'];
    expect(figureSpanIn('城镇新增就业48万人', '', '民生保障扎实稳固', '', review)).toBe('year');
    expect(figureSpanIn('城镇新增就业48万人', '', '今年是“十五五”起步之年', '', goals)).toBe(
      'year',
    );
    // In a document, only a plan's headings are read: a five-year review chapter also holds
    // the last year's account under no heading of its own.
    const sentence = '规上原煤产量12.9亿吨';
    const years = { reportYear: 2026, reviewYear: 2025, planYear: 2026 };
    const at = (period: 'plan' | 'review', headings: string[]) =>
      figureTime(
        sentence,
        0,
        sentence,
        { start: 0, end: sentence.length },
        6,
        years,
        period,
        headings.join(' > '),
      ).span;
    expect(at('review', ['一、“十四五”时期工作回顾'])).toBe('year');
    expect(at('plan', ['二、“十五五”时期总体要求和目标任务'])).toBe('five-year');
    // A level reached is where the five years ended: the last year's.
    const level = '人均预期寿命从80.2岁提升至82.5岁';
    expect(figureSpanIn(level, '', '这五年', '人均预期寿命从80.2岁提升至')).toBe('year');
    // A five-year figure is about no single year of the report.
    const meta = { reportYear: 2026, reviewYear: 2025, planYear: 2026 };
    expect(figureYear('城镇新增就业452万人', 6, meta, 'review', 'five-year')).toBeNull();
    expect(figureYear('城镇新增就业48万人', 6, meta, 'review')).toBe(2025);
  });

  it('reads what a question asks for', () => {
    expect(askedKind('2026年GDP增长目标是多少')).toEqual({ target: true, span: 'year' });
    expect(askedKind('去年实际增长了多少')).toEqual({ target: false, span: 'year' });
    expect(askedKind('十四五期间年均增长多少')).toEqual({ target: null, span: 'average' });
    expect(askedKind('城镇新增就业多少人')).toEqual({ target: null, span: 'year' });
    expect(askedKind('十四五末城镇化率是多少').span).toBe('year');
    expect(askedKind('这五年人均寿命提高到多少').span).toBe('year');
    expect(askedKind('十四五期间一共新增多少').span).toBe('five-year');
  });
});

describe('change or level', () => {
  it('reads the words before a figure', () => {
    expect(figureChange('新增运营里程')).toBe('change');
    expect(figureChange('运营里程达到')).toBe('level');
    expect(figureChange('从4.16万亿元增加到')).toBe('level');
    expect(figureChange('城镇调查失业率')).toBeNull();
    expect(figureChange('全省生产总值连续跨越')).toBe('level');
  });
  it('reads what a question asks', () => {
    expect(askedChange('地铁一共有多长')).toBe('level');
    expect(askedChange('去年新增了多少托位')).toBe('change');
    // A level word beside a change word counts the change in full.
    expect(askedChange('去年城里一共新增了多少就业')).toBe('change');
    expect(askedChange('这五年累计新建了多少公里')).toBe('change');
    expect(askedChange('粮食产量多少')).toBeNull();
    expect(askedChange('人均寿命提高到多少')).toBe('level');
    expect(askedChange('细颗粒物 降幅')).toBe('change');
    // Everyday ways of asking a change: 新 or 多 before a verb, building, growing.
    expect(askedChange('去年城里新找到工作的有多少人')).toBe('change');
    expect(askedChange('每人每月能多拿多少补贴')).toBe('change');
    expect(askedChange('今年要建多少个社区食堂')).toBe('change');
    expect(askedChange('经济长了多少')).toBe('change');
    expect(askedChange('新能源汽车有多少辆')).toBeNull();
    // A plain question asks the level; a target asked may be either (增长5%左右).
    expect(plainLevelAsked('粮食产量是多少', false)).toBe(true);
    expect(plainLevelAsked('广东2026 GDP 目标', false)).toBe(false);
  });
  it('reads a plain 「X是多少」 as asking the level, unless a rate is asked', () => {
    expect(changeOrLevelAsked('粮食产量是多少', false)).toBe('level');
    expect(changeOrLevelAsked('粮食产量比上年增加了多少', false)).toBe('change');
    expect(changeOrLevelAsked('粮食产量下降了多少', false)).toBeNull();
    expect(changeOrLevelAsked('经济增速是多少', true)).toBeNull();
  });
  it('writes out a word that names two things in one', () => {
    expect(pairItems('城乡居民收入')).toEqual(['城镇', '农村']);
    expect(pairItems('地区生产总值')).toBeNull();
  });
  it('tells a text that names a change anywhere', () => {
    expect(namesChange('粮食产量比上年增加了多少')).toBe(true);
    expect(namesChange('失业率下降到多少')).toBe(true);
    expect(namesChange('粮食产量多少')).toBe(false);
  });
});

describe('figures per person or household', () => {
  it('knows 人均, 户均 and 每千人 from a total', () => {
    expect(perHead('居民人均可支配收入提高到5.4万元')).toBe(true);
    expect(perHead('每千人口3岁以下婴幼儿托位数达4.76个')).toBe(true);
    expect(perHead('全省地区生产总值达到4.93万亿元')).toBe(false);
    // 平均 a few characters before a person's lifetime or income is per person too.
    expect(perHead('浙江人到2025年平均能活到多少岁了')).toBe(true);
    expect(perHead('上海去年老百姓平均一人到手收入有多少')).toBe(true);
    expect(perHead('PM2.5平均浓度是多少')).toBe(false);
    expect(perHead('这五年平均每年增长多少')).toBe(false);
  });
});

describe('a question asking how many years', () => {
  it('asks with 几年 or 多久, not with 这几年 saying when', () => {
    expect(asksYears('连续几年保持第一')).toBe(true);
    expect(asksYears('这几年一直是几类水')).toBe(false);
    expect(asksYears('最近几年新建了多少学校')).toBe(false);
  });
});
