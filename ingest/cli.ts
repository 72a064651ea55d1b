/**
 * `npm run ingest [-- --full]`: builds the index from CORPUS_DIR into INDEX_DIR, with a
 * progress bar on a terminal, then a one-screen summary. The only ingest entry point
 * (and, with src/main.ts, the only exit()).
 */
import { loadConfig } from '../src/config.js';
import { createEmbedder } from '../src/embeddings/index.js';
import { isAppError } from '../src/errors.js';
import { buildIndex } from './build-index.js';
import { formatProgress, formatReport } from './report.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const full = process.argv.includes('--full');
  const tty = process.stderr.isTTY === true;
  let last = 0;
  const report = await buildIndex({
    corpusDir: config.CORPUS_DIR,
    indexDir: config.INDEX_DIR,
    embedder: createEmbedder(config),
    batchSize: config.EMBEDDINGS_BATCH_SIZE,
    full,
    onProgress(progress) {
      // Redrawn in place at most ten times a second; nothing at all when piped to a file.
      const now = Date.now();
      if (!tty || (now - last < 100 && progress.phase !== 'saving')) return;
      last = now;
      process.stderr.write(`\r${formatProgress(progress)}\u001b[K`);
    },
  });
  if (tty) process.stderr.write('\r\u001b[K');
  console.log(formatReport(report));
}

main().catch((error: unknown) => {
  if (process.stderr.isTTY) process.stderr.write('\n');
  console.error(isAppError(error) ? `[${error.code}] ${error.message}` : error);
  process.exit(1);
});
