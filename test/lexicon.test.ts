import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  Lexicon,
  LexiconParseError,
  VOCAB_DIR,
  loadLexicon,
  parseLexicon,
  vocabFiles,
} from '../src/text/lexicon.js';

const SHARED = '/work/shared';
const REPORTS = path.join(SHARED, 'corpora/gov-reports');
const SEED = path.join(SHARED, 'seed');
/** Reports held out for validation: no vocabulary decision may look at them. */
const HELD_OUT = [
  '2026_吉林省',
  '2026_陕西省',
  '2026_云南省',
  '2026_江西省',
  '2026_黑龙江省',
  '2025_安徽省',
];

const officialOf = (lex: Lexicon, text: string) => lex.find(text).flatMap((h) => h.official);

/** Every entry of every vocab file, with the file it came from. */
const vocab = vocabFiles().map((file) => ({
  file,
  entries: parseLexicon(readFileSync(file, 'utf8'), file),
}));

describe('lexicon', () => {
  const tmp = mkdtempSync(path.join(tmpdir(), 'lexicon-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('ships hundreds of entries mapping everyday words to report vocabulary', () => {
    const lex = loadLexicon();
    expect(lex.size).toBeGreaterThan(400);
    expect(officialOf(lex, '想打官司但没钱')).toContain('法律援助');
    expect(officialOf(lex, '在手机上就能办事吗')).toContain('一网通办');
  });

  it('matches the longest everyday phrase without overlaps', () => {
    const lex = new Lexicon(parseLexicon('营业执照 = 执照,办执照\n证照分离 = 办执照难'));
    expect(lex.find('现在办执照难吗').map((h) => h.phrase)).toEqual(['办执照难']);
  });

  it('reads an everyday phrase inside an official term typed in full, of any entry, as that term', () => {
    const lex = new Lexicon(
      parseLexicon('城镇老旧小区改造 = 旧小区改造,小区改造\n老旧小区,老旧小区改造 = 老小区'),
    );
    const [hit] = lex.find('老旧小区改造了多少个');
    expect(hit?.phrase).toBe('老旧小区改造');
    expect(hit?.official).toEqual([]);
    // The everyday word's own terms may be wider than the term typed: only the term's own count.
    const income = new Lexicon(
      parseLexicon(
        '居民人均可支配收入 = 人均收入,人均可支配收入\n农村居民人均可支配收入 = 农民收入',
      ),
    );
    expect(income.find('农村居民人均可支配收入是多少')).toEqual([
      { phrase: '农村居民人均可支配收入', official: [] },
    ]);
    // Typed as the everyday phrase alone, it stays that phrase.
    expect(lex.find('旧小区改造了多少个')[0]?.phrase).toBe('旧小区改造');
  });

  it('reports a malformed line with its number', () => {
    expect(() => parseLexicon('# ok\n法律援助 打官司', 'x.txt')).toThrow(/x\.txt:2/);
    expect(() => parseLexicon('法律顾问 = 律师 @ ', 'y.txt')).toThrow(/y\.txt:1/);
    expect(() => parseLexicon('法律顾问 = 律师 @ 政府 @ 单位', 'z.txt')).toThrow(LexiconParseError);
  });

  it('applies a context entry only when the question names one of its context words', () => {
    const lex = new Lexicon(parseLexicon('法律顾问 = 律师 @ 政府,机关,单位'));
    expect(officialOf(lex, '政府请的律师是谁')).toEqual(['法律顾问']);
    expect(officialOf(lex, '单位有没有律师')).toEqual(['法律顾问']);
    expect(lex.find('怎么找律师')).toEqual([]);
    expect(lex.officialFor('律师')).toEqual([]);
    expect(lex.officialFor('律师', '政府请的律师')).toEqual(['法律顾问']);
  });

  it('keeps context-free and context terms of one word apart', () => {
    const lex = new Lexicon(parseLexicon('法律服务 = 律师\n法律顾问 = 律师 @ 政府'));
    expect(officialOf(lex, '怎么找律师')).toEqual(['法律服务']);
    expect(officialOf(lex, '政府请的律师').sort()).toEqual(['法律服务', '法律顾问'].sort());
  });

  it('leaves the characters of a phrase whose context is missing to shorter phrases', () => {
    const lex = new Lexicon(parseLexicon('中欧班列 = 货运火车 @ 欧洲\n铁路 = 火车'));
    expect(lex.find('坐火车去北京').map((h) => h.official)).toEqual([['铁路']]);
    expect(lex.find('货运火车去北京').map((h) => h.official)).toEqual([['铁路']]);
    expect(officialOf(lex, '发往欧洲的货运火车')).toEqual(['中欧班列']);
  });

  it('reads lexicon.txt and every vocab file, merging a word listed in two files', () => {
    const dir = mkdtempSync(path.join(tmp, 'vocab-'));
    writeFileSync(path.join(dir, 'a-housing.txt'), '# 住房\n老旧小区 = 老小区\n');
    writeFileSync(path.join(dir, 'b-services.txt'), '城市更新 = 老小区\n法律顾问 = 律师 @ 政府\n');
    writeFileSync(path.join(dir, 'notes.md'), '不是词表 = 不读\n');
    const builtinFile = path.join(tmp, 'main.txt');
    writeFileSync(builtinFile, '法律顾问 = 律师 @ 机关\n');
    const lex = loadLexicon('', { vocabDir: dir, builtinFile });
    expect(lex.officialFor('老小区').sort()).toEqual(['城市更新', '老旧小区'].sort());
    expect(lex.officialFor('不读')).toEqual([]);
    expect(officialOf(lex, '机关的律师')).toEqual(['法律顾问']);
    expect(officialOf(lex, '政府的律师')).toEqual(['法律顾问']);
  });

  it('names the file and line of a parse error while loading', () => {
    const dir = mkdtempSync(path.join(tmp, 'bad-'));
    const bad = path.join(dir, 'bad.txt');
    writeFileSync(bad, '# 注释\n托育 = 托儿所\n规范性文件 红头文件\n');
    expect(() => loadLexicon('', { vocabDir: dir })).toThrow(`${bad}:3`);
  });

  it('finds the vocab folder beside the module', () => {
    expect(VOCAB_DIR.endsWith(path.join('text', 'vocab'))).toBe(true);
    expect(vocabFiles().length).toBeGreaterThanOrEqual(18);
  });

  it('parses every vocab file', () => {
    for (const file of vocabFiles())
      expect(() => parseLexicon(readFileSync(file, 'utf8'), file)).not.toThrow();
    expect(vocab.every((v) => v.entries.length > 0)).toBe(true);
  });

  it('holds at least 3,000 everyday → official mappings in the vocab files', () => {
    // An everyday word counts once per entry, and only when it stands for a term other than itself.
    const count = vocab
      .flatMap((v) => v.entries)
      .reduce(
        (n, e) => n + new Set(e.everyday.filter((w) => e.official.some((o) => o !== w))).size,
        0,
      );
    expect(count).toBeGreaterThanOrEqual(3000);
  });

  it('reaches official terms from everyday wording that combines word by word', () => {
    const lex = loadLexicon();
    expect(officialOf(lex, '托儿所名额够不够')).toContain('托育');
    expect(officialOf(lex, '老小区什么时候改造')).toContain('老旧小区');
    expect(officialOf(lex, '红头文件要审查吗')).toContain('规范性文件');
    expect(officialOf(lex, '发往欧洲的货运火车开了多少')).toContain('中欧班列');
    expect(officialOf(lex, '政府请的律师有多少')).toContain('法律顾问');
    expect(officialOf(lex, '丢了工作又重新找到活干')).toContain('再就业');
    expect(officialOf(lex, '写个保证书就能批下来')).toContain('告知承诺');
    expect(officialOf(lex, '退休金涨了多少')).toContain('基本养老金');
  });

  it('reaches the field terms added for everyday wording of figures and services', () => {
    const lex = loadLexicon();
    expect(officialOf(lex, '这里的人平均能活到几岁')).toContain('人均预期寿命');
    expect(officialOf(lex, '去年找到工作的有几个')).toContain('城镇新增就业');
    expect(officialOf(lex, '老板拖欠工资怎么管')).toContain('根治欠薪');
    expect(officialOf(lex, '楼里的老电梯换不换')).toContain('老旧电梯');
    expect(officialOf(lex, '医院晚上看病方便吗')).toContain('夜间门诊');
    expect(officialOf(lex, '地里的粮食打了多少斤')).toContain('粮食产量');
    expect(officialOf(lex, '学校操场翻新')).toContain('体育场地');
    expect(officialOf(lex, '社区有没有老年食堂')).toContain('老年助餐');
    // A context entry holds only beside its context word.
    expect(officialOf(lex, '街上的电动车有多少辆')).toContain('新能源汽车');
    expect(officialOf(lex, '电动车')).not.toContain('新能源汽车');
    expect(officialOf(lex, '孤儿每个月的生活费保底多少')).toEqual(
      expect.arrayContaining(['基本生活保障', '最低标准']),
    );
    expect(officialOf(lex, '跟诈骗有关的报警降了多少')).toEqual(
      expect.arrayContaining(['涉诈', '警情']),
    );
    expect(officialOf(lex, '住在地灾隐患点的要搬走多少人')).toEqual(
      expect.arrayContaining(['地质灾害避险搬迁', '搬迁']),
    );
    expect(officialOf(lex, '搬走了')).not.toContain('搬迁');
    // 经济 asks for the output only beside a word of growth or size.
    expect(officialOf(lex, '经济长了多少')).toContain('地区生产总值');
    expect(officialOf(lex, '数字经济有哪些项目')).not.toContain('地区生产总值');
  });

  it('reaches the second round of field terms from everyday wording', () => {
    const lex = loadLexicon();
    expect(officialOf(lex, '暖气管子太老了')).toContain('供热管网');
    expect(officialOf(lex, '小企业贷款到期能续贷吗')).toContain('无还本续贷');
    expect(officialOf(lex, '路坑坑洼洼的要翻修')).toContain('更新改造');
    expect(officialOf(lex, '太湖的水干净点了吗')).toContain('水质');
    expect(officialOf(lex, '地铁现在总共有多长')).toContain('运营里程');
    expect(officialOf(lex, '住院的钱能全报吗')).toContain('全额报销');
    expect(officialOf(lex, '有几个姐妹城市')).toContain('国际友城');
    expect(officialOf(lex, '村里的地荒着没人种')).toContain('撂荒');
    expect(officialOf(lex, '什么时候能晚退休')).toContain('延迟退休');
    expect(officialOf(lex, '下大雨发大水怎么办')).toContain('洪水');
    expect(officialOf(lex, '孩子想读职校')).toContain('职业院校');
    expect(officialOf(lex, '农村养老金每月最少能拿')).toContain('最低标准');
    expect(officialOf(lex, '最少能拿')).not.toContain('最低标准');
    // A longer everyday word keeps the report terms of the shorter one inside it.
    expect(officialOf(lex, '暖气管子太老了')).toContain('供热');
    expect(officialOf(lex, '下雨积水')).toContain('内涝');
    expect(officialOf(lex, '天津去年地铁新开了哪几段')).toContain('建成通车');
    expect(officialOf(lex, '货运火车开了多少趟')).toContain('开行');
    expect(officialOf(lex, '教室装上空调了吗')).toContain('加装空调');
    // A context entry holds only beside its context word.
    expect(officialOf(lex, '种地的活能托管吗')).toContain('农业生产托管');
    expect(officialOf(lex, '孩子放学托管')).not.toContain('农业生产托管');
  });

  it('reaches the wider report words for tourists and household income', () => {
    const lex = loadLexicon();
    // 接待境内外游客: the report does not write 接待游客 together.
    expect(officialOf(lex, '来旅游的人一共有多少')).toContain('游客');
    // 居民人均可支配收入, where the report does not split town and country.
    expect(officialOf(lex, '一年到手能挣多少钱')).toContain('居民人均可支配收入');
  });

  it('answers a question in well under a millisecond', () => {
    const lex = loadLexicon();
    const questions = [
      '政府请的律师有多少',
      '村里的老人看病能报销多少',
      '去年城里新增了多少工作',
      '发往欧洲的货运火车开了多少趟',
    ];
    const rounds = 500;
    const start = performance.now();
    for (let i = 0; i < rounds; i++) for (const q of questions) lex.find(q);
    expect((performance.now() - start) / (rounds * questions.length)).toBeLessThan(1);
  });

  const reports = existsSync(REPORTS)
    ? readdirSync(REPORTS)
        .filter((f) => f.endsWith('.txt') && !HELD_OUT.some((h) => f.startsWith(h)))
        .map((f) => path.join(REPORTS, f))
    : [];
  const seeds = existsSync(SEED)
    ? readdirSync(SEED)
        .filter((f) => f.endsWith('.txt'))
        .map((f) => path.join(SEED, f))
    : [];
  const present = reports.length > 0;
  const name =
    'uses only official terms that occur in a training report (held-out reports excluded)';
  if (present) {
    it(name, () => {
      const corpus = [...reports, ...seeds].map((f) => readFileSync(f, 'utf8')).join('\n');
      const missing = vocab.flatMap((v) =>
        v.entries.flatMap((e) =>
          e.official
            .filter((o) => !corpus.includes(o))
            .map((o) => `${path.basename(v.file)}: ${o}`),
        ),
      );
      expect(missing).toEqual([]);
    });
  } else {
    it.skip(`${name}: skipped, the training reports (${REPORTS}) are not on this machine`, () => {});
  }
});
