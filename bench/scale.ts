/**
 * The scale section of `npm run bench`:
 * - ingest of all of ../shared/corpora (seed, work reports, CMRC 2018 passages): time and
 *   peak memory, in a child process;
 * - CMRC 2018 dev questions against the whole pooled corpus: R@1 and R@5 of the gold
 *   passage and the share of answers holding a gold answer, next to a plain BM25 baseline
 *   (BM25 over the passages' own text with the question's tokens, no analysis; its answer is
 *   the best-overlapping sentence of its top chunk) computed in the same run;
 * - answer latency at 1×, 10× and 100× the corpus (replicas with distinct ids), in memory.
 */
import { execFileSync } from 'node:child_process';
import { HNSWLib } from '@langchain/community/vectorstores/hnswlib';
import { SynchronousInMemoryDocstore } from '@langchain/community/stores/doc/in_memory';
import { Document } from '@langchain/core/documents';
import hnswlib from 'hnswlib-node';
import { readdirSync, rmSync, mkdtempSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig, PROJECT_ROOT } from '../src/config.js';
import { createEmbedder } from '../src/embeddings/index.js';
import { createEngine } from '../src/engine.js';
import type { Engine } from '../src/engine-types.js';
import { loadIndex, type LoadedIndex } from '../src/index-store.js';
import type { KeywordIndexData } from '../src/retrieval/keyword.js';
import type { Chunk } from '../src/types.js';
import { squash } from '../src/eval/score.js';
import { PlainBm25Baseline } from '../src/eval/baseline.js';
import { cmrcDevQuestions, makePooledCorpus, passageOf, type CmrcQuestion } from './pool.js';
import { mb, ms, quantile, timed } from './stats.js';

function distinctPassages(docIds: string[], n: number): string[] {
  const out: string[] = [];
  for (const d of docIds.map(passageOf)) if (!out.includes(d)) out.push(d);
  return out.slice(0, n);
}

interface Quality {
  r1: number;
  r5: number;
  answered: number;
}

async function cmrcQuality(engine: Engine, index: LoadedIndex, questions: CmrcQuestion[]) {
  // Plain BM25 over each passage's own text (same tokens: jieba words, bigrams, numbers);
  // none of Wenzheng's additions (document title and heading in the indexed text, query
  // analysis, synonyms, vectors).
  const baseline = new PlainBm25Baseline(index.chunks, index.documents);
  const ours: Quality = { r1: 0, r5: 0, answered: 0 };
  const base: Quality = { r1: 0, r5: 0, answered: 0 };
  for (const q of questions) {
    const prepared = await engine.prepare(q.question);
    const mine = distinctPassages(
      prepared.passages.map((p) => p.docId),
      5,
    );
    if (mine[0] === q.passage_id) ours.r1++;
    if (mine.includes(q.passage_id)) ours.r5++;
    if (
      prepared.answer.found &&
      q.answers.some((a) =>
        squash(prepared.answer.answer.replace(/\[\d+\]/g, '')).includes(squash(a)),
      )
    )
      ours.answered++;

    const plain = baseline.ask(q.question);
    const theirs = distinctPassages(plain.docIds, 5);
    if (theirs[0] === q.passage_id) base.r1++;
    if (theirs.includes(q.passage_id)) base.r5++;
    if (q.answers.some((a) => squash(plain.answer).includes(squash(a)))) base.answered++;
  }
  return { ours, base };
}

/** The index replicated `factor` times with distinct chunk and document ids. */
export async function replicate(
  index: LoadedIndex,
  factor: number,
  embedder: ReturnType<typeof createEmbedder>,
) {
  const n = index.chunks.length;
  const dims = index.manifest.embedder.dimensions;
  const suffix = (r: number) => (r === 0 ? '' : `~r${r}`);
  const chunks: Chunk[] = [];
  const documents = [];
  for (let r = 0; r < factor; r++) {
    for (const c of index.chunks)
      chunks.push({ ...c, id: c.id + suffix(r), docId: c.docId + suffix(r) });
    for (const d of index.documents)
      documents.push({ ...d, meta: { ...d.meta, docId: d.meta.docId + suffix(r) } });
  }
  const postings: KeywordIndexData['postings'] = Object.create(null);
  for (const [token, flat] of Object.entries(index.keyword.postings)) {
    const out = new Int32Array(flat.length * factor);
    let o = 0;
    for (let i = 0; i < flat.length; i += 2) {
      for (let r = 0; r < factor; r++) {
        out[o++] = flat[i]! + r * n;
        out[o++] = flat[i + 1]!;
      }
    }
    postings[token] = out; // replicas share weights, so the impact order is kept
  }
  const keyword: KeywordIndexData = {
    ...index.keyword,
    docCount: n * factor,
    lengths: Array.from({ length: factor }, () => index.keyword.lengths).flat(),
    postings,
  };
  const vectors = index.chunks.map((_, i) => index.vectors.subarray(i * dims, (i + 1) * dims));
  const searchable = chunks.map((c, i) => ({ c, i })).filter(({ c }) => c.kind !== 'title');
  // A lighter graph for the replicas keeps the 100× build to minutes (M 12, efConstruction 40):
  // the graph is built here and handed to HNSWLib's constructor with its docstore, as
  // HNSWLib.load does (addVectors always uses hnswlib's defaults, M 16 and efConstruction 200).
  const build = await timed(async () => {
    const index = new hnswlib.HierarchicalNSW('cosine', dims);
    index.initIndex({ maxElements: Math.max(1, searchable.length), m: 12, efConstruction: 40 });
    const docs = new Map<string, Document>();
    searchable.forEach(({ c, i }, label) => {
      index.addPoint(Array.from(vectors[i % n]!), label);
      docs.set(String(label), new Document({ pageContent: '', metadata: { chunkId: c.id } }));
    });
    return new HNSWLib(embedder.embeddings, {
      space: 'cosine',
      numDimensions: dims,
      index,
      docstore: new SynchronousInMemoryDocstore(docs),
    });
  });
  const store = build.value;
  return { chunks, documents, keyword, store, buildMs: build.ms };
}

export interface ScaleBenchOptions {
  factors?: number[];
  questions?: number;
  latencySample?: number;
}

export async function runScaleBench(options: ScaleBenchOptions = {}): Promise<string> {
  const factors = options.factors ?? [1, 10, 100];
  const corpus = makePooledCorpus();
  const reports = readdirSync(corpus).filter((f) => f.endsWith('.txt')).length;
  const passages = readdirSync(path.join(corpus, 'cmrc')).filter((f) => f.endsWith('.txt')).length;
  const indexDir = mkdtempSync(path.join(tmpdir(), 'wz-pool-index-'));
  try {
    const child = JSON.parse(
      execFileSync(
        process.execPath,
        ['--import', 'tsx', path.join(PROJECT_ROOT, 'bench/ingest-child.ts'), corpus, indexDir],
        {
          cwd: PROJECT_ROOT,
          encoding: 'utf8',
          maxBuffer: 1 << 20,
        },
      ),
    ) as {
      ms: number;
      documents: number;
      chunks: number;
      failed: number;
      peakRss: number;
    };
    const config = loadConfig({
      env: { CORPUS_DIR: corpus, INDEX_DIR: indexDir, RETRIEVAL_K: '10' },
    });
    const embedder = createEmbedder(config);
    const index = await loadIndex(indexDir, {
      embeddings: embedder.embeddings,
      embedderId: embedder.id,
    });
    const engine = createEngine(config, { ...index, embedder });
    const all = cmrcDevQuestions();
    const questions = options.questions ? all.slice(0, options.questions) : all;
    const { ours, base } = await cmrcQuality(engine, index, questions);
    const pct = (x: number) => `${((100 * x) / questions.length).toFixed(1)}%`;

    const sample = all.filter(
      (_, i) => i % Math.max(1, Math.floor(all.length / (options.latencySample ?? 300))) === 0,
    );
    const rows: string[] = [];
    let p95At100: number | null = null;
    for (const factor of factors) {
      const rep = factor === 1 ? null : await replicate(index, factor, embedder);
      const e = rep ? createEngine(config, { ...index, ...rep, embedder }) : engine;
      for (const q of sample.slice(0, 20)) await e.ask(q.question); // warm up
      const lat: number[] = [];
      const load = loadavg()[0]!;
      for (const q of sample) lat.push((await timed(() => e.ask(q.question))).ms);
      const chunks = index.chunks.length * factor;
      const heap = process.memoryUsage().rss;
      if (factor === 100) p95At100 = quantile(lat, 0.95);
      rows.push(
        `| ${factor}× | ${chunks.toLocaleString('en')} | ${ms(quantile(lat, 0.5))} | ${ms(quantile(lat, 0.95))} | ${rep ? `${(rep.buildMs / 1000).toFixed(1)} s` : '—'} | ${mb(heap)} MB | ${load.toFixed(1)} |`,
      );
    }
    return [
      `Pooled corpus: ${child.documents} documents indexed (the seed, ${reports - 1} work reports, ${passages} CMRC 2018 passages), ${child.chunks} chunks.`,
      '',
      `Ingest (child process, full build): ${(child.ms / 1000).toFixed(1)} s, peak RSS ${mb(child.peakRss)} MB, ${child.failed} files failed.`,
      '',
      `CMRC 2018 dev, ${questions.length} questions against the whole pool:`,
      '',
      '| system | R@1 gold passage | R@5 gold passage | answer holds a gold answer |',
      '|---|---|---|---|',
      `| Wenzheng (hybrid HNSW + BM25, extractive answer) | ${pct(ours.r1)} | ${pct(ours.r5)} | ${pct(ours.answered)} |`,
      `| baseline: plain BM25 (passage text only, question tokens), best sentence of the top chunk | ${pct(base.r1)} | ${pct(base.r5)} | ${pct(base.answered)} |`,
      '',
      `Answer latency in process (${sample.length} CMRC questions; replicas share text but have distinct ids):`,
      '',
      '| corpus | chunks | p50 ms | p95 ms | HNSW build | process RSS | load average (2 cores) |',
      '|---|---|---|---|---|---|---|',
      ...rows,
      '',
      `Goal p95 ≤ 30 ms at 100×: ${p95At100 === null ? 'not measured' : p95At100 <= 30 ? 'met' : 'not met'}.`,
    ].join('\n');
  } finally {
    rmSync(corpus, { recursive: true, force: true });
    rmSync(indexDir, { recursive: true, force: true });
  }
}
