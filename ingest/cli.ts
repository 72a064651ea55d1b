/**
 * `npm run ingest [-- --full]`: builds the index from CORPUS_DIR into INDEX_DIR and prints
 * what changed. The only ingest entry point (and, with src/main.ts, the only exit()).
 */
import { loadConfig } from '../src/config.js';
import { createEmbedder } from '../src/embeddings/index.js';
import { isAppError } from '../src/errors.js';
import { buildIndex, type IngestReport } from './build-index.js';

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

async function main(): Promise<void> {
  const config = loadConfig();
  const full = process.argv.includes('--full');
  const report = await buildIndex({
    corpusDir: config.CORPUS_DIR,
    indexDir: config.INDEX_DIR,
    embedder: createEmbedder(config),
    batchSize: config.EMBEDDINGS_BATCH_SIZE,
    full,
  });
  console.log(formatReport(report));
}

main().catch((error: unknown) => {
  console.error(isAppError(error) ? `[${error.code}] ${error.message}` : error);
  process.exit(1);
});
