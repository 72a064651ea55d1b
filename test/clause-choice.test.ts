import { describe, expect, it } from 'vitest';
import { answeringClause, asksSeveralFigures, focus } from '../src/answer/extractive.js';
import { analyzeQuestion } from '../src/retrieval/query.js';
import { loadLexicon } from '../src/text/lexicon.js';

const lexicon = loadLexicon();
const figureOf = (question: string, sentence: string) => {
  const hit = answeringClause(analyzeQuestion(question, { lexicon }), sentence);
  return hit ? hit.clause.text.slice(hit.figure.start, hit.figure.end) : null;
};

describe('the clause that answers a figure question', () => {
  it('prefers the clause with the question’s own word over one with a report synonym of it', () => {
    const analysis = analyzeQuestion('江苏 2024 PM2.5 浓度', { lexicon });
    const pm = analysis.concepts.find((c) => c.text === 'pm2.5')!;
    pm.forms.push('优良天数');
    const hit = answeringClause(analysis, 'PM2.5浓度32.3微克/立方米,优良天数比率82.5%');
    expect(hit?.clause.text).toContain('32.3');
  });
  it('prefers the clause holding a figure of the unit family asked', () => {
    expect(
      figureOf('江苏来旅游的人一共有多少', '接待境内外游客超10.9亿人次,旅游总收入超1.3万亿元'),
    ).toBe('10.9亿人次');
    expect(figureOf('地铁运营总里程多少公里', '新增运营线路3条,运营里程达到909公里')).toBe(
      '909公里',
    );
  });
});

describe('the figure of a clause', () => {
  it('takes a count written right before the thing asked (「180个城镇老旧小区」)', () => {
    expect(figureOf('城中村有多少个', '启动改造180个老旧小区、19个城中村')).toBe('19个');
    expect(figureOf('老旧小区有多少个', '启动改造19个城中村、180个老旧小区')).toBe('180个');
    expect(figureOf('多少行政村通了宽带', '建成基站8.99万个、95%以上行政村通宽带')).toBe('95%');
  });
  it('takes the exact level written right after a round mark passed', () => {
    const s = '全省地区生产总值突破2万亿元、达到23562亿元,年均增长5.9%';
    expect(figureOf('十四五末全省地区生产总值达到多少', s)).toBe('23562亿元');
    // A mark passed alone is the figure given.
    expect(figureOf('经济总量多少', '经济总量突破2万亿元,年均增长5.9%')).toBe('2万亿元');
  });
  it('takes a count written before a short qualifier of the thing asked, or before its characters in order', () => {
    expect(figureOf('老旧小区有多少个', '启动改造19个城中村、180个城镇老旧小区')).toBe('180个');
    expect(figureOf('老小区启动了多少个', '启动改造19个城中村、180个城镇老旧小区')).toBe('180个');
    expect(figureOf('新增多少个中小学学位', '新建改扩建中小学10所、新增学位1.7万个')).toBe(
      '1.7万个',
    );
    expect(figureOf('床位新增多少张', '新建20个区域养老服务中心、新增5000张家庭养老床位')).toBe(
      '5000张',
    );
  });
});

describe('what the answering clause leaves unsaid', () => {
  it('still answers with a figure when the question’s verb is not said, and says so', () => {
    const hit = answeringClause(
      analyzeQuestion('江苏去年用房票卖掉了多少套商品房', { lexicon }),
      '通过房票去化商品住宅超3.5万套,在建高品质住宅项目达383个。',
    );
    expect(hit?.clause.text).toContain('3.5万套');
    expect(hit?.actionSaid).toBe(false);
  });
  it('prefers a clause beside the thing asked; without one it takes the best and says the thing is not beside it', () => {
    const a = analyzeQuestion('托位是多少', { lexicon });
    expect(answeringClause(a, '新建养老机构120个,新增托位3万个')?.focusSaid).toBe(true);
    const far = answeringClause(a, '新建养老机构120个,满意率95%');
    expect(far).not.toBeNull();
    expect(far?.focusSaid).toBe(false);
  });
  it('marks a later item without a figure that names the question better', () => {
    const hit = answeringClause(
      analyzeQuestion('居民收入增长目标是多少', { lexicon }),
      '一般公共预算收入增长4%左右,居民收入增长和经济增长同步',
    );
    expect(hit?.itemElsewhere).toBe(true);
  });
  it('marks an item elsewhere whose figure is not of the kind asked, when it names the question better', () => {
    const hit = answeringClause(
      analyzeQuestion('居民人均可支配收入是多少元', { lexicon }),
      '地区生产总值5万亿元、增长5%,一般公共预算收入增长4%,居民人均可支配收入增长5%',
    );
    expect(hit?.clause.text).toContain('5万亿元');
    expect(hit?.itemElsewhere).toBe(true);
    const given = answeringClause(
      analyzeQuestion('居民人均可支配收入是多少元', { lexicon }),
      '地区生产总值5万亿元,居民人均可支配收入4万元、增长5%',
    );
    expect(given?.itemElsewhere).toBe(false);
  });
  it('prefers the clause whose figure is the change or the level asked', () => {
    const s = '开通3条地铁新线、新增运营里程30公里,总里程达909公里、居全国首位';
    const total = answeringClause(analyzeQuestion('北京地铁一共有多长', { lexicon }), s);
    expect(total?.clause.text).toContain('909公里');
    const added = answeringClause(analyzeQuestion('北京地铁新增了多少公里', { lexicon }), s);
    expect(added?.clause.text).toContain('30公里');
    // A plain 「X是多少」 asks X's level, not its growth.
    const plain = answeringClause(
      analyzeQuestion('安徽地区生产总值是多少', { lexicon }),
      '全省地区生产总值增长5.8%,经济总量达到5.06万亿元',
    );
    expect(plain?.clause.text).toContain('5.06万亿元');
  });
});

describe('a count of years', () => {
  it('answers only a question asking how many years', () => {
    expect(figureOf('粮食产量是多少万吨', '粮食产量创20年新高,油菜产量实现18连增')).toBeNull();
    expect(figureOf('粮食产量是多少万吨', '粮食产量创20年新高,总产达到1100万吨')).toBe('1100万吨');
    expect(figureOf('受教育年限提高到多少', '劳动年龄人口平均受教育年限提高到11.2年')).toBe(
      '11.2年',
    );
    expect(figureOf('总量连续多少年居全国首位', '总量连续37年居全国首位')).toBe('37年');
  });
});

describe('figures of several years in one clause', () => {
  it('gives the figure written after the year asked', () => {
    const s = '全省生产总值从2020年的3.68万亿元增长到2025年的4.93万亿元';
    expect(figureOf('河北全省生产总值2025年达到多少', s)).toBe('4.93万亿元');
    expect(figureOf('河北全省生产总值2020年是多少', s)).toBe('3.68万亿元');
  });
});

describe('respective figures (分别)', () => {
  it('gives the figure of the item the question names, in order', () => {
    const s = '城镇和农村居民人均可支配收入分别增长4.3%、5.3%';
    expect(figureOf('农村居民收入增长了多少', s)).toBe('5.3%');
    expect(figureOf('城镇居民收入增长了多少', s)).toBe('4.3%');
    expect(
      figureOf('原油产量是多少', '原煤、原油、天然气产量分别达到7000万吨、1280万吨、10亿立方米'),
    ).toBe('1280万吨');
  });
  it('gives the figure of the item naming the most of the question when a word is in both', () => {
    const s = '省外游客、入境过夜游客分别增长10%、35%以上';
    expect(figureOf('入境过夜游客增长多少', s)).toBe('35%');
    expect(figureOf('省外游客增长多少', s)).toBe('10%');
    // Asked for both, no one item answers alone.
    const hit = answeringClause(
      analyzeQuestion('城里人和农村人的收入各涨了多少', { lexicon }),
      '城镇、农村居民人均可支配收入分别增长4.4%、5.6%',
    );
    expect(hit?.figure.value).toBe(4.4);
  });
  it('reads the first item without the words leading into the list', () => {
    const s = '力争全年交通、水利、能源领域投资额分别达2400亿元、450亿元、1700亿元';
    expect(figureOf('全年力争能源领域投资额达到多少', s)).toBe('1700亿元');
    expect(figureOf('力争全年交通领域投资多少', s)).toBe('2400亿元');
  });
  it('reads a word naming two things in one (城乡, 进出口) as the two, in order', () => {
    const s = '城乡居民人均可支配收入分别增长4.4%、5.6%';
    expect(figureOf('农村居民收入增长了多少', s)).toBe('5.6%');
    expect(figureOf('城镇居民收入增长了多少', s)).toBe('4.4%');
    expect(figureOf('出口增长了多少', '全省货物进出口分别增长3.1%、7.5%')).toBe('7.5%');
  });
});

describe('a question asking two figures', () => {
  it('is told by two ways of asking how many, or by 各/分别', () => {
    expect(asksSeveralFigures('去年GDP总量多少，涨了多少？')).toBe(true);
    expect(asksSeveralFigures('游客人次和收入各涨了多少')).toBe(true);
    expect(asksSeveralFigures('去年GDP总量多少')).toBe(false);
    expect(asksSeveralFigures('这几年新建了多少公里')).toBe(false);
  });
  it('is answered by the whole list item and the clause after it, not one figure', () => {
    const stated = (q: string, s: string) => {
      const f = focus(analyzeQuestion(q, { lexicon }), s);
      return s.slice(f.start, f.end);
    };
    const s = '全市生产总值达到5.67万亿元、增长5.4%,好于预期。';
    expect(stated('上海GDP总量多少，涨了多少', s)).toContain('5.4%');
    expect(stated('上海GDP总量多少', s)).not.toContain('5.4%');
    const t = '地区生产总值达13.7万亿元,增长5.8%,居民收入增长5.3%';
    expect(stated('江苏GDP多少？增长多少', t)).toBe('地区生产总值达13.7万亿元,增长5.8%');
  });
});
