/**
 * The core section of `npm run bench`: ingest time and index load time on the seed,
 * and in-process answer latency over every development question, next to a bare BM25
 * lookup over the same index measured in the same run (the baseline).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { buildIndex } from '../ingest/build-index.js';
import { loadConfig, PROJECT_ROOT } from '../src/config.js';
import { createEmbedder } from '../src/embeddings/index.js';
import { loadEngine } from '../src/engine.js';
import { parseItems } from '../src/eval/score.js';
import { loadIndex } from '../src/index-store.js';
import { KeywordIndex, queryTokens } from '../src/retrieval/keyword.js';
import { ms, quantile, timed } from './stats.js';

const DEV = path.resolve(PROJECT_ROOT, '../shared/eval/dev.jsonl');

/** Rounds of every question asked before measuring: the steady state of a serving process. */
export const WARM_ROUNDS = 10;

export async function runCoreBench(rounds = 20): Promise<string> {
  const indexDir = mkdtempSync(path.join(tmpdir(), 'wz-bench-core-'));
  try {
    const config = loadConfig({ env: { INDEX_DIR: indexDir, LOG_LEVEL: 'silent' } });
    const embedder = createEmbedder(config);
    const ingest = await timed(() =>
      buildIndex({ corpusDir: config.CORPUS_DIR, indexDir, embedder, full: true }),
    );
    const load = await timed(() =>
      loadIndex(indexDir, { embeddings: embedder.embeddings, embedderId: embedder.id }),
    );
    const engine = await loadEngine(config);
    const items = parseItems(readFileSync(DEV, 'utf8'));
    const keyword = new KeywordIndex(load.value.keyword);
    // A serving process answers warm: jieba, OpenCC, the IDF table and the JIT first
    // (WARM_ROUNDS rounds, not measured).
    for (let w = 0; w < WARM_ROUNDS; w++)
      for (const it of items) await engine.ask(it.question, { history: it.history });
    const answer: number[] = [];
    const bm25: number[] = [];
    const loadBefore = loadavg()[0]!;
    for (let r = 0; r < rounds; r++) {
      for (const it of items) {
        answer.push((await timed(() => engine.ask(it.question, { history: it.history }))).ms);
        bm25.push(
          (await timed(() => keyword.search(queryTokens(new Map([[it.question, 1]])), 8))).ms,
        );
      }
    }
    const loadAfter = loadavg()[0]!;
    return [
      `Seed report, ${items.length} development questions × ${rounds} rounds after ${WARM_ROUNDS} warm-up rounds, in process (load average ${loadBefore.toFixed(1)} → ${loadAfter.toFixed(1)} on 2 cores):`,
      '',
      '| measure | p50 ms | p95 ms |',
      '|---|---|---|',
      `| answer (normalise → analyse → hybrid retrieval → extractive answer) | ${ms(quantile(answer, 0.5))} | ${ms(quantile(answer, 0.95))} |`,
      `| baseline: bare BM25 lookup, same index | ${ms(quantile(bm25, 0.5))} | ${ms(quantile(bm25, 0.95))} |`,
      '',
      `Goal p50 ≤ 1 ms and p95 ≤ 3 ms: ${quantile(answer, 0.5) <= 1 && quantile(answer, 0.95) <= 3 ? 'met' : 'not met'}.`,
      '',
      `Ingest of the seed (clean, structure, chunk, embed, HNSW + BM25, atomic write): ${ms(ingest.ms)} ms for ${ingest.value.chunks} chunks. Index load: ${ms(load.ms)} ms.`,
    ].join('\n');
  } finally {
    rmSync(indexDir, { recursive: true, force: true });
  }
}
