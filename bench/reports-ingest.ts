/**
 * The reports-ingest section of `npm run bench`: a full ingest (clean, metadata, sections,
 * chunks, embeddings, HNSW + BM25, facts, atomic write) of every work report in
 * ../shared/corpora/gov-reports, in a child process, with the time of each phase and peak
 * memory. Baseline measured in the same run: reading the same files and cutting them into
 * words with jieba, the least any word index over them does.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../src/config.js';
import { cutWords } from '../src/text/tokenize.js';
import { GOV_REPORTS, workReportsCorpus } from '../test/helpers/corpus.js';
import { mb, timed } from './stats.js';

interface ChildReport {
  ms: number;
  phases: { reading?: number; embedding?: number; saving?: number };
  documents: number;
  chunks: number;
  failed: number;
  facts: number;
  peakRss: number;
}

/** The 30 s budget of the issue for this ingest. */
const BUDGET_MS = 30_000;

export async function runReportsIngestBench(): Promise<string> {
  if (!existsSync(GOV_REPORTS)) return `Skipped: ${GOV_REPORTS} is absent.`;
  const names = readdirSync(GOV_REPORTS).filter((f) => f.endsWith('.txt'));
  const corpus = workReportsCorpus(names);
  const indexDir = mkdtempSync(path.join(tmpdir(), 'wz-reports-index-'));
  try {
    const load = loadavg()[0]!;
    const baseline = await timed(() => {
      let words = 0;
      for (const f of names) words += cutWords(readFileSync(path.join(corpus, f), 'utf8')).length;
      return words;
    });
    const child = JSON.parse(
      execFileSync(
        process.execPath,
        ['--import', 'tsx', path.join(PROJECT_ROOT, 'bench/ingest-child.ts'), corpus, indexDir],
        { cwd: PROJECT_ROOT, encoding: 'utf8', maxBuffer: 1 << 20 },
      ),
    ) as ChildReport;
    const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    const { reading = 0, embedding = child.ms, saving = child.ms } = child.phases;
    return [
      `${names.length} work reports (${child.documents} documents, ${child.chunks.toLocaleString('en')} passages, ${child.facts.toLocaleString('en')} facts, ${child.failed} files failed), full build in a child process; load average ${load.toFixed(1)} at the start (2 cores).`,
      '',
      '| measure | time |',
      '|---|---|',
      `| ingest, total (goal < 30 s: ${child.ms < BUDGET_MS ? 'met' : 'not met'}) | ${s(child.ms)} |`,
      `| read, clean, metadata, sections, chunks | ${s(embedding - reading)} |`,
      `| embeddings | ${s(saving - embedding)} |`,
      `| HNSW + BM25 + facts + atomic write | ${s(child.ms - saving)} |`,
      `| baseline: read the files and cut them into words (jieba), in process | ${s(baseline.ms)} (${baseline.value.toLocaleString('en')} words) |`,
      '',
      `Peak RSS of the ingest process: ${mb(child.peakRss)} MB.`,
    ].join('\n');
  } finally {
    rmSync(corpus, { recursive: true, force: true });
    rmSync(indexDir, { recursive: true, force: true });
  }
}
