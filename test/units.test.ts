import { describe, expect, it } from 'vitest';
import {
  askedFamily,
  familyAnswers,
  parseUnits,
  unitFamily,
  unitTable,
} from '../src/text/units.js';
import { findFigures, figuresOf, partOfName } from '../src/text/figures.js';

describe('units vocabulary', () => {
  it('parses families and question wordings, longest unit first', () => {
    const t = parseUnits('# c\n长度: 米 公里\n人数: 人 人次\n多长 = 长度\n');
    expect(t.units).toEqual(['公里', '人次', '米', '人']);
    expect(t.family.get('公里')).toBe('长度');
    expect(askedFamily('地铁一共有多长', t)).toBe('长度');
    expect(askedFamily('有多少家', t)).toBeNull();
  });
  it('refuses a unit in two families and a wording naming no family', () => {
    expect(() => parseUnits('甲: 米\n乙: 米\n')).toThrow(/two families/);
    expect(() => parseUnits('甲: 米\n多重 = 重量\n')).toThrow(/names no family/);
    expect(() => parseUnits('不是一行单位\n')).toThrow(/units.txt:1/);
  });
  it('puts people and person-times in one family, with 万 before a unit ignored', () => {
    expect(unitFamily('人次')).toBe(unitFamily('人'));
    expect(unitFamily('万人')).toBe(unitFamily('人'));
    expect(unitFamily('公里')).toBe(unitFamily('米'));
    expect(unitFamily('公里')).not.toBe(unitFamily('人'));
    expect(unitFamily('不是单位')).toBeNull();
  });
  it('reads 多少 followed by people (多少旅客, 多少毕业生) as asking how many people', () => {
    expect(askedFamily('邮轮母港去年接了多少旅客')).toBe(unitFamily('人'));
    expect(askedFamily('今年要招多少毕业生')).toBe(unitFamily('人'));
    // Not a person: a count of things.
    expect(askedFamily('新建多少学校')).not.toBe(unitFamily('人'));
  });
  it('the built-in table is what figures are read with', () => {
    expect(unitTable().units.length).toBeGreaterThan(80);
    expect(findFigures('粮食总产740亿斤').map((f) => f.unit)).toEqual(['斤']);
    expect(findFigures('运营里程达到906公里').map((f) => f.unit)).toEqual(['公里']);
  });

  it('lets a figure of an alike family answer (几个 asks 个数; 3家 answers)', () => {
    const t = parseUnits('个数: 个\n机构: 家 所\n长度: 米\n个数 ~ 机构\n');
    expect(t.alike.get('个数')).toEqual(new Set(['机构']));
    expect(() => parseUnits('个数: 个\n个数 ~ 没有\n')).toThrow(/names no family/);
    expect(familyAnswers(unitFamily('个')!, unitFamily('家'))).toBe(true);
    expect(familyAnswers(unitFamily('个')!, unitFamily('公里'))).toBe(false);
    expect(familyAnswers(unitFamily('家')!, unitFamily('个'))).toBe(false);
  });
  it('reads a magnitude written without digits and a grade in Roman numerals', () => {
    expect(findFigures('普惠小微企业贷款余额超万亿元').map((f) => [f.raw, f.value])).toEqual([
      ['超万亿元', 1e12],
    ]);
    expect(findFigures('带动近千人就业').map((f) => f.value)).toEqual([1000]);
    expect(findFigures('水质保持在地表水Ⅲ类').map((f) => [f.raw, f.value, f.unit])).toEqual([
      ['Ⅲ类', 3, '类'],
    ]);
    expect(findFigures('水质连续8年稳定在II类').map((f) => f.raw)).toEqual(['8年', 'II类']);
    expect(findFigures('发展AI类产业')).toEqual([]);
  });
  it('reads the people counted when the question names them', () => {
    expect(askedFamily('来旅游的人一共有多少')).toBe(unitFamily('人'));
    expect(askedFamily('参保人数是多少')).toBe(unitFamily('人'));
  });
});

describe('a figure that is part of a name', () => {
  const classes = (t: string) =>
    figuresOf(t)
      .filter((f) => partOfName(t, f))
      .map((f) => f.raw);
  it('is a sum of money right before the things it classes, not a quantity stated', () => {
    expect(classes('东莞长安成为全省第3个地区生产总值超千亿元镇')).toEqual(['千亿元']);
    expect(classes('打造10个千亿元园区')).toEqual(['千亿元']);
    expect(classes('地区生产总值迈上14万亿元新台阶')).toEqual([]);
    expect(classes('124个镇获评全国千强镇')).toEqual([]);
    expect(classes('经济总量超千亿元的县域达12个')).toEqual(['千亿元']);
    expect(classes('新开工5000万元以上的项目300个')).toEqual(['5000万元']);
    expect(classes('实现地区生产总值5万亿元的目标')).toEqual([]);
  });
  it('is a number in Chinese numerals inside quotation marks, the name of a policy', () => {
    expect(classes('全面推行行政执法“三项制度”')).toEqual(['三项']);
    expect(classes('取消三项证明事项')).toEqual([]);
    expect(classes('“放管服”改革取消证明事项1000项')).toEqual([]);
    expect(classes('“三项制度”落实后，又取消了两项')).toEqual(['三项']);
  });
});
