/** The ingest report as the lines `npm run ingest` prints. Pure. */
import type { IngestReport } from './build-index.js';

export function formatReport(r: IngestReport): string {
  const lines = [
    `导入完成：${r.documents} 个文档，${r.chunks} 个段落，新向量 ${r.embedded} 个，用时 ${r.ms} ms`,
    `  新增 ${r.added.length} · 更新 ${r.changed.length} · 删除 ${r.removed.length} · 未变 ${r.unchanged.length} · 失败 ${r.failed.length}`,
  ];
  for (const d of r.added) lines.push(`  + ${d}`);
  for (const d of r.changed) lines.push(`  ~ ${d}`);
  for (const d of r.removed) lines.push(`  - ${d}`);
  for (const f of r.failed) lines.push(`  ! ${f.docId}: ${f.reason}`);
  return lines.join('\n');
}
