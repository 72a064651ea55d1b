/**
 * Start-up ingest of the pooled corpus (1113 documents) while the server serves its
 * previous index (the seed report alone): /healthz latency every 25 ms and a seed question
 * every 250 ms, from the server's start until the new index is swapped in, and after.
 * The real server (src/main.ts) in its own process; needs ../shared. Prints a Markdown table.
 * Usage: npx tsx bench/startup-ingest.ts
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildIndex } from '../ingest/build-index.js';
import { loadConfig, PROJECT_ROOT } from '../src/config.js';
import { createEmbedder } from '../src/embeddings/index.js';
import { SEED, SHARED } from '../test/helpers/corpus.js';
import { makePooledCorpus } from './pool.js';

const QUESTION = '2021年山西办理了多少件人大代表建议？';

function quantile(sorted: number[], q: number): number {
  return sorted.length === 0
    ? NaN
    : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

export interface StartupIngestResult {
  phase: string;
  healthz: { n: number; p50: number; p99: number; max: number; over100: number };
  questions: { asked: number; answered: number };
}

/** Runs the measurement; null when ../shared is absent. */
export async function runStartupIngestBench(): Promise<{
  rows: StartupIngestResult[];
  buildMs: number;
  documents: number;
} | null> {
  if (!existsSync(path.join(SHARED, 'corpora', 'cmrc2018'))) return null;
  const work = mkdtempSync(path.join(tmpdir(), 'wz-startup-bench-'));
  const seedCorpus = path.join(work, 'seed');
  mkdirSync(seedCorpus);
  copyFileSync(SEED, path.join(seedCorpus, path.basename(SEED)));
  const indexDir = path.join(work, 'index');
  const config = loadConfig({ env: { INDEX_DIR: indexDir } });
  await buildIndex({ corpusDir: seedCorpus, indexDir, embedder: createEmbedder(config) });
  const pooled = makePooledCorpus();

  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: PROJECT_ROOT,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      CORPUS_DIR: pooled,
      INDEX_DIR: indexDir,
      DATA_DIR: path.join(work, 'data'),
      RATE_LIMIT_PER_MINUTE: '0',
      SESSION_RATE_LIMIT_PER_MINUTE: '0',
      ANSWER_CACHE_SIZE: '0',
      WORKERS: '1', // the figures are of one serving process
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let log = '';
  let phase: 'build' | 'swap' | 'after' = 'build';
  let swappedAt = 0;
  const started = Date.now();
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      log += d.toString();
      const m = /listening on (http:\/\/[\d.]+:\d+)/.exec(log);
      if (m) resolve(m[1]!);
      if (phase === 'build' && /job built: loading the new index/.test(log)) phase = 'swap';
      if (phase !== 'after' && /job done: new index serving/.test(log)) {
        phase = 'after';
        swappedAt = Date.now();
      }
    });
    child.once('exit', (code) => reject(new Error(`server exited ${code}`)));
  });
  const samples: Record<string, number[]> = { build: [], swap: [], after: [] };
  const asked: Record<string, { asked: number; answered: number }> = {
    build: { asked: 0, answered: 0 },
    swap: { asked: 0, answered: 0 },
    after: { asked: 0, answered: 0 },
  };
  let stopAt = Infinity;
  const health = (async () => {
    while (Date.now() < stopAt) {
      const p = phase;
      const t = performance.now();
      await fetch(`${url}/healthz`).then((r) => r.arrayBuffer());
      samples[p]!.push(performance.now() - t);
      await new Promise((r) => setTimeout(r, 25));
    }
  })();
  const questions = (async () => {
    while (Date.now() < stopAt) {
      const p = phase;
      const res = await fetch(`${url}/api/ask`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ question: QUESTION }),
      });
      const body = (await res.json()) as { found?: boolean; answer?: string };
      asked[p]!.asked++;
      if (body.found && body.answer?.includes('811')) asked[p]!.answered++;
      await new Promise((r) => setTimeout(r, 250));
    }
  })();
  while ((phase as string) !== 'after' && Date.now() - started < 600_000)
    await new Promise((r) => setTimeout(r, 100));
  stopAt = Date.now() + 3000;
  await Promise.all([health, questions]);
  const documents = Number(
    ((await (await fetch(`${url}/readyz`)).json()) as { documents?: number }).documents ?? 0,
  );
  child.kill('SIGTERM');
  rmSync(work, { recursive: true, force: true });
  rmSync(pooled, { recursive: true, force: true });
  const names = {
    build: 'while the child builds (previous index serving)',
    swap: 'while the serving process loads the new index',
    after: 'the 3 s after the swap',
  };
  const rows = (['build', 'swap', 'after'] as const).map((p) => {
    const s = [...samples[p]!].sort((a, b) => a - b);
    return {
      phase: names[p],
      healthz: {
        n: s.length,
        p50: quantile(s, 0.5),
        p99: quantile(s, 0.99),
        max: s[s.length - 1] ?? NaN,
        over100: s.filter((x) => x > 100).length,
      },
      questions: asked[p]!,
    };
  });
  return { rows, buildMs: swappedAt - started, documents };
}

if (process.argv[1] && path.resolve(process.argv[1]) === new URL(import.meta.url).pathname) {
  const result = await runStartupIngestBench();
  if (!result) console.log('startup ingest bench SKIPPED: ../shared/corpora/cmrc2018 not found');
  else {
    console.log(
      `Start-up ingest of the pooled corpus: ${result.documents} documents serving after ${(result.buildMs / 1000).toFixed(1)} s (start to swap).\n`,
    );
    console.log(
      '| phase | /healthz n | p50 ms | p99 ms | max ms | > 100 ms | seed question answered |',
    );
    console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const r of result.rows) {
      const h = r.healthz;
      console.log(
        `| ${r.phase} | ${h.n} | ${h.p50.toFixed(1)} | ${h.p99.toFixed(1)} | ${h.max.toFixed(1)} | ${h.over100} | ${r.questions.answered} / ${r.questions.asked} |`,
      );
    }
  }
}
