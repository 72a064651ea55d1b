import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cleanText, htmlToText } from '../ingest/clean.js';

const seed = readFileSync(
  new URL('../corpus/shanxi-2021-law-based-government-report.txt', import.meta.url),
  'utf8',
);

describe('clean', () => {
  const { text, dropped, metaLines } = cleanText(seed);

  it('drops the site chrome of the scraped page', () => {
    for (const chrome of ['无障碍版本', '登录', '注册', '网站支持IPv6', '浏览次数', '【字体']) {
      expect(text).not.toContain(chrome);
    }
    expect(text.trimEnd().endsWith('乡镇')).toBe(false);
    expect(dropped).toContain('乡镇');
  });

  it('keeps the title first and the first and last sentences of the report intact', () => {
    expect(text.split('\n')[0]).toBe('2021年度山西省法治政府建设年度报告');
    expect(text).toContain(
      '2021年,省委、省政府带领全省各级各部门坚持以习近平新时代中国特色社会主义思想为指导,全面贯彻党的十九大和十九届历次全会精神',
    );
    expect(
      text.endsWith('为全方位推动高质量发展提供法治保障,以优异的成绩迎接党的二十大胜利召开。'),
    ).toBe(true);
  });

  it('keeps every report sentence of the source', () => {
    const sentences = seed.normalize('NFKC').match(/[^。\n]{8,}。/g) ?? [];
    expect(sentences.length).toBeGreaterThan(40);
    for (const s of sentences) expect(text).toContain(s.trim());
  });

  it('sets the 时间/来源 bar aside for metadata', () => {
    expect(metaLines.join(' ')).toMatch(/2022-08-16/);
    expect(metaLines.join(' ')).toMatch(/山西省人民政府/);
  });

  it('reduces HTML to text lines without scripts', () => {
    const lines = htmlToText(
      '<html><script>alert(1)</script><h1>标题</h1><p>第一段。</p><p>第二&amp;段。</p></html>',
    );
    expect(lines).not.toContain('alert');
    expect(lines.split('\n').filter(Boolean)).toEqual(['标题', '第一段。', '第二&段。']);
  });
});
