import { describe, expect, it } from 'vitest';
import {
  candidateFeatures,
  eligible,
  feature,
  type CandidateInput,
} from '../src/answer/features.js';
import { documentCover, figureOfOtherPlace } from '../src/answer/extractive.js';
import { analyzeQuestion, type QueryAnalysis } from '../src/retrieval/query.js';
import { loadLexicon } from '../src/text/lexicon.js';
import { figuresOf } from '../src/text/figures.js';
import { figureSpanIn } from '../src/text/figure-kind.js';
import type { DocumentMeta } from '../src/types.js';

const lexicon = loadLexicon();
const doc = (over: Partial<DocumentMeta> = {}): DocumentMeta => ({
  docId: 'd.txt',
  title: '2026年山西省政府工作报告',
  source: '',
  issuer: '',
  publishedAt: null,
  reportYear: 2026,
  reviewYear: 2025,
  planYear: 2026,
  region: '山西',
  docType: 'report',
  hash: '',
  chars: 0,
  ...over,
});
const analyse = (q: string, known: (w: string) => boolean = () => true): QueryAnalysis => {
  const a = analyzeQuestion(q, { lexicon });
  for (const c of a.concepts) c.known = known(c.text);
  return a;
};
function input(
  a: QueryAnalysis,
  sentence: string,
  over: Partial<CandidateInput> = {},
): CandidateInput {
  return {
    analysis: a,
    sentence,
    heading: '',
    context: sentence,
    title: '2026年山西省政府工作报告',
    doc: doc(),
    coverage: 0.5,
    period: 'review',
    wanted: null,
    typeOk: true,
    figureNear: 0,
    clauseGaps: null,
    docCover: 1,
    retrieval: { score: 1, bm25: 2, similarity: 0.5, rank: 0, bestBm25: 4 },
    wording: 4,
    figures: figuresOf(sentence),
    figureClause: sentence,
    figureBefore: '',
    ordinalFigure: false,
    otherPlace: false,
    latest: true,
    reviewedYears: new Set<number>(),
    figureYear: null,
    figureSpan: figureSpanIn(over.figureClause ?? sentence, '', ''),
    ...over,
  };
}
const f = (x: CandidateInput, name: Parameters<typeof feature>[1]) =>
  feature(candidateFeatures(x), name);

describe('features', () => {
  it('measures how much of what is asked the document names anywhere (docCover), places and vague words aside', () => {
    const a = analyse('重庆居民消费价格涨幅目标是多少');
    const lacking = { meta: doc(), text: '重庆地区生产总值增长5%左右。\n固定资产投资增长3%。' };
    const naming = { meta: doc(), text: '地区生产总值增长5%左右。\n居民消费价格涨幅2%左右。' };
    expect(documentCover(a, naming)).toBeGreaterThan(0.9);
    expect(documentCover(a, lacking)).toBeLessThan(0.5);
    expect(f(input(a, '固定资产投资增长3%', { docCover: 0.2 }), 'docCover')).toBe(0.2);
  });
  it('never takes a phrase standing for units (多少亿 → 亿元) as the main thing asked', () => {
    const a = analyse('贵州去年接待游客是多少亿人次');
    expect(a.concepts.find((c) => c.text === '多少亿')?.unit).toBe(true);
    // The sentence holds 亿元, not the visitors asked about: what is asked is missing.
    const spend = '全省财政收入1000亿元';
    expect(f(input(a, spend, { context: spend }), 'missingTop')).toBe(1);
    const visitors = '接待游客6.5亿人次';
    expect(f(input(a, visitors, { context: visitors }), 'missingTop')).toBe(0);
  });
  it('tells the model what the answering clause leaves unsaid: the verb, the thing asked, a better item without a figure', () => {
    const a = analyse('取消了多少项');
    const gaps = { actionSaid: false, focusSaid: true, itemElsewhere: false };
    expect(f(input(a, '保留证明事项20项', { clauseGaps: gaps }), 'actionMiss')).toBe(1);
    expect(
      f(input(a, '保留证明事项20项', { clauseGaps: { ...gaps, actionSaid: true } }), 'actionMiss'),
    ).toBe(0);
    expect(
      f(input(a, '保留证明事项20项', { clauseGaps: { ...gaps, focusSaid: false } }), 'focusMiss'),
    ).toBe(1);
    expect(
      f(
        input(a, '保留证明事项20项', { clauseGaps: { ...gaps, itemElsewhere: true } }),
        'itemElsewhere',
      ),
    ).toBe(1);
    // Without an answering clause there is nothing to leave unsaid (figureMiss says it).
    expect(f(input(a, '保留证明事项', { clauseGaps: null }), 'actionMiss')).toBe(0);
  });
  it('counts only words some passage holds in coverageKnown, and weighs what the corpus lacks apart', () => {
    const a = analyse('帮着办法律援助的有多少', (w) => w !== '帮着');
    const x = input(a, '受理法律援助案件1.87万件');
    expect(f(x, 'unknownShare')).toBeGreaterThan(0);
    expect(f(x, 'coverageKnown')).toBeGreaterThan(
      f(input(analyse('帮着办法律援助的有多少'), '受理法律援助案件1.87万件'), 'coverageKnown'),
    );
    expect(f(x, 'unknownNoun')).toBe(0); // 帮着 is not a noun
  });

  it('prefers the newest report of a place for a question in relative time', () => {
    const sentence = '城镇新增就业45万人';
    expect(f(input(analyse('今年城镇新增就业目标多少'), sentence), 'relativeLatest')).toBe(1);
    expect(
      f(input(analyse('今年城镇新增就业目标多少'), sentence, { latest: false }), 'relativeLatest'),
    ).toBe(-1);
    expect(
      f(input(analyse('2025年城镇新增就业多少'), sentence, { latest: false }), 'relativeLatest'),
    ).toBe(0);
  });

  it('marks a plan for a year whose results another report of the place gives', () => {
    const a = analyse('2025年地区生产总值是多少');
    const plan = {
      period: 'plan' as const,
      doc: doc({ reportYear: 2025, reviewYear: 2024, planYear: 2025 }),
    };
    expect(
      f(
        input(a, '地区生产总值增长5%左右', { ...plan, reviewedYears: new Set([2025]) }),
        'planReviewed',
      ),
    ).toBe(1);
    expect(f(input(a, '地区生产总值增长5%左右', plan), 'planReviewed')).toBe(0);
    const target = analyse('2025年地区生产总值增长目标是多少');
    expect(
      f(
        input(target, '地区生产总值增长5%左右', { ...plan, reviewedYears: new Set([2025]) }),
        'planReviewed',
      ),
    ).toBe(0);
  });

  it('says whether the answering figure is about the year asked', () => {
    const a = analyse('2025年地区生产总值是多少');
    expect(f(input(a, '地区生产总值5.3万亿元', { figureYear: 2025 }), 'figureYearAgree')).toBe(1);
    expect(f(input(a, '地区生产总值5.6万亿元', { figureYear: 2026 }), 'figureYearAgree')).toBe(-1);
    expect(f(input(a, '地区生产总值5.3万亿元'), 'figureYearAgree')).toBe(0);
    expect(
      f(
        input(analyse('地区生产总值是多少'), '地区生产总值5.3万亿元', { figureYear: 2025 }),
        'figureYearAgree',
      ),
    ).toBe(0);
  });

  it('marks a place the question names that neither the sentence nor the document is about', () => {
    const a = analyse('深圳2025年地区生产总值是多少');
    expect(f(input(a, '地区生产总值增长5.4%'), 'missingPlace')).toBe(1);
    expect(
      f(input(a, '地区生产总值增长5.4%', { doc: doc({ region: '深圳' }) }), 'missingPlace'),
    ).toBe(0);
    expect(f(input(a, '地区生产总值增长5.4%'), 'docPlace')).toBe(-1);
    expect(eligible(a, candidateFeatures(input(a, '地区生产总值增长5.4%')))).toBe(false);
    // A city said only where the asker tells their situation is not the place asked about.
    const scene = analyse('我在苏州打工，江苏2024年城镇新增就业多少人');
    expect(scene.concepts.find((c) => c.text === '苏州')?.scene).toBe(true);
    expect(
      f(input(scene, '城镇新增就业120万人', { doc: doc({ region: '江苏' }) }), 'missingPlace'),
    ).toBe(0);
    const asked = analyse('江苏苏州2024年城镇新增就业多少人');
    expect(
      f(input(asked, '城镇新增就业120万人', { doc: doc({ region: '江苏' }) }), 'missingPlace'),
    ).toBe(1);
  });

  it('reads the unit, kind and span of the figure against what is asked', () => {
    const a = analyse('山西2026年城镇新增就业目标是多少万人');
    expect(f(input(a, '城镇新增就业45万人左右'), 'unitAgree')).toBe(1);
    expect(f(input(a, '城镇调查失业率5.5%左右'), 'unitAgree')).toBe(-1);
    expect(f(input(a, '城镇新增就业45万人左右'), 'targetAgree')).toBe(1);
    expect(f(input(a, '城镇新增就业47.3万人'), 'targetAgree')).toBe(-1);
    expect(f(input(a, '十五五时期年均新增就业45万人'), 'spanAgree')).toBe(-1);
    const total = input(a, '城镇新增就业452万人', { figureSpan: 'five-year' });
    expect(f(total, 'spanAgree')).toBe(-1);
    // Over five years: a level reached says where they ended, its span tells nothing.
    const fiveYears = analyse('山西十四五期间公共充电桩建了多少');
    const reached = { figureBefore: '公共充电桩达到', figureSpan: 'year' as const };
    expect(f(input(fiveYears, '公共充电桩达到13万台', reached), 'spanAgree')).toBe(0);
    expect(f(input(fiveYears, '新增公共充电桩2万台'), 'spanAgree')).toBe(-1);
  });

  it('sees a qualifier of the question missing while the thing it qualifies is there (qualifierMiss)', () => {
    const a = analyse('上海去年农村居民收入是多少');
    expect(f(input(a, '居民人均可支配收入达到9.2万元'), 'qualifierMiss')).toBe(1);
    expect(f(input(a, '农村居民人均可支配收入增长5.9%'), 'qualifierMiss')).toBe(0);
    // A report's term typed in full is one concept: the wider term does not hold it.
    const whole = analyse('上海去年农村居民人均可支配收入是多少');
    expect(f(input(whole, '居民人均可支配收入达到9.2万元'), 'missingTop')).toBe(1);
    expect(f(input(whole, '农村居民人均可支配收入增长5.9%'), 'missingTop')).toBe(0);
    // Nothing of what is asked: other features speak for that, not this one.
    expect(f(input(a, '地区生产总值增长5%'), 'qualifierMiss')).toBe(0);
    // A verb before the thing is no qualifier.
    const verb = analyse('去年改造老旧小区多少个');
    expect(f(input(verb, '老旧小区1200个'), 'qualifierMiss')).toBe(0);
  });

  it("tells a figure of another place from the asked one's (otherPlace)", () => {
    expect(figureOfOtherPlace('庆阳、酒泉经济总量突破', '甘肃现在GDP总量多少亿', '甘肃')).toBe(
      true,
    );
    expect(figureOfOtherPlace('全省地区生产总值达到', '甘肃现在GDP总量多少亿', '甘肃')).toBe(false);
    expect(figureOfOtherPlace('甘肃地区生产总值达到', '现在GDP总量多少亿', '甘肃')).toBe(false);
    expect(figureOfOtherPlace('庆阳经济总量突破', '庆阳经济总量多少', '甘肃')).toBe(false);
    const a = analyse('甘肃现在GDP总量多少亿');
    expect(f(input(a, '庆阳、酒泉经济总量突破千亿元', { otherPlace: true }), 'otherPlace')).toBe(1);
  });

  it('tells a figure per person or household from a total', () => {
    const total = analyse('重庆2025年地区生产总值是多少');
    expect(f(input(total, '人均地区生产总值突破10万元'), 'perHeadAgree')).toBe(-1);
    expect(f(input(total, '全市地区生产总值达到33757.93亿元'), 'perHeadAgree')).toBe(0);
    const each = analyse('重庆2025年人均地区生产总值是多少');
    expect(f(input(each, '人均地区生产总值突破10万元'), 'perHeadAgree')).toBe(1);
    expect(f(input(each, '全市地区生产总值达到33757.93亿元'), 'perHeadAgree')).toBe(-1);
    // A follow-up is per person when the question it continues is.
    const rural = analyzeQuestion('农村的呢', {
      lexicon,
      history: ['江苏城镇居民人均可支配收入是多少'],
    });
    expect(f(input(rural, '农村居民人均可支配收入2.9万元'), 'perHeadAgree')).toBe(1);
  });

  it('tells the type of answer a candidate can give', () => {
    const where = analyse('四川第十五届省运会在哪个城市举办');
    expect(where.type).toBe('where');
    expect(f(input(where, '办好第十五届省运会等重大赛事', { typeOk: false }), 'placeMiss')).toBe(1);
    expect(
      eligible(
        where,
        candidateFeatures(input(where, '办好第十五届省运会等赛事', { typeOk: false })),
      ),
    ).toBe(false);
    const who = analyse('山西省长是谁');
    expect(f(input(who, '省长认真履行第一责任人职责', { typeOk: false }), 'personMiss')).toBe(1);
    expect(
      eligible(who, candidateFeatures(input(who, '省长认真履行第一责任人职责', { typeOk: false }))),
    ).toBe(false);
    const how = analyse('城市书房怎么预约');
    expect(
      eligible(how, candidateFeatures(input(how, '新建城市书房128座', { typeOk: false }))),
    ).toBe(false);
    expect(
      eligible(how, candidateFeatures(input(how, '城市书房可在网上预约', { typeOk: true }))),
    ).toBe(true);
    const many = analyse('广东2024年地区生产总值是多少');
    expect(eligible(many, candidateFeatures(input(many, '地区生产总值稳步增长')))).toBe(false); // no figure
    expect(
      eligible(
        many,
        candidateFeatures(input(many, '成为全省第3个超千亿元的镇', { ordinalFigure: true })),
      ),
    ).toBe(false);
    const gd = { doc: doc({ region: '广东' }) };
    expect(
      eligible(many, candidateFeatures(input(many, '地区生产总值迈上14万亿元新台阶', gd))),
    ).toBe(true);
    // Money asked and no sum of money in the sentence; a rate asked and no rate.
    const money = analyse('浦东新区GDP是多少元');
    expect(money.unit).toBe('money');
    expect(eligible(money, candidateFeatures(input(money, '制定修改浦东新区法规4部')))).toBe(false);
    const rate = analyse('城镇化率是百分之多少');
    expect(eligible(rate, candidateFeatures(input(rate, '新增城镇人口30万人')))).toBe(false);
    expect(eligible(rate, candidateFeatures(input(rate, '城镇化率达到65%')))).toBe(true);
  });

  it('refuses outright when the main thing the question names is in no report', () => {
    const a = analyse('如何办理护照', (w) => w !== '护照');
    expect(f(input(a, '全年共办理法律事务158件'), 'topUnknown')).toBe(1);
    expect(eligible(a, candidateFeatures(input(a, '全年共办理法律事务158件')))).toBe(false);
  });

  it('changeAgree: a change asked and a change stated agree, a level stated does not', () => {
    const asked = analyse('北京地铁新增了多少公里');
    const change = input(asked, '新增运营里程30公里', { figureBefore: '新增运营里程' });
    const level = input(asked, '运营里程达到909公里', { figureBefore: '运营里程达到' });
    expect(f(change, 'changeAgree')).toBe(1);
    expect(f(level, 'changeAgree')).toBe(-1);
    const total = analyse('北京地铁一共有多少公里');
    expect(
      f(input(total, '运营里程达到909公里', { figureBefore: '运营里程达到' }), 'changeAgree'),
    ).toBe(1);
    expect(
      f(input(total, '新增运营里程30公里', { figureBefore: '新增运营里程' }), 'changeAgree'),
    ).toBe(-1);
    const silent = analyse('北京地铁运营里程多少');
    expect(
      f(input(silent, '新增运营里程30公里', { figureBefore: '新增运营里程' }), 'changeAgree'),
    ).toBe(0);
  });

  it('levelAgree: a question naming no change nor rate asks a level; a change stated disagrees', () => {
    const plain = analyse('安徽地区生产总值是多少');
    const growth = input(plain, '全省地区生产总值增长5.8%', {
      figureClause: '全省地区生产总值增长5.8%',
      figureBefore: '全省地区生产总值增长',
    });
    expect(f(growth, 'levelAgree')).toBe(-1);
    expect(
      f(
        input(plain, '地区生产总值达到5.06万亿元', { figureBefore: '地区生产总值达到' }),
        'levelAgree',
      ),
    ).toBe(1);
    // A follow-up is read with the question it follows: 新增 there makes it about a change.
    const follow = analyzeQuestion('科技型中小企业呢', {
      lexicon,
      history: ['安徽2025年新增高新技术企业多少家'],
    });
    expect(
      f(
        input(follow, '新增科技型中小企业7227家', { figureBefore: '新增科技型中小企业' }),
        'levelAgree',
      ),
    ).toBe(0);
    // A question that names a change or a rate is changeAgree's and percentAgree's, not this.
    expect(
      f(
        input(analyse('安徽地区生产总值增长了多少'), '全省地区生产总值增长5.8%', {
          figureBefore: '全省地区生产总值增长',
        }),
        'levelAgree',
      ),
    ).toBe(0);
    expect(
      f(
        input(analyse('安徽经济增速是多少'), '全省地区生产总值增长5.8%', {
          figureBefore: '全省地区生产总值增长',
        }),
        'levelAgree',
      ),
    ).toBe(0);
  });

  it('percentAgree: a rate answers a rate question, not a question about an amount', () => {
    const rate = analyse('上海2025年GDP增长了多少');
    expect(f(input(rate, '全市生产总值增长5.4%'), 'percentAgree')).toBe(1);
    expect(f(input(rate, '全市生产总值达到5.67万亿元'), 'percentAgree')).toBe(-1);
    const amount = analyse('江苏来旅游的人一共有多少');
    expect(f(input(amount, '旅游人数增长15.8%'), 'percentAgree')).toBe(-1);
    expect(f(input(amount, '接待境内外游客超10.9亿人次'), 'percentAgree')).toBe(0);
  });
});
