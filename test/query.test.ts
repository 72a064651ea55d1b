import { describe, expect, it } from 'vitest';
import {
  inheritConcept,
  analyzeQuestion,
  HISTORY_WEIGHT,
  isFrameWord,
  metaQuestion,
  questionType,
  sceneClauses,
  SCENE_WEIGHT,
  spokenQuantity,
  timeScope,
} from '../src/retrieval/query.js';
import { Lexicon, loadLexicon, parseLexicon } from '../src/text/lexicon.js';

const lexicon = loadLexicon();
const texts = (q: string, history: string[] = []) =>
  analyzeQuestion(q, { lexicon, history }).concepts.map((c) => `${c.source}:${c.text}`);

describe('the concepts of a question', () => {
  const small = new Lexicon(parseLexicon('收入 = 挣多少钱\n减少 = 少了'));
  const of = (q: string, lex = small) => analyzeQuestion(q, { lexicon: lex }).concepts;
  it('finds an everyday phrase that says 多少 itself, and never reads 少了 out of 多少了', () => {
    expect(of('一年能挣多少钱').map((c) => c.forms)).toContainEqual(['挣多少钱', '收入']);
    expect(of('一年到多少了').some((c) => c.text === '少了')).toBe(false);
    expect(of('比去年少了多少').some((c) => c.text === '少了')).toBe(true);
  });
  it('reads a one-character short name standing as a word (津 2025 …) as its province, never inside a word', () => {
    expect(analyzeQuestion('津 2025 新增就业 人数', { lexicon }).places).toEqual(['天津']);
    expect(analyzeQuestion('晋2024工业投资 增速', { lexicon }).places).toEqual(['山西']);
    expect(analyzeQuestion('苏州新增就业多少', { lexicon }).places).toEqual([]);
    expect(analyzeQuestion('京津冀协同发展怎么样', { lexicon }).places).toEqual([]);
    // Spaces between Chinese characters are taken out before a question is analysed.
    expect(analyzeQuestion('粤去年GDP多少', { lexicon }).places).toEqual(['广东']);
    expect(analyzeQuestion('渝去年经济总量多少亿', { lexicon }).places).toEqual(['重庆']);
    expect(analyzeQuestion('新增就业多少', { lexicon }).places).toEqual([]);
    expect(analyzeQuestion('青年就业情况', { lexicon }).places).toEqual([]);
    expect(analyzeQuestion('湘菜产业规模多少', { lexicon }).places).toEqual([]);
    // A single character after it: the two are one word the segmenter did not know.
    expect(analyzeQuestion('黑边天竺鲷有多少枚背鳍硬棘', { lexicon }).places).toEqual([]);
    expect(analyzeQuestion('黑去年粮食产量多少', { lexicon }).places).toEqual(['黑龙江']);
  });
  it('takes a word the segmenter tags as a place for a place only when it names one', () => {
    const place = (q: string) =>
      of(q, lexicon)
        .filter((c) => c.place)
        .map((c) => c.text);
    expect(place('城镇登记失业的有多少')).toEqual([]);
    expect(place('山区学校有多少')).toEqual([]);
    expect(place('新建了多少所学校')).toEqual([]);
    expect(place('太原地铁通车了吗')).toEqual(['太原']);
    expect(place('学校太冷了，装暖气的有多少所')).toEqual([]);
    expect(place('操场太旧了，翻新多少个')).toEqual([]);
  });
});

describe('query', () => {
  it('tells what kind of answer a question wants', () => {
    expect(questionType('信访事项及时受理率是多少')).toBe('quantity');
    expect(questionType('出台了哪些地方性法规?')).toBe('list');
    expect(questionType('山西省的省长是谁?')).toBe('who');
    expect(questionType('第十五届省运会在哪个城市举办')).toBe('where');
    // Hotline shorthand: a year and a measure, no question word, asks for the figure.
    expect(analyzeQuestion('辽宁 2025 城镇新增就业', { lexicon }).type).toBe('quantity');
    expect(analyzeQuestion('山西 2024 人大建议 件数', { lexicon }).time.years).toEqual([2024]);
    expect(analyzeQuestion('城镇新增就业', { lexicon }).type).toBe('other');
    expect(analyzeQuestion('那2024年呢', { lexicon }).type).toBe('other');
    expect(questionType('哪座城市的GDP最高')).toBe('where');
    expect(questionType('营业执照在哪里办理')).not.toBe('where'); // a service point, not a place name
  });

  it('resolves an elliptical follow-up against the previous question', () => {
    const a = analyzeQuestion('那政协提案呢?', { lexicon, history: ['人大代表建议办理了多少件?'] });
    expect(a.isFollowUp).toBe(true);
    expect(a.type).toBe('quantity');
    expect(texts('那政协提案呢?', ['人大代表建议办理了多少件?'])).toEqual(
      expect.arrayContaining(['question:政协提案', 'history:人大代表建议']),
    );
  });

  it('takes a question of only time and plan words as a follow-up on the last topic', () => {
    expect(isFrameWord('今年计划')).toBe(true);
    expect(isFrameWord('明年目标')).toBe(true);
    expect(isFrameWord('计划生育')).toBe(false);
    expect(isFrameWord('比全国高')).toBe(true);
    expect(isFrameWord('高速公路')).toBe(false);
    // A few characters between frame words make no topic (定的目标, 今年的计划), nor alone.
    expect(isFrameWord('定的目标')).toBe(true);
    expect(isFrameWord('今年的计划')).toBe(true);
    expect(isFrameWord('定期')).toBe(false);
    const target = analyzeQuestion('那2025年定的目标是多少？', {
      lexicon,
      history: ['广东2024年城镇新增就业多少人？'],
    });
    expect(target.isFollowUp).toBe(true);
    const gdp = ['四川2024年地区生产总值增长多少'];
    const compared = analyzeQuestion('比全国高多少？', { lexicon, history: gdp });
    expect(compared.isFollowUp).toBe(true);
    expect(compared.places).toEqual(['四川']);
    const history = ['去年粮食播种面积多少?'];
    const a = analyzeQuestion('今年计划多少亩', { lexicon, history });
    expect(a.isFollowUp).toBe(true);
    expect(a.time.relative).toBe('this');
    expect(texts('今年计划多少亩', history)).toEqual(expect.arrayContaining(['history:粮食']));
    expect(analyzeQuestion('今年计划生育服务有哪些', { lexicon, history }).isFollowUp).toBe(false);
  });

  it('gives the topic its full weight when a follow-up only reframes it', () => {
    const history = ['江苏去年社会消费品零售总额多少？'];
    expect(isFrameWord('增长目标')).toBe(true);
    const reframed = analyzeQuestion('今年增长目标是多少', { lexicon, history });
    const topic = reframed.concepts.find((c) => c.text === '社会消费品零售总额')!;
    const own = analyzeQuestion(history[0]!, { lexicon }).concepts.find((c) => c === c)!;
    expect(topic.weight).toBeCloseTo(own.weight);
    expect(reframed.phrases.get('社会消费品零售总额')).toBe(1);
    // A follow-up naming a thing of its own keeps the history in the background.
    const narrowed = analyzeQuestion('那农村的呢', { lexicon, history });
    const inherited = narrowed.concepts.find((c) => c.text === '社会消费品零售总额')!;
    expect(inherited.weight).toBeCloseTo(own.weight * HISTORY_WEIGHT);
  });

  it('keeps a complete question that names no place in the conversation’s place and year', () => {
    const history = ['天津2026年新建改扩建中小学多少所'];
    const a = analyzeQuestion('新增学位多少个', { lexicon, history });
    expect(a.isFollowUp).toBe(false);
    expect(a.places).toEqual(['天津']);
    expect(a.time.years).toEqual([2026]);
    expect(a.concepts.every((c) => c.source === 'question')).toBe(true);
    const own = analyzeQuestion('北京新增学位多少个', { lexicon, history });
    expect(own.places).toEqual(['北京']);
    expect(own.time.years).toEqual([]);
    expect(analyzeQuestion('换个问题，新增学位多少个', { lexicon, history }).places).toEqual([]);
  });

  it('does not drag a complete new question back to the old topic', () => {
    const a = analyzeQuestion('行政复议决定作出了多少件?', {
      lexicon,
      history: ['人大代表建议办理了多少件?'],
    });
    expect(a.isFollowUp).toBe(false);
    expect(a.concepts.every((c) => c.source === 'question')).toBe(true);
  });

  it('maps everyday words to the report vocabulary', () => {
    const a = analyzeQuestion('想打官司但没钱,能找政府帮忙吗', { lexicon });
    expect([...a.phrases.keys()]).toContain('法律援助');
  });

  it('reads a year before 到多少, not the start of a range', () => {
    expect(timeScope('人均可支配收入2025年到多少了').years).toEqual([2025]);
    expect(timeScope('2021年至2025年累计新增就业多少').years).toEqual([]);
    expect(timeScope('2021年至今新增就业多少').years).toEqual([]);
    expect(timeScope('到2025年人均能活多少岁').years).toEqual([2025]);
    expect(timeScope('截至2025年底地铁有多长').years).toEqual([2025]);
    expect(timeScope('2021 至 2025 年累计').years).toEqual([]);
  });

  it('takes a year a comparison is made against for its base, not the year asked', () => {
    expect(timeScope('十四五时期死亡人数比2020年下降了多少').years).toEqual([]);
    expect(timeScope('2025年粮食产量较2024年增加多少').years).toEqual([2025]);
    expect(timeScope('相比 2020年 增长了多少').years).toEqual([]);
    expect(timeScope('2020年和2025年的生产总值').years).toEqual([2020, 2025]);
  });

  it('takes no topic word out of the words that only say a period (时期, 期间)', () => {
    expect(texts('十四五时期城镇新增就业多少人').join()).not.toMatch(/时期/);
    expect(texts('十四五期间城镇新增就业多少人').join()).not.toMatch(/期间/);
  });

  it('takes no topic word out of 多少', () => {
    expect(texts('人均可支配收入到多少了')).not.toContain('question:少了');
  });

  it('reads relative and explicit years', () => {
    expect(timeScope('去年调解了多少纠纷')).toEqual({ years: [], relative: 'last' });
    expect(timeScope('今年要完善什么')).toMatchObject({ relative: 'this' });
    expect(timeScope('2021年全省调解成功多少件').years).toEqual([2021]);
    expect(timeScope('纲要(2021-2025年)').years).toEqual([]);
  });
});

describe('query: a follow-up’s relative time', () => {
  it('reads 今年 and 去年 in the report the last question named a year of', () => {
    const after = (q: string, prev: string) =>
      analyzeQuestion(q, { lexicon, history: [prev] }).time;
    // A result of 2024 is reviewed by the report whose 今年 is 2025.
    expect(after('今年的目标是多少？', '江苏2024年城镇新增就业多少人？')).toEqual({
      years: [2025],
      relative: null,
    });
    // A target of 2026 is planned by the report whose 去年 is 2025.
    expect(after('去年呢', '江苏2026年城镇新增就业目标是多少')).toEqual({
      years: [2025],
      relative: null,
    });
    expect(after('今年目标呢', '江苏去年城镇新增就业多少人')).toEqual({
      years: [],
      relative: 'this',
    });
  });
});

describe('query: the kind of figure a follow-up asks', () => {
  it('keeps the percent asked when the follow-up only reframes, not when it names its own thing', () => {
    const history = ['重庆今年GDP目标是增长百分之多少？'];
    expect(analyzeQuestion('那去年呢', { lexicon, history }).unit).toBe('percent');
    expect(analyzeQuestion('那城镇新增就业目标呢', { lexicon, history }).unit).toBeNull();
  });
});

describe('query: a change asked in everyday words', () => {
  const lex = new Lexicon(parseLexicon('增长,提高 = 涨了,涨\n农民收入 = 农民挣钱'));
  const worded = (q: string) => analyzeQuestion(q, { lexicon: lex }).figureWording;
  it('writes an everyday word for a change as the report word, and nothing else', () => {
    expect(worded('经济涨了多少')).toBe('经济增长多少');
    expect(worded('农民挣钱多少')).toBe('农民挣钱多少');
  });
  it('keeps a report word as it is', () => {
    expect(worded('经济增长了多少')).toBe('经济增长了多少');
  });
});

describe('query: what a figure question asks for', () => {
  it('finds the thing whose figure is asked, and the kind of figure', async () => {
    const { focusOf, askedUnit } = await import('../src/retrieval/query.js');
    expect(focusOf('法律援助中心的电话是多少')).toBe('电话');
    expect(focusOf('跨省通办的事项又有多少?')).toBe('事项');
    expect(focusOf('人均可支配收入2025年到多少了')).toBeNull(); // 到多少: how far it reached
    expect(focusOf('平均能活到多少岁')).toBeNull();
    expect(focusOf('人大代表建议办理了多少件?')).toBeNull();
    // What was done (a one-character verb or preposition, a directional verb) is not a thing.
    expect(focusOf('城里吃低保的每个月能拿多少钱')).toBeNull();
    expect(focusOf('农村厕所2025年还要改多少')).toBeNull();
    expect(focusOf('租房补贴给多少户')).toBeNull();
    expect(focusOf('高中学位能多出来多少')).toBeNull();
    expect(focusOf('居民人均可支配收入是多少')).toBe('收入');
    expect(askedUnit('行政复议案件的纠错率是多少')).toBe('percent');
    expect(askedUnit('2021年全省引进外资多少亿元')).toBe('money');
    // A total counted in money, asked plainly, asks the amount; its growth asks a rate.
    expect(askedUnit('安徽地区生产总值是多少')).toBe('money');
    expect(askedUnit('广东去年GDP多少')).toBe('money');
    expect(askedUnit('广东去年GDP增长了多少')).toBe('percent');
  });
});

describe('query: topic shifts', () => {
  const follows = (q: string, history: string[]) =>
    analyzeQuestion(q, { lexicon, history }).isFollowUp;
  const history = ['山西2025年一般公共预算收入是多少', '那支出呢'];

  it('starts a new topic when a question names a thing of its own, however short', () => {
    expect(follows('山西省长是谁', history)).toBe(false);
    expect(follows('法律援助中心的电话是多少', history)).toBe(false);
    const a = analyzeQuestion('省长是谁', { lexicon, history });
    expect(a.standalone).toBe('省长是谁');
    expect(a.concepts.every((c) => c.source === 'question')).toBe(true);
  });

  it('inherits the topic only for elliptical questions', () => {
    expect(follows('那政协呢', history)).toBe(true);
    expect(follows('去年呢', history)).toBe(true);
    expect(follows('具体多少', history)).toBe(true);
    expect(follows('第二条是什么', history)).toBe(true);
    expect(follows('它增长了多少', history)).toBe(true);
    expect(follows('增长了多少？', history)).toBe(true);
  });

  it('lets a follow-up replace a word of the last question by another of its group (城镇 → 农村)', () => {
    const texts = (q: string, h: string[]) =>
      analyzeQuestion(q, { lexicon, history: h }).concepts.map((c) => c.text);
    const rural = texts('农村的呢？', ['四川去年城镇居民人均可支配收入增长了多少？']);
    expect(rural).toContain('农村');
    expect(rural).not.toContain('城镇');
    expect(rural.some((t) => t.includes('城镇'))).toBe(false);
    const residents = texts('农村居民呢？', ['四川2024年城镇居民人均可支配收入增长多少？']);
    expect(residents.some((t) => t.includes('城镇'))).toBe(false);
    const exports = texts('出口呢', ['江苏2025年进口增长了多少']);
    expect(exports.some((t) => t.includes('进口'))).toBe(false);
    const phrase = {
      text: '城镇居民人均可支配收入',
      forms: ['城镇居民人均可支配收入', '城镇居民收入', '人均收入'],
      weight: 3,
      source: 'question' as const,
    };
    const own = [{ text: '农村', forms: ['农村'], weight: 2, source: 'question' as const }];
    expect(inheritConcept(phrase, own)).toMatchObject({
      text: '农村居民人均可支配收入',
      forms: ['农村居民人均可支配收入', '农村居民收入'],
    });
    expect(inheritConcept({ ...phrase, text: '城镇', forms: ['城镇'] }, own)).toBeNull();
    // A word of no group the last question holds leaves its concepts as they were.
    expect(texts('去年呢', ['四川城镇居民人均可支配收入增长了多少'])).toContain(
      '城镇居民人均可支配收入',
    );
  });
});

describe('bare years in hotline shorthand', () => {
  it('reads four digits standing alone as a year', () => {
    expect(timeScope('山西 2024 工业投资 增速').years).toEqual([2024]);
    expect(timeScope('2021复议决定件数').years).toEqual([2021]);
    expect(timeScope('2025 城镇新增就业 目标').years).toEqual([2025]);
  });
  it('does not read quantities, ranges or decimals as years', () => {
    expect(timeScope('新增2024个托位').years).toEqual([]);
    expect(timeScope('投资2030万元').years).toEqual([]);
    expect(timeScope('2021-2025 规划').years).toEqual([]);
    expect(timeScope('增长12024').years).toEqual([]);
    expect(timeScope('2021年和2022年').years).toEqual([2021, 2022]);
  });
});

describe('questions about who delivered a report and when', () => {
  it('tells the speaker and the delivery date apart from publication', () => {
    expect(metaQuestion('2026年北京市政府工作报告是谁作的')).toBe('speaker');
    expect(metaQuestion('这份报告是哪位省长作的')).toBe('speaker');
    expect(metaQuestion('报告是哪天在人代会上作的')).toBe('delivered');
    expect(metaQuestion('这份报告是什么时候发布的')).toBe('date');
    expect(metaQuestion('省长是谁')).toBeNull();
  });
});

describe('the nation and new topics', () => {
  it('a comparison with the nation does not name the nation as the place asked', () => {
    expect(analyzeQuestion('比全国高多少', { lexicon }).places).toEqual([]);
    expect(analyzeQuestion('全国城镇新增就业目标', { lexicon }).places).toEqual(['全国']);
  });
  it('「换个问题」 starts a new topic', () => {
    const a = analyzeQuestion('换个问题，雄安新区盖了多少栋楼', {
      lexicon,
      history: ['河北2025年一般公共预算收入增长了多少'],
    });
    expect(a.isFollowUp).toBe(false);
    expect(a.concepts.map((c) => c.text)).not.toContain('问题');
  });
});

describe('fillers are not topics', () => {
  it('drops 问下 and a suffix joined to a verb (们提)', () => {
    const words = (q: string) => analyzeQuestion(q, { lexicon }).concepts.map((c) => c.text);
    expect(words('想问下重庆今年老小区要改多少个啊')).not.toContain('问下');
    expect(words('人大代表们提的意见建议办了几件')).not.toContain('们提');
  });
});

describe('personal numbers', () => {
  it('an ID card or phone number in the question is never a topic word', () => {
    const words = analyzeQuestion('公积金怎么提取？身份证110105199001011232', {
      lexicon,
    }).concepts.map((c) => c.text);
    expect(words).not.toContain('110');
    expect(words).toContain('公积金');
  });
});

describe('the asker telling their situation first', () => {
  it('finds the clauses from 我/我们… up to the asking clause', () => {
    expect(sceneClauses('我们双职工没人帮，新增了多少托位？')).toEqual(['我们双职工没人帮，']);
    expect(sceneClauses('我家在城里，家里困难，低保一个月多少钱')).toEqual([
      '我家在城里，',
      '家里困难，',
    ]);
    // A topic first (no 我…) is the topic, not a scene; so is a question that opens by asking.
    expect(sceneClauses('看病报销的居民医保，每人补贴多加多少？')).toEqual([]);
    expect(sceneClauses('我能领多少补贴，家里有老人')).toEqual([]);
  });

  it('weighs words said only in the scene less, the asked thing fully', () => {
    const a = analyzeQuestion('我们双职工带娃没人帮，新增了多少托儿所名额？', { lexicon });
    const plain = analyzeQuestion('双职工', { lexicon }).concepts[0]!;
    const staff = a.concepts.find((c) => c.text === '双职工')!;
    expect(staff.scene).toBe(true);
    expect(staff.weight).toBeCloseTo(plain.weight * SCENE_WEIGHT);
    expect(a.concepts.find((c) => c.text === '托儿所名额')!.scene).toBeUndefined();
    // Without a thing of its own in the asking clause, the scene keeps its weight.
    const bare = analyzeQuestion('我家老人白内障，能做吗', { lexicon });
    expect(bare.concepts.every((c) => !c.scene)).toBe(true);
  });
});

describe('words the dictionary does not know', () => {
  it('reads a run of verbs (跑到) as a light verb, a run naming a thing at full weight', () => {
    const a = analyzeQuestion('去年跑到广东玩的游客有多少人次', { lexicon });
    const ran = a.concepts.find((c) => c.text === '跑到')!;
    expect(ran.verbal).toBe(true);
    expect(ran.weight).toBeLessThan(a.concepts.find((c) => c.text === '游客')!.weight);
    const fish = analyzeQuestion('黑边天竺鲷有多少枚背鳍硬棘', { lexicon }).concepts.find(
      (c) => c.text === '黑边',
    )!;
    expect(fish.verbal).toBeUndefined();
  });
  it('keeps a relative year whole when the word before it could swallow its first character', () => {
    expect(texts('想问下去年城里新增了多少人上班')).not.toContain('question:下去');
    expect(analyzeQuestion('想问下去年城里新增了多少人上班', { lexicon }).time.relative).toBe(
      'last',
    );
  });
  it('never takes 那种 or 这种 for a topic', () => {
    expect(texts('那种幸福院今年要建多少个')).not.toContain('question:那种');
  });
});

describe('spoken ways of asking how many', () => {
  it('reads 好多 before a measure word or at the end as 多少, not 好多了 or 抓好多少', () => {
    expect(spokenQuantity('来重庆耍的游客一共有好多人？')).toBe('来重庆耍的游客一共有多少人？');
    expect(spokenQuantity('老小区一共改了好多个')).toBe('老小区一共改了多少个');
    expect(spokenQuantity('GDP到底有好多？')).toBe('GDP到底有多少？');
    expect(spokenQuantity('听说空气好多了')).toBe('听说空气好多了');
    expect(spokenQuantity('要抓好多少个项目')).toBe('要抓好多少个项目');
  });
  it('reads a count word of hotline shorthand (件数, 人数) as how many of that measure', () => {
    expect(spokenQuantity('合法性审核 件数')).toBe('合法性审核 多少件');
    expect(spokenQuantity('地方性法规 件数 2021')).toBe('地方性法规 多少件 2021');
    expect(spokenQuantity('安徽 2025 并购重组 起数')).toBe('安徽 2025 并购重组 多少起');
    expect(spokenQuantity('2025 新增就业 人数？')).toBe('2025 新增就业 多少人？');
    // Part of a word: left as written.
    expect(spokenQuantity('参保人数有多少')).toBe('参保人数有多少');
    expect(spokenQuantity('人数')).toBe('多少人');
    // As questions reach the engine, spaces between Chinese characters taken out.
    expect(spokenQuantity('合法性审核件数')).toBe('合法性审核多少件');
    expect(spokenQuantity('复议决定件数2021')).toBe('复议决定多少件2021');
    const a = analyzeQuestion('合法性审核 件数', { lexicon });
    expect(a.type).toBe('quantity');
    expect(a.concepts.map((c) => c.text)).not.toContain('件数');
  });
  it('asks for a figure and keeps the question as typed', () => {
    const a = analyzeQuestion('重庆去年GDP到底有好多亿？', { lexicon });
    expect(a.type).toBe('quantity');
    expect(a.question).toBe('重庆去年GDP到底有好多亿？');
  });
});
