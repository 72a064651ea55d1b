import { describe, expect, it } from 'vitest';
import { formatProgress, formatReport } from '../ingest/report.js';

describe('ingest report', () => {
  it('fits a thousand-file ingest on one screen, failures first', () => {
    const added = Array.from({ length: 1000 }, (_, i) => `doc-${i}.txt`);
    const text = formatReport({
      added,
      changed: [],
      removed: [],
      unchanged: [],
      failed: [{ docId: 'bad.pdf', reason: '无法解析 PDF 文件' }],
      documents: 1000,
      chunks: 5000,
      embedded: 5000,
      ms: 1234,
    });
    const lines = text.split('\n');
    expect(lines.length).toBeLessThanOrEqual(24);
    expect(lines[0]).toContain('1000 个文档');
    expect(lines[2]).toBe('  ! bad.pdf: 无法解析 PDF 文件');
    expect(text).toContain('…另有 992 个');
  });

  it('draws a progress bar with the phase and the counts', () => {
    const line = formatProgress(
      {
        phase: 'embedding',
        files: 10,
        filesTotal: 10,
        passages: 200,
        embedded: 100,
        embedTotal: 200,
      },
      10,
    );
    expect(line).toBe('[█████░░░░░]  50% 计算向量 100/200 · 段落 200');
  });
});
