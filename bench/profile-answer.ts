/**
 * Asks the development questions many times over the seed index (built once into the folder
 * given), for `node --cpu-prof --import tsx bench/profile-answer.ts DIR [ROUNDS]`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildIndex } from '../ingest/build-index.js';
import { loadConfig, PROJECT_ROOT } from '../src/config.js';
import { createEmbedder } from '../src/embeddings/index.js';
import { createEngine } from '../src/engine.js';
import { parseItems } from '../src/eval/score.js';
import { hasIndex, loadIndex } from '../src/index-store.js';

const [dir, roundsArg] = process.argv.slice(2) as [string, string | undefined];
const indexDir = path.resolve(dir);
const config = loadConfig({ env: { INDEX_DIR: indexDir, LOG_LEVEL: 'silent' } });
const embedder = createEmbedder(config);
if (!hasIndex(indexDir))
  await buildIndex({ corpusDir: config.CORPUS_DIR, indexDir, embedder, full: true });
const index = await loadIndex(indexDir, {
  embeddings: embedder.embeddings,
  embedderId: embedder.id,
});
const engine = createEngine(config, { ...index, embedder });
const items = parseItems(
  readFileSync(path.resolve(PROJECT_ROOT, '../shared/eval/dev.jsonl'), 'utf8'),
);
const rounds = Number(roundsArg ?? 200);
const t = performance.now();
const times: number[] = [];
const per = new Map<string, number[]>();
for (let r = 0; r < rounds; r++)
  for (const it of items) {
    const s = performance.now();
    await engine.ask(it.question, it.history ? { history: it.history } : {});
    const d = performance.now() - s;
    times.push(d);
    let l = per.get(it.question);
    if (!l) per.set(it.question, (l = []));
    l.push(d);
  }
const total = performance.now() - t;
const q = (v: number[], x: number) => [...v].sort((a, b) => a - b)[Math.ceil(x * v.length) - 1]!;
const last = times.slice(-20 * items.length);
console.log(
  `${rounds * items.length} answers, mean ${(total / (rounds * items.length)).toFixed(3)} ms; last 20 rounds p50 ${q(last, 0.5).toFixed(2)} p95 ${q(last, 0.95).toFixed(2)} p99 ${q(last, 0.99).toFixed(2)}`,
);
if (process.env.SLOWEST)
  for (const [question, l] of [...per]
    .sort((a, b) => q(b[1], 0.5) - q(a[1], 0.5))
    .slice(0, Number(process.env.SLOWEST)))
    console.log(`${q(l, 0.5).toFixed(2)} ${q(l, 0.95).toFixed(2)} ${question}`);
