import { describe, expect, it } from 'vitest';
import {
  checkAnswer,
  createMarkerFilter,
  normalizeMarkers,
  unreadable,
} from '../src/answer/checks.js';
import { findFigures, figureKey, normalizeFigureText } from '../src/text/figures.js';

const P = [
  {
    title: '2021年度山西省法治政府建设年度报告',
    section: '六、监督',
    text: '省政府主动接受人大、政协监督,全年办理人大代表建议811件、政协提案870件。',
  },
  {
    title: '2021年度山西省法治政府建设年度报告',
    section: '七、法律服务',
    text: '为群众免费提供法律咨询46.4万人次,受理特殊群体法律援助案件1.87万件。',
  },
  {
    title: '2021年度山西省法治政府建设年度报告',
    section: '八、数字化',
    text: '全省行政审批事项“全程网办”率达90%以上。条例自2022年8月16日起施行。',
  },
];

describe('checks', () => {
  it('accepts figures that occur in the cited passage and renumbers markers in citation order', () => {
    const r = checkAnswer('法律咨询46.4万人次[2]，办理人大代表建议811件[1]。', P);
    expect(r).toEqual({
      ok: true,
      text: '法律咨询46.4万人次[1]，办理人大代表建议811件[2]。',
      cited: [1, 0],
      removedMarkers: [],
    });
  });

  it('removes markers that name no given passage', () => {
    const r = checkAnswer('办理人大代表建议811件[1][9]。', P);
    expect(r).toMatchObject({
      ok: true,
      text: '办理人大代表建议811件[1]。',
      removedMarkers: ['[9]'],
    });
  });

  it('rejects a figure that is not in the passage its sentence cites', () => {
    expect(checkAnswer('办理人大代表建议812件[1]。', P)).toMatchObject({
      ok: false,
      reason: 'invented-figure',
    });
    // 46.4万人次 is in passage 2, not in passage 1.
    expect(checkAnswer('办理建议811件，咨询46.4万人次[1]。', P)).toMatchObject({
      ok: false,
      reason: 'invented-figure',
    });
    expect(checkAnswer('网办率达91%[3]。', P)).toMatchObject({
      ok: false,
      reason: 'invented-figure',
    });
    expect(checkAnswer('条例自2022年8月17日起施行[3]。', P)).toMatchObject({
      ok: false,
      reason: 'invented-figure',
    });
  });

  it('compares figures after normalising full-width digits, Chinese numerals and 万/亿 forms', () => {
    for (const text of [
      '办理人大代表建议８１１件[1]。',
      '办理人大代表建议八百一十一件[1]。',
      '法律咨询464000人次[2]。',
      '法律咨询四十六点四万人次[2]。',
      '法律援助案件18700件[2]。',
      '网办率达90％以上[3]。',
      '条例自2022-08-16起施行[3]。',
    ]) {
      expect(checkAnswer(text, P), text).toMatchObject({ ok: true });
    }
  });

  it('checks bare numbers and years too (the title counts as part of the passage, the question does not)', () => {
    expect(checkAnswer('2021年办理建议811件[1]。', P)).toMatchObject({ ok: true });
    expect(checkAnswer('2019年办理建议811件[1]。', P)).toMatchObject({
      ok: false,
      reason: 'invented-figure',
    });
    expect(checkAnswer('共计1234[1]。', P)).toMatchObject({ ok: false, reason: 'invented-figure' });
  });

  it('lets unmarked sentences share the marker that closes their claim', () => {
    expect(checkAnswer('全年办理人大代表建议811件。政协提案870件[1]。', P)).toMatchObject({
      ok: true,
    });
    expect(checkAnswer('全年办理人大代表建议811件。咨询46.4万人次[2]。', P)).toMatchObject({
      ok: false,
      reason: 'invented-figure',
    });
    // Trailing sentences are checked against every cited passage.
    expect(checkAnswer('办理建议811件[1]。另有政协提案870件。', P)).toMatchObject({ ok: true });
  });

  it('reads markers written after the full stop and loose marker forms', () => {
    expect(normalizeMarkers('见【1】和［2］及[1, 3]')).toBe('见[1]和[2]及[1][3]');
    expect(checkAnswer('办理建议811件。[1]', P)).toMatchObject({
      ok: true,
      text: '办理建议811件。[1]',
    });
  });

  it('rejects empty, garbled, looping and uncited output', () => {
    expect(checkAnswer('  ', P)).toMatchObject({ ok: false, reason: 'empty' });
    expect(checkAnswer('[1]', P)).toMatchObject({ ok: false, reason: 'empty' });
    expect(checkAnswer('\uFFFD\uFFFD办理', P)).toMatchObject({ ok: false, reason: 'garbled' });
    expect(checkAnswer('The report says 811 proposals were handled [1].', P)).toMatchObject({
      ok: false,
      reason: 'garbled',
    });
    expect(unreadable('办理建议很多。办理建议很多。办理建议很多。')).toBe('garbled');
    expect(checkAnswer('办理人大代表建议811件。', P)).toMatchObject({
      ok: false,
      reason: 'no-citations',
    });
    expect(checkAnswer('办理人大代表建议811件[7]。', P)).toMatchObject({
      ok: false,
      reason: 'no-citations',
    });
  });

  it('filters streamed text: holds an unfinished marker, drops unknown ones', () => {
    const f = createMarkerFilter(3);
    const out =
      ['办理811件', '[', '1', ']', '[', '9]', '。', '见[', '2'].map((d) => f.push(d)).join('') +
      f.flush();
    expect(out).toBe('办理811件[1]。见[2');
    const g = createMarkerFilter(3);
    expect(g.push('数组[abc]')).toBe('数组[abc]');
  });
});

describe('figures (normalisation)', () => {
  it('gives 46.4万人次 and 464000人次, 2022-08-16 and 2022年8月16日 the same key', () => {
    const key = (t: string) => findFigures(normalizeFigureText(t)).map(figureKey);
    expect(key('46.4万人次')).toEqual(key('464000人次'));
    expect(key('2022-08-16')).toEqual(key('2022年8月16日'));
    expect(key('８１１件')).toEqual(key('811件'));
    expect(key('两万人')).toEqual(key('20000人'));
    expect(normalizeFigureText('一项改革、两个中心')).toBe('一项改革、两个中心');
  });
  it('reads 多/余 before the magnitude as well as after it (6600多万纳税人, 80余万名)', () => {
    const read = (t: string) => findFigures(t).map((f) => [f.raw, f.value]);
    expect(read('6600多万纳税人受益')).toEqual([['6600多万', 66_000_000]]);
    expect(read('惠及80余万名婴幼儿')).toEqual([['80余万名', 800_000]]);
    expect(read('帮扶1.2万余人')).toEqual([['1.2万余人', 12_000]]);
    expect(read('有300多位代表')).toEqual([['300多位', 300]]);
    expect(read('来了300多')).toEqual([]);
  });
  it('reads magnitudes written in Chinese numerals before a unit (百万辆, 上千万家庭), not the adverb 千万', () => {
    const read = (t: string) => findFigures(t).map((f) => [f.raw, f.value, f.unit]);
    expect(read('整车出口突破百万辆')).toEqual([['百万辆', 1_000_000, '辆']]);
    expect(read('惠及上千万家庭')).toEqual([['千万家', 10_000_000, '家']]);
    expect(read('两万人')).toEqual([['两万人', 20_000, '人']]);
    expect(read('千万不要大意')).toEqual([]);
  });
  it('reads Latin units of computing power and energy (190Eflops, 8GWh), not 5G', () => {
    const units = (t: string) => findFigures(t).map((f) => f.unit);
    expect(units('全省算力规模突破190Eflops')).toEqual(['Eflops']);
    expect(units('新型储能装机8GWh')).toEqual(['GWh']);
    expect(units('新建5G基站2万个')).toEqual(['个']);
  });
  it('reads the measure words of places and things (60处, 6000栋, 405片, 67对)', () => {
    const units = (t: string) => findFigures(t).map((f) => f.unit);
    expect(units('治理交通堵乱点60处')).toEqual(['处']);
    expect(units('为6000栋老旧高层建筑安装设备')).toEqual(['栋']);
    expect(units('新增球类场地405片')).toEqual(['片']);
    expect(units('国际友城达到67对')).toEqual(['对']);
  });
});
