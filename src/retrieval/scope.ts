/**
 * Which documents a question is about: places and years named in it (or inherited from
 * the conversation) select matching documents. Pure.
 */
import type { DocumentMeta } from '../types.js';
import type { QueryAnalysis } from './query.js';

export interface DocumentScope {
  /** Matching documents, best first (all documents when nothing narrows them). */
  docIds: string[];
  /** True when the question narrowed the documents down. */
  restricted: boolean;
  /** Places or years the question names that no document covers. */
  uncovered: string[];
}

function coversYear(doc: DocumentMeta, year: number): boolean {
  return year === doc.reviewYear || year === doc.planYear || year === doc.reportYear;
}

export function documentFilter(analysis: QueryAnalysis, docs: DocumentMeta[]): DocumentScope {
  let pool = docs;
  const uncovered: string[] = [];
  if (analysis.places.length > 0) {
    const byPlace = pool.filter((d) => d.region !== null && analysis.places.some((p) => d.region === p || (p === '国务院' && d.region === '全国')));
    if (byPlace.length > 0) pool = byPlace;
    else uncovered.push(...analysis.places);
  }
  if (analysis.time.years.length > 0) {
    const byYear = pool.filter((d) => analysis.time.years.some((y) => coversYear(d, y)));
    if (byYear.length === 0) uncovered.push(...analysis.time.years.map((y) => `${y}年`));
    if (byYear.length > 0) {
      // Prefer the document whose review or plan year is named over one that merely mentions it.
      pool = byYear.sort((a, b) => rankYear(b, analysis.time.years) - rankYear(a, analysis.time.years));
    }
  }
  return { docIds: pool.map((d) => d.docId), restricted: pool.length < docs.length, uncovered };
}

function rankYear(doc: DocumentMeta, years: number[]): number {
  return years.some((y) => y === doc.reviewYear) ? 2 : years.some((y) => y === doc.planYear) ? 1 : 0;
}
