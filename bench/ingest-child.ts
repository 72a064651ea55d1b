/**
 * Runs one full ingest in its own process and prints its time, the time of each phase, the
 * facts extracted and peak memory (VmHWM), so the benchmarks measure ingest alone.
 * Usage: tsx bench/ingest-child.ts CORPUS INDEX
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { buildIndex, type IngestProgress } from '../ingest/build-index.js';
import { loadConfig } from '../src/config.js';
import { createEmbedder } from '../src/embeddings/index.js';
import { readFacts } from '../src/index-store.js';

const [corpusDir, indexDir] = process.argv.slice(2) as [string, string];
const config = loadConfig({ env: { CORPUS_DIR: corpusDir, INDEX_DIR: indexDir } });
const t = performance.now();
/** When each phase began, in ms from the start. */
const phases: Partial<Record<IngestProgress['phase'], number>> = {};
const report = await buildIndex({
  corpusDir,
  indexDir,
  embedder: createEmbedder(config),
  full: true,
  onProgress: (p) => (phases[p.phase] ??= performance.now() - t),
});
const ms = performance.now() - t;
const hwm =
  Number(readFileSync('/proc/self/status', 'utf8').match(/VmHWM:\s+(\d+)/)?.[1] ?? 0) * 1024;
console.log(
  JSON.stringify({
    ms,
    phases,
    documents: report.documents,
    chunks: report.chunks,
    failed: report.failed.length,
    facts: (await readFacts(indexDir))?.length ?? 0,
    peakRss: hwm,
  }),
);
