/**
 * A quantitative statement found in a report at ingest (a figure with its unit, what it
 * counts, its sentence, section and document), and the citation a hotline agent reads
 * out. Pure.
 */
import {
  figureSpanIn,
  paragraphOpening,
  type FigureKind,
  type FigureSpan,
} from '../text/figure-kind.js';
import type { Chunk, DocumentMeta } from '../types.js';

export interface Fact {
  /** `<chunkId>:<n>`, stable while the chunk is unchanged. */
  id: string;
  docId: string;
  chunkId: string;
  /** The figure as written, e.g. 46.4万人次. */
  figure: string;
  /** Numeric value with 万/亿 applied (percent stays the number before %). */
  value: number;
  unit: string;
  /** What the figure counts: the words before it in its clause, e.g. 为群众免费提供法律咨询. */
  label: string;
  /** The whole sentence that states it. */
  sentence: string;
  /** The figure's offsets inside `sentence`. */
  figureStart: number;
  figureEnd: number;
  /** The innermost heading of its section (empty in the opening lines). */
  section: string;
  /** The full section path, outermost first, joined with ' > '. */
  sectionPath: string;
  title: string;
  /** The year the statement is about: a year named before the figure, else the section's period. */
  year: number | null;
  /** A target or expectation, a result, a rank or a share (text/figure-kind.ts). */
  kind: FigureKind;
  /** The period the figure covers: a year, a five-year span, a yearly average or a running total. */
  span: FigureSpan;
  /** The year of the report itself. */
  reportYear: number | null;
  region: string | null;
  /** 1-based page, for paged formats (PDF). */
  page?: number;
}

/** 「据《{title}》{section}：{sentence}」, the page added for PDFs. */
export function citationText(fact: Pick<Fact, 'title' | 'section' | 'sentence' | 'page'>): string {
  const page = fact.page !== undefined ? `第${fact.page}页` : '';
  const where = [fact.section, page].filter(Boolean).join('，');
  return `据《${fact.title}》${where}：${fact.sentence}`;
}

const YEAR = /((?:19|20)\d{2})\s*年(?!\d|代)/g;

/**
 * The year a figure at `at` in a sentence is about: the last year named before it in the
 * sentence (「2024年全省地区生产总值…」), else its section's period in its report (the reviewed
 * year, the planned year, or the report's own year for an annual report); null when unknown or when the figure covers five years (`span`).
 */
export function figureYear(
  sentence: string,
  at: number,
  meta: Pick<DocumentMeta, 'reportYear' | 'reviewYear' | 'planYear'>,
  period: Chunk['period'],
  span: FigureSpan = 'year',
): number | null {
  let named: number | null = null;
  for (const m of sentence.slice(0, at).matchAll(YEAR)) named = Number(m[1]);
  if (named !== null) return named;
  // A figure over five years (这五年…) is about no one year of them.
  if (span === 'five-year') return null;
  if (period === 'review') return meta.reviewYear ?? meta.reportYear;
  if (period === 'plan') return meta.planYear ?? meta.reportYear;
  // A section that says neither: its report's year only when the report reviews its own year
  // (an annual report); a work report's such sections may speak of either year.
  if (meta.reviewYear !== null && meta.reviewYear !== meta.reportYear) return null;
  return meta.reportYear;
}

/**
 * The period a figure covers and the year it is about (figureSpanIn, figureYear), for a
 * figure at `figure` in a sentence starting at `sentenceStart` of its document's text, in
 * the clause [clauseStart, clauseEnd) of that sentence.
 */
export function figureTime(
  text: string,
  sentenceStart: number,
  sentence: string,
  clause: { start: number; end: number },
  figure: number,
  meta: Pick<DocumentMeta, 'reportYear' | 'reviewYear' | 'planYear'>,
  period: Chunk['period'],
  /** Its chunk's section path (Chunk.section), read for a plan's figures only. */
  section = '',
): { span: FigureSpan; year: number | null } {
  const span = figureSpanIn(
    sentence.slice(clause.start, clause.end),
    sentence.slice(0, clause.start),
    paragraphOpening(text, sentenceStart),
    sentence.slice(clause.start, figure),
    // A review chapter over five years (「一、“十四五”时期工作回顾」) also holds the last year's
    // account under no heading of its own: only a plan's headings say its figures' span.
    period === 'plan' && section ? section.split(' > ') : [],
  );
  return { span, year: figureYear(sentence, figure, meta, period, span) };
}
