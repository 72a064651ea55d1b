import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { realEngine, removeRealIndex } from './helpers/real-engine.js';

const SECTION_7 = '七、着力提升法律服务质量,矛盾纠纷化解方式持续改进';

describe('engine (end to end on the seed report)', () => {
  afterAll(removeRealIndex);
  beforeAll(async () => {
    // The first use builds the seed index: on a busy machine longer than one test's timeout.
    await realEngine();
  }, 180_000);

  it('answers a citizen with the figure and a citation to the sentence in section 七', async () => {
    const engine = await realEngine();
    const a = await engine.ask('去年山西给老百姓免费做了多少次法律咨询？');
    expect(a.found).toBe(true);
    expect(a.mode).toBe('extractive');
    expect(a.answer).toContain('46.4万人次');
    expect(a.answer).toContain('[1]');
    expect(a.answer.length).toBeLessThan(80);
    const c = a.citations[0]!;
    expect(c).toMatchObject({
      n: 1,
      docId: 'shanxi-2021-law-based-government-report.txt',
      section: SECTION_7,
    });
    expect(c.text).toContain('为群众免费提供法律咨询46.4万人次');
    expect(c.title).toBe('2021年度山西省法治政府建设年度报告');
    const passage = engine.passage(c.chunkId)!;
    expect(passage.chunk.text).toContain(c.text);
    expect(c.text.slice(c.highlight!.start, c.highlight!.end)).toBe('46.4万人次');
  });

  it('refuses a year the report does not cover, giving the neighbouring year’s figure as that year’s', async () => {
    const engine = await realEngine();
    const a = await engine.ask('2020年为群众免费提供法律咨询多少人次');
    expect(a.found).toBe(false);
    expect(a.answer).toContain('2021—2022年');
    expect(a.answer).not.toContain('46.4万人次');
    expect(a.answer).toContain('相邻的2021年的数字，见引文[1]');
    const cited = a.citations[0]!;
    expect(cited.text.slice(cited.highlight!.start, cited.highlight!.end)).toBe('46.4万人次');
    const far = await engine.ask('2018年为群众免费提供法律咨询多少人次');
    expect(far.found).toBe(false);
    expect(far.answer).not.toContain('46.4万人次');
  });

  it('citation offsets point into the cleaned document text', async () => {
    const engine = await realEngine();
    const a = await engine.ask('信访事项及时受理率是多少');
    const c = a.citations[0]!;
    const chunk = engine.passage(c.chunkId)!.chunk;
    expect(c.start).toBeGreaterThanOrEqual(chunk.start);
    expect(c.end).toBeLessThanOrEqual(chunk.end);
    expect(chunk.text.slice(c.start - chunk.start, c.end - chunk.start)).toBe(c.text);
    expect(a.answer).toContain('99.7%');
  });

  it('follows a hotline conversation: 811, then 870 for the elliptical follow-up', async () => {
    const engine = await realEngine();
    const first = await engine.ask('人大代表建议办理了多少件？');
    expect(first.answer).toContain('811');
    const second = await engine.ask('那政协提案呢？', { history: ['人大代表建议办理了多少件？'] });
    expect(second.found).toBe(true);
    expect(second.answer).toContain('870');
    expect(
      second.citations[0]!.text.slice(
        second.citations[0]!.highlight!.start,
        second.citations[0]!.highlight!.end,
      ),
    ).toBe('870件');
    // Each answer reads out only its own item of 「人大代表建议811件、政协提案870件」.
    expect(first.answer).not.toContain('870');
    expect(second.answer).not.toContain('811');
    const shortest = await engine.ask('政协的呢', { history: ['山西去年人大代表的建议办了几件'] });
    expect(shortest.answer).toContain('政协提案870件');
    expect(shortest.answer).not.toContain('811');
  });

  it('resolves 「其中成功了多少」 and 「修改和废止的呢」 against the previous question', async () => {
    const engine = await realEngine();
    expect(
      (await engine.ask('其中成功了多少', { history: ['全省调解了多少纠纷？'] })).answer,
    ).toContain('11.94万');
    expect(
      (await engine.ask('修改和废止的呢', { history: ['去年省里新定了多少部政府规章'] })).answer,
    ).toContain('16件');
  });

  it('says plainly when the report does not answer, with the closest passages and no figure', async () => {
    const engine = await realEngine();
    const questions = [
      '山西省2021年GDP是多少？',
      '2021年山西的财政收入是多少？',
      '山西省的省长是谁？',
      '如何办理护照',
      '帮我写一首关于春天的诗',
      '法律援助中心的电话是多少', // near miss: shares 法律援助, asks for something never stated
      '行政复议案件的纠错率是多少', // a rate the report never gives (it gives counts)
      '上海的法律援助案件有多少', // a place no ingested report covers
    ];
    const answered: string[] = [];
    for (const q of questions) {
      const a = await engine.ask(q);
      if (a.found) {
        answered.push(`${q} → ${a.answer}`);
        continue;
      }
      expect(a.answer).toMatch(/没有/);
      expect(a.answer).not.toMatch(/\d/);
      expect(a.citations.length).toBeGreaterThan(0);
    }
    // The decision is a fitted model, not a rule per question: at the last fit it refused six
    // of these eight (see the README's validation table for refusals measured at scale).
    expect(answered.length, answered.join('\n')).toBeLessThanOrEqual(2);
  });

  it('answers questions about the document itself from its metadata', async () => {
    const engine = await realEngine();
    const a = await engine.ask('这份报告是什么时候发布的？');
    expect(a.found).toBe(true);
    expect(a.answer).toContain('2022-08-16');
    expect((await engine.ask('报告的信息来源是哪里')).answer).toContain('山西省人民政府');
  });

  it('understands traditional characters, full-width digits and colloquial wording', async () => {
    const engine = await realEngine();
    expect((await engine.ask('政協提案辦理了多少件')).answer).toContain('870');
    const legalAid = await engine.ask('想打官司但没钱，能找政府帮忙吗');
    expect(legalAid.found).toBe(true);
    expect(legalAid.answer).toContain('法律援助');
  });

  it('resolves 今年 to the plan for the next year', async () => {
    const engine = await realEngine();
    const a = await engine.ask('今年政府打算怎么改善做生意的环境？');
    expect(a.citations[0]!.section).toBe('下一步工作安排');
  });

  it('streams the answer text in pieces that add up to the answer', async () => {
    const engine = await realEngine();
    const pieces: string[] = [];
    const a = await engine.ask('备案审查了多少件规章和规范性文件？', {
      onDelta: (t) => pieces.push(t),
    });
    expect(pieces.length).toBeGreaterThan(0);
    expect(pieces.join('')).toBe(a.answer);
  });

  it('suggests questions derived from the report that it can answer', async () => {
    const engine = await realEngine();
    const suggestions = engine.suggestions(6);
    expect(suggestions.length).toBeGreaterThanOrEqual(4);
    for (const s of suggestions) expect((await engine.ask(s)).found, s).toBe(true);
  });

  it('rejects empty and over-long questions with stable codes', async () => {
    const engine = await realEngine();
    await expect(engine.ask('   ')).rejects.toMatchObject({ code: 'EMPTY_QUESTION' });
    await expect(engine.ask('问'.repeat(500))).rejects.toMatchObject({ code: 'QUESTION_TOO_LONG' });
  });
});
