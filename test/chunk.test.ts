import { describe, expect, it } from 'vitest';
import { chunkDocument, splitSentences } from '../ingest/chunk.js';
import { loadFile } from '../ingest/load.js';
import { prepareDocument } from '../ingest/prepare.js';
import { findStructure } from '../ingest/sections.js';

describe('chunk', () => {
  it('ends sentences at 。！？； and keeps the stop and closing quote with the sentence', () => {
    const t = '第一句。第二句！“第三句？”第四句；尾巴';
    expect(splitSentences(t).map((s) => t.slice(s.start, s.end))).toEqual([
      '第一句。',
      '第二句！',
      '“第三句？”',
      '第四句；',
      '尾巴',
    ]);
  });

  it('never splits inside a sentence, and text.slice(start, end) equals every chunk', async () => {
    const file = new URL('../corpus/shanxi-2021-law-based-government-report.txt', import.meta.url)
      .pathname;
    const p = prepareDocument(await loadFile({ docId: 'seed.txt', absPath: file }));
    expect(p.chunks.length).toBeGreaterThan(15);
    for (const c of p.chunks) {
      expect(p.text.slice(c.start, c.end)).toBe(c.text);
      for (const s of c.sentences)
        expect(/[。！？!?；;”]$/.test(p.text.slice(s.start, s.end)) || c.kind === 'title').toBe(
          true,
        );
    }
    const legal = p.chunks.find((c) => c.text.includes('46.4万人次'));
    expect(legal?.section).toBe('七、着力提升法律服务质量,矛盾纠纷化解方式持续改进');
  });

  it('gives stable, content-derived ids', () => {
    const text = '标题报告\n一、第一部分\n甲乙丙。丁戊己。';
    const st = findStructure(text, { title: '标题报告' });
    const a = chunkDocument('d.txt', text, st, { maxChars: 200 }).map((c) => c.id);
    const b = chunkDocument('d.txt', text, st, { maxChars: 200 }).map((c) => c.id);
    expect(a).toEqual(b);
    expect(new Set(a).size).toBe(a.length);
    const other = chunkDocument('e.txt', text, st, { maxChars: 200 }).map((c) => c.id);
    expect(other).not.toEqual(a);
  });

  it('keeps a long sentence whole rather than cutting it', () => {
    const long = `${'很长的句子'.repeat(60)}。短句。`;
    const text = `报告\n一、部分\n${long}`;
    const chunks = chunkDocument('d.txt', text, findStructure(text, { title: '报告' }), {
      maxChars: 100,
    });
    expect(chunks.some((c) => c.text === `${'很长的句子'.repeat(60)}。`)).toBe(true);
  });
});
