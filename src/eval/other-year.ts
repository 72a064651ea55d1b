/**
 * The year check of the calibration report: a figure an answer states for a year the question
 * names must belong to that year. A stated figure is looked up among the facts of the passages
 * it cites (ingest/facts.ts gives each figure the year it is about: a year named before it in
 * its sentence, else its section's period); when every such fact is about another year, the
 * answer stated a figure for a year it does not belong to. Only explicit years count (2025年,
 * hotline 「2025 …」); relative ones (去年) depend on the report and are not judged. Pure.
 */
import type { Fact } from '../facts/fact.js';
import type { FigureSpan } from '../text/figure-kind.js';
import { timeScope } from '../retrieval/query.js';
import { findFigures, yearRightBefore } from '../text/figures.js';
import type { Answer } from '../types.js';
import { squash } from './score.js';

/** The explicit years a question asks about: its own, or for a follow-up naming no time, the nearest earlier question's. */
export function askedYears(question: string, history: readonly string[] = []): number[] {
  for (const text of [question, ...[...history].reverse()]) {
    const { years, relative } = timeScope(text);
    if (years.length > 0) return [...new Set(years)];
    if (relative !== null) return []; // 今年, 去年: not judged
  }
  return [];
}

/** Facts grouped by the chunk they are stated in. */
export function factsByChunk(facts: readonly Fact[]): Map<string, Fact[]> {
  const out = new Map<string, Fact[]>();
  for (const f of facts) {
    const list = out.get(f.chunkId);
    if (list) list.push(f);
    else out.set(f.chunkId, [f]);
  }
  return out;
}

/**
 * Figures of a found answer that its cited passages state only for years other than those
 * asked, or only over five years (这五年…452万人) when the question asks no five-year span
 * (`askedSpan`, figure-kind.askedKind). A figure with no fact in the cited passages, or one
 * whose facts have neither a year nor a five-year span, is not judged.
 */
export function figuresForOtherYears(
  answer: Answer,
  years: readonly number[],
  facts: ReadonlyMap<string, readonly Fact[]>,
  askedSpan: FigureSpan = 'year',
): string[] {
  if (!answer.found || years.length === 0) return [];
  const cited = answer.citations.flatMap((c) => facts.get(c.chunkId) ?? []);
  const fiveYear = (fact: Fact) => fact.span === 'five-year';
  const belongs = (fact: Fact) =>
    fiveYear(fact) ? askedSpan === 'five-year' : years.includes(fact.year!);
  const out: string[] = [];
  const text = answer.answer.replace(/\[\d+\]/g, '');
  for (const f of findFigures(text)) {
    if (f.unit === 'date') continue;
    const raw = squash(f.raw);
    const same = cited.filter((fact) => squash(fact.figure) === raw);
    if (same.length === 0 || same.some((fact) => fact.year === null && !fiveYear(fact))) continue;
    // Written right after its own year (从2020年的3.68万亿元增长到2025年的4.93万亿元): the answer
    // itself says which year the figure is of.
    const labelled = yearRightBefore(text, f.start);
    if (labelled !== null && same.some((fact) => fact.year === labelled)) continue;
    if (!same.some(belongs)) out.push(f.raw);
  }
  return out;
}
