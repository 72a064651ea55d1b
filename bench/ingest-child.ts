/**
 * Runs one full ingest in its own process and prints its time and peak memory (VmHWM),
 * so the scale benchmark measures ingest alone. Usage: tsx bench/ingest-child.ts CORPUS INDEX
 */
import { readFileSync } from 'node:fs';
import { buildIndex } from '../ingest/build-index.js';
import { loadConfig } from '../src/config.js';
import { createEmbedder } from '../src/embeddings/index.js';

const [corpusDir, indexDir] = process.argv.slice(2) as [string, string];
const config = loadConfig({ env: { CORPUS_DIR: corpusDir, INDEX_DIR: indexDir } });
const t = Date.now();
const report = await buildIndex({
  corpusDir,
  indexDir,
  embedder: createEmbedder(config),
  full: true,
});
const hwm =
  Number(readFileSync('/proc/self/status', 'utf8').match(/VmHWM:\s+(\d+)/)?.[1] ?? 0) * 1024;
console.log(
  JSON.stringify({
    ms: Date.now() - t,
    documents: report.documents,
    chunks: report.chunks,
    failed: report.failed.length,
    peakRss: hwm,
  }),
);
