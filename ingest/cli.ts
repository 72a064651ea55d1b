/**
 * `npm run ingest [-- --full]`: builds the index from CORPUS_DIR into INDEX_DIR and prints
 * what changed. The only ingest entry point (and, with src/main.ts, the only exit()).
 */
import { loadConfig } from '../src/config.js';
import { createEmbedder } from '../src/embeddings/index.js';
import { isAppError } from '../src/errors.js';
import { buildIndex } from './build-index.js';
import { ingestLimits } from './file-errors.js';
import { formatReport } from './report.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const full = process.argv.includes('--full');
  const report = await buildIndex({
    corpusDir: config.CORPUS_DIR,
    indexDir: config.INDEX_DIR,
    embedder: createEmbedder(config),
    batchSize: config.EMBEDDINGS_BATCH_SIZE,
    limits: ingestLimits(config),
    full,
  });
  console.log(formatReport(report));
}

main().catch((error: unknown) => {
  console.error(isAppError(error) ? `[${error.code}] ${error.message}` : error);
  process.exit(1);
});
