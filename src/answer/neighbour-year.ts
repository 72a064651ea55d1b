/**
 * A figure for a neighbouring year, for a question about a year no report covers: the best
 * candidate of the question asked without its year, when the decision model accepts it and
 * the figure it states is about a year next to the one asked (2022 asked, the 2021 report
 * holds 2021's). The refusal points to it, cited and highlighted, labelled with its own
 * year; the refusal text states no figure. Pure.
 */
import { figureTime } from '../facts/fact.js';
import type { QueryAnalysis } from '../retrieval/query.js';
import { focus, type ScoredSentence } from './extractive.js';

export interface NeighbourFigure {
  sentence: ScoredSentence;
  /** The year the figure is about. */
  year: number;
  /** The year asked that it neighbours. */
  asked: number;
  /** Offsets into the sentence of the figure (highlighted in its citation). */
  figure: { start: number; end: number };
}

/** The question without its years: what the neighbouring year's candidates are scored on. */
export function withoutYears(analysis: QueryAnalysis): QueryAnalysis {
  return { ...analysis, time: { years: [], relative: null } };
}

/**
 * The first accepted candidate (scored without the years, best first) whose figure is about
 * a year one away from an asked year and not itself asked; null when there is none.
 */
export function neighbourFigure(
  analysis: QueryAnalysis,
  asked: readonly number[],
  scored: readonly ScoredSentence[],
  threshold: number,
): NeighbourFigure | null {
  if (analysis.type !== 'quantity' || asked.length === 0) return null;
  for (const s of scored) {
    if (s.score < threshold) break;
    if (!s.hasFigure) continue;
    const f = focus(analysis, s.text, s.before);
    if (!f.figure) continue;
    const { year } = figureTime(
      s.doc.text,
      s.start,
      s.text,
      { start: 0, end: s.text.length },
      f.figure.start,
      s.doc.meta,
      s.chunk.period,
      s.chunk.section,
    );
    if (year === null || asked.includes(year)) continue;
    const near = asked.find((y) => Math.abs(y - year) === 1);
    if (near === undefined) continue;
    return { sentence: s, year, asked: near, figure: f.figure };
  }
  return null;
}
