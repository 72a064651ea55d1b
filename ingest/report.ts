/** The ingest report as `npm run ingest` prints it: a progress bar while it runs, then one screen. Pure. */
import type { IngestProgress, IngestReport } from './build-index.js';

/** Lines of a list shown before 「…另有 n 个」. */
const MAX_LISTED = 8;

function listed(marker: string, items: string[]): string[] {
  const lines = items.slice(0, MAX_LISTED).map((d) => `  ${marker} ${d}`);
  if (items.length > MAX_LISTED) lines.push(`  ${marker} …另有 ${items.length - MAX_LISTED} 个`);
  return lines;
}

/** The summary: totals, then at most a few lines per kind of change (failures first). */
export function formatReport(r: IngestReport): string {
  const lines = [
    `导入完成：${r.documents} 个文档，${r.chunks} 个段落，新向量 ${r.embedded} 个，用时 ${r.ms} ms`,
    `  新增 ${r.added.length} · 更新 ${r.changed.length} · 删除 ${r.removed.length} · 未变 ${r.unchanged.length} · 失败 ${r.failed.length}`,
  ];
  lines.push(
    ...listed(
      '!',
      r.failed.map((f) => `${f.docId}: ${f.reason}`),
    ),
  );
  lines.push(...listed('+', r.added), ...listed('~', r.changed), ...listed('-', r.removed));
  return lines.join('\n');
}

/** One line of progress: a bar of `width` cells, what is being done and the counts. */
export function formatProgress(p: IngestProgress, width = 24): string {
  const [done, total, label] =
    p.phase === 'embedding'
      ? [p.embedded, p.embedTotal, '计算向量']
      : p.phase === 'saving'
        ? [1, 1, '保存索引']
        : [p.files, p.filesTotal, '读取文件'];
  const ratio = total > 0 ? Math.min(done / total, 1) : 0;
  const filled = Math.round(ratio * width);
  const counts = p.phase === 'saving' ? '' : ` ${done}/${total}`;
  return `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${String(Math.round(ratio * 100)).padStart(3)}% ${label}${counts} · 段落 ${p.passages}`;
}
