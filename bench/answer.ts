/**
 * The answer section of `npm run bench -- --only answer`: in-process answer latency alone, on
 * the seed (every development question, as in the core section) and at 100× the pooled corpus
 * (the scale section's CMRC latency sample), each next to a bare BM25 lookup over the same
 * index measured in the same run. No ingest timing and no CMRC quality run, so it is quick to
 * repeat while working on the answer path.
 *
 * `tsx bench/answer.ts [--pool-index DIR] [--factor N] [--slowest N]` runs it alone; with
 * --pool-index an already built pooled index is read (built there first when missing), and
 * --slowest lists the slowest questions with their times.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildIndex } from '../ingest/build-index.js';
import { loadConfig, PROJECT_ROOT } from '../src/config.js';
import { createEmbedder } from '../src/embeddings/index.js';
import { createEngine } from '../src/engine.js';
import type { Engine } from '../src/engine-types.js';
import { WARM_ROUNDS } from './core.js';
import { parseItems } from '../src/eval/score.js';
import { hasIndex, loadIndex } from '../src/index-store.js';
import { KeywordIndex, queryTokens } from '../src/retrieval/keyword.js';
import { cmrcDevQuestions, makePooledCorpus } from './pool.js';
import { replicate } from './scale.js';
import { ms, quantile, timed } from './stats.js';

const DEV = path.resolve(PROJECT_ROOT, '../shared/eval/dev.jsonl');

export interface AnswerBenchOptions {
  rounds?: number;
  /** Replication of the pooled corpus (0: seed only). @default 100 */
  factor?: number;
  /** A pooled index to reuse (built there when missing). @default a temporary one */
  poolIndex?: string;
  /** List this many slowest questions of each corpus. @default 0 */
  slowest?: number;
}

interface Ask {
  question: string;
  history?: string[];
}

interface Timing {
  answer: number[];
  bm25: number[];
  perQuestion: Map<string, number[]>;
  load: [number, number];
}

async function measure(
  engine: Engine,
  keyword: KeywordIndex,
  asks: Ask[],
  rounds: number,
): Promise<Timing> {
  for (let w = 0; w < WARM_ROUNDS; w++)
    for (const a of asks) await engine.ask(a.question, a.history ? { history: a.history } : {});
  const answer: number[] = [];
  const bm25: number[] = [];
  const perQuestion = new Map<string, number[]>();
  const before = loadavg()[0]!;
  for (let r = 0; r < rounds; r++) {
    for (const a of asks) {
      const t = (await timed(() => engine.ask(a.question, a.history ? { history: a.history } : {})))
        .ms;
      answer.push(t);
      let list = perQuestion.get(a.question);
      if (!list) perQuestion.set(a.question, (list = []));
      list.push(t);
      bm25.push((await timed(() => keyword.search(queryTokens(new Map([[a.question, 1]])), 8))).ms);
    }
  }
  return { answer, bm25, perQuestion, load: [before, loadavg()[0]!] };
}

function rows(label: string, t: Timing, slowest: number): string[] {
  const out = [
    `| ${label} | answer | ${ms(quantile(t.answer, 0.5))} | ${ms(quantile(t.answer, 0.95))} | ${t.load[0].toFixed(1)} → ${t.load[1].toFixed(1)} |`,
    `| ${label} | baseline: bare BM25 lookup | ${ms(quantile(t.bm25, 0.5))} | ${ms(quantile(t.bm25, 0.95))} | |`,
  ];
  if (slowest > 0) {
    const worst = [...t.perQuestion]
      .map(([q, list]) => ({ q, median: quantile(list, 0.5), max: Math.max(...list) }))
      .sort((a, b) => b.median - a.median)
      .slice(0, slowest);
    for (const w of worst)
      console.error(`${label} slow: median ${ms(w.median)} max ${ms(w.max)} ms  ${w.q}`);
  }
  return out;
}

export async function runAnswerBench(options: AnswerBenchOptions = {}): Promise<string> {
  const rounds = options.rounds ?? 20;
  const factor = options.factor ?? 100;
  const slowest = options.slowest ?? 0;
  const table = ['| corpus | measure | p50 ms | p95 ms | load average |', '|---|---|---|---|---|'];
  let seedMet: boolean;
  let poolMet: boolean | null = null;

  const seedDir = mkdtempSync(path.join(tmpdir(), 'wz-bench-answer-'));
  try {
    const config = loadConfig({ env: { INDEX_DIR: seedDir, LOG_LEVEL: 'silent' } });
    const embedder = createEmbedder(config);
    await buildIndex({ corpusDir: config.CORPUS_DIR, indexDir: seedDir, embedder, full: true });
    const index = await loadIndex(seedDir, {
      embeddings: embedder.embeddings,
      embedderId: embedder.id,
    });
    const engine = createEngine(config, { ...index, embedder });
    const items = parseItems(readFileSync(DEV, 'utf8'));
    const t = await measure(
      engine,
      new KeywordIndex(index.keyword),
      items.map((it) => ({
        question: it.question,
        ...(it.history ? { history: it.history } : {}),
      })),
      rounds,
    );
    table.push(...rows(`seed (${items.length} questions × ${rounds})`, t, slowest));
    seedMet = quantile(t.answer, 0.5) <= 1 && quantile(t.answer, 0.95) <= 3;
  } finally {
    rmSync(seedDir, { recursive: true, force: true });
  }

  if (factor > 0) {
    const corpus = makePooledCorpus();
    const poolDir = options.poolIndex ?? mkdtempSync(path.join(tmpdir(), 'wz-pool-index-'));
    try {
      if (!hasIndex(poolDir))
        execFileSync(
          process.execPath,
          ['--import', 'tsx', path.join(PROJECT_ROOT, 'bench/ingest-child.ts'), corpus, poolDir],
          { cwd: PROJECT_ROOT, encoding: 'utf8', maxBuffer: 1 << 20 },
        );
      // As the scale section: the pooled corpus, ten passages retrieved.
      const config = loadConfig({
        env: { CORPUS_DIR: corpus, INDEX_DIR: poolDir, RETRIEVAL_K: '10', LOG_LEVEL: 'silent' },
      });
      const embedder = createEmbedder(config);
      const index = await loadIndex(poolDir, {
        embeddings: embedder.embeddings,
        embedderId: embedder.id,
      });
      const rep = factor === 1 ? null : await replicate(index, factor, embedder);
      const engine = createEngine(config, { ...index, ...(rep ?? {}), embedder });
      const all = cmrcDevQuestions();
      const sample = all.filter((_, i) => i % Math.max(1, Math.floor(all.length / 300)) === 0);
      const t = await measure(
        engine,
        new KeywordIndex(rep ? rep.keyword : index.keyword),
        sample.map((q) => ({ question: q.question })),
        1,
      );
      table.push(...rows(`pool ${factor}× (${sample.length} CMRC questions)`, t, slowest));
      poolMet = quantile(t.answer, 0.95) <= 30;
    } finally {
      rmSync(corpus, { recursive: true, force: true });
      if (!options.poolIndex) rmSync(poolDir, { recursive: true, force: true });
    }
  }

  return [
    'In-process answer latency (2 shared cores; the load average is before → after each run):',
    '',
    ...table,
    '',
    `Goal on the seed, p50 ≤ 1 ms and p95 ≤ 3 ms: ${seedMet ? 'met' : 'not met'}.` +
      (poolMet === null
        ? ''
        : ` Goal p95 ≤ 30 ms at 100× (measured at ${factor}×): ${poolMet ? 'met' : 'not met'}.`),
  ].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(name);
    return i >= 0 ? process.argv[i + 1] : undefined;
  };
  const poolIndex = arg('--pool-index');
  const options: AnswerBenchOptions = {
    factor: Number(arg('--factor') ?? 100),
    slowest: Number(arg('--slowest') ?? 0),
    ...(arg('--rounds') ? { rounds: Number(arg('--rounds')) } : {}),
    ...(poolIndex ? { poolIndex: path.resolve(poolIndex) } : {}),
  };
  if (poolIndex && !existsSync(path.dirname(path.resolve(poolIndex))))
    throw new Error(`no folder for ${poolIndex}`);
  console.log(await runAnswerBench(options));
}
