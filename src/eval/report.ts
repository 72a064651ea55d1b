/**
 * The calibration report: every labelled question answered by the real engine, scored, and
 * laid out train beside validation, per kind and per set; CMRC 2018 against plain BM25 in
 * the same run; and the figure guard (every figure an answer states must be in its citations).
 */
import { performance } from 'node:perf_hooks';
import { createEmbedder } from '../embeddings/index.js';
import type { Engine } from '../engine-types.js';
import { loadIndex, readFacts } from '../index-store.js';
import { findFigures } from '../text/figures.js';
import type { Answer } from '../types.js';
import { PlainBm25Baseline } from './baseline.js';
import { askedYears, factsByChunk, figuresForOtherYears } from './other-year.js';
import { askedKind } from '../text/figure-kind.js';
import type { Fact } from '../facts/fact.js';
import { prepareItem, scoreAnswer } from './collect.js';
import type { CorpusName, LabelledItem, QuestionSet } from './question-sets.js';
import { squash, type ItemResult } from './score.js';

export interface SetReport {
  set: QuestionSet;
  results: ItemResult[];
  /** Answers stating a figure that none of their citations holds. */
  unheldFigures: number;
  /** Answers stating a figure that their citations give only for another year than the one asked, or only over five years (other-year.ts). */
  otherYearFigures: number;
  /** Training split only (validation failures are never read while changing code): failed items with the answer given. */
  trainFailures: Array<{ item: LabelledItem; answer: Answer; reasons: string[] }>;
  /** CMRC only: first distinct cited passage right (ours), and the baseline's R@1 and containment. */
  cmrc?: { r1: number; baseR1: number; baseHolds: number; n: number };
}

/** Figures of the answer text (without [n] markers) that no citation's text holds. */
export function unheldFigures(answer: Answer): string[] {
  if (!answer.found) return [];
  const cited = answer.citations.map((c) => squash(c.text)).join('\n');
  // The answer's own framing (「2份报告都谈到了这个问题」) counts reports, it states no figure of theirs.
  return findFigures(answer.answer.replace(/\[\d+\]/g, '').replace(/^\d+份报告/, ''))
    .map((f) => f.raw)
    .filter((raw) => !cited.includes(squash(raw)));
}

function firstDistinct(docIds: string[]): string | undefined {
  return docIds[0];
}

export async function evaluateAll(
  sets: QuestionSet[],
  engines: Map<CorpusName, Engine>,
  indexDirs?: Map<CorpusName, string>,
): Promise<SetReport[]> {
  const out: SetReport[] = [];
  let baseline: PlainBm25Baseline | null = null;
  const factsOf = new Map<CorpusName, Map<string, Fact[]>>();
  for (const set of sets) {
    const engine = engines.get(set.corpus)!;
    const dir = indexDirs?.get(set.corpus);
    if (dir && !factsOf.has(set.corpus))
      factsOf.set(set.corpus, factsByChunk((await readFacts(dir)) ?? []));
    const facts = factsOf.get(set.corpus) ?? new Map<string, Fact[]>();
    let otherYear = 0;
    const results: ItemResult[] = [];
    const trainFailures: SetReport['trainFailures'] = [];
    let unheld = 0;
    let r1 = 0;
    let baseR1 = 0;
    let baseHolds = 0;
    let n = 0;
    if (set.corpus === 'cmrc' && !baseline && indexDirs?.get('cmrc')) {
      const embedder = createEmbedder({
        EMBEDDINGS_PROVIDER: 'local',
        EMBEDDINGS_BASE_URL: '',
        EMBEDDINGS_API_KEY: '',
        EMBEDDINGS_MODEL: '',
        EMBEDDINGS_BATCH_SIZE: 64,
      });
      const index = await loadIndex(indexDirs.get('cmrc')!, {
        embeddings: embedder.embeddings,
        embedderId: embedder.id,
      });
      baseline = new PlainBm25Baseline(index.chunks, index.documents);
    }
    for (const item of set.items) {
      const t = performance.now();
      const prepared = await prepareItem(engine, item);
      const result = scoreAnswer(item, prepared.answer, performance.now() - t);
      results.push(result);
      if (!result.passed && set.split === 'train')
        trainFailures.push({ item, answer: prepared.answer, reasons: result.reasons });
      if (unheldFigures(prepared.answer).length > 0) unheld++;
      const years = askedYears(item.question, item.history);
      const span = askedKind(item.question).span;
      if (figuresForOtherYears(prepared.answer, years, facts, span).length > 0) otherYear++;
      if (item.anyOf && item.kind === 'cmrc') {
        n++;
        if (firstDistinct(prepared.passages.map((p) => p.docId)) === item.expect.doc) r1++;
        if (baseline) {
          const plain = baseline.ask(item.question);
          if (plain.docIds[0] === item.expect.doc) baseR1++;
          if (item.anyOf.some((a) => squash(plain.answer).includes(squash(a)))) baseHolds++;
        }
      }
    }
    const report: SetReport = {
      set,
      results,
      unheldFigures: unheld,
      otherYearFigures: otherYear,
      trainFailures,
    };
    if (n > 0) report.cmrc = { r1, baseR1, baseHolds, n };
    out.push(report);
  }
  return out;
}

const pct = (a: number, n: number) => (n === 0 ? '—' : `${((100 * a) / n).toFixed(1)} %`);

function kindTable(reports: SetReport[]): string[] {
  const kinds = [...new Set(reports.flatMap((r) => r.results.map((x) => x.kind)))];
  const cell = (split: string, kind: string | null) => {
    const rs = reports
      .filter((r) => r.set.split === split)
      .flatMap((r) => r.results)
      .filter((x) => kind === null || x.kind === kind);
    return rs.length === 0
      ? '—'
      : `${pct(rs.filter((x) => x.passed).length, rs.length)} (${rs.length})`;
  };
  const rows = [
    ...kinds.map((k) => `| ${k} | ${cell('train', k)} | ${cell('val', k)} |`),
    `| **all** | ${cell('train', null)} | ${cell('val', null)} |`,
  ];
  return ['| kind | train pass (n) | validation pass (n) |', '|---|---|---|', ...rows];
}

function setTable(reports: SetReport[]): string[] {
  const rows = reports.map((r) => {
    const answerable = r.results.filter((x) => x.kind !== 'refuse' && x.kind !== 'removed');
    const refusals = r.results.filter((x) => x.kind === 'refuse' || x.kind === 'removed');
    const passed = r.results.filter((x) => x.passed).length;
    return `| ${r.set.name} | ${r.set.split} | ${r.set.corpus} | ${r.results.length} | ${pct(passed, r.results.length)} | ${pct(answerable.filter((x) => x.falseRefusal).length, answerable.length)} | ${pct(refusals.filter((x) => x.passed).length, refusals.length)} | ${r.unheldFigures} | ${r.otherYearFigures} |`;
  });
  return [
    '| set | split | corpus | n | pass | false refusals (of answerable) | refusals right | answers with a figure not in their citations | answers with a figure for another year or period |',
    '|---|---|---|---|---|---|---|---|---|',
    ...rows,
  ];
}

function cmrcTable(reports: SetReport[]): string[] {
  const rows = reports.flatMap((r) => {
    if (!r.cmrc) return [];
    const holds = r.results.filter((x) => x.kind === 'cmrc' && x.passed).length;
    const { n } = r.cmrc;
    return [
      `| ${r.set.name} | Wenzheng | ${pct(r.cmrc.r1, n)} | ${pct(holds, n)} |`,
      `| ${r.set.name} | plain BM25, best sentence of the top passage | ${pct(r.cmrc.baseR1, n)} | ${pct(r.cmrc.baseHolds, n)} |`,
    ];
  });
  return rows.length === 0
    ? []
    : ['| CMRC set | system | R@1 | answer holds a gold answer |', '|---|---|---|---|', ...rows];
}

export function formatReport(reports: SetReport[]): string {
  return [...kindTable(reports), '', ...setTable(reports), '', ...cmrcTable(reports)].join('\n');
}
