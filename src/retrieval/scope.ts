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

export function documentFilter(analysis: QueryAnalysis, docs: DocumentMeta[], total = docs.length): DocumentScope {
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
  if (pool.length === 0) return { docIds: [], restricted: false, uncovered };
  return { docIds: pool.map((d) => d.docId), restricted: pool.length < total, uncovered };
}

function rankYear(doc: DocumentMeta, years: number[]): number {
  return years.some((y) => y === doc.reviewYear) ? 2 : years.some((y) => y === doc.planYear) ? 1 : 0;
}

/**
 * The documents indexed by region and year, so that narrowing a question to a place or a
 * year costs the matching documents, not the whole corpus.
 */
export class DocumentCatalog {
  private readonly byRegion = new Map<string, DocumentMeta[]>();
  private readonly byYear = new Map<number, DocumentMeta[]>();
  private readonly all: DocumentMeta[];

  constructor(docs: DocumentMeta[]) {
    this.all = docs;
    const add = <K>(map: Map<K, DocumentMeta[]>, key: K, d: DocumentMeta) => {
      const list = map.get(key) ?? [];
      if (!list.includes(d)) list.push(d);
      map.set(key, list);
    };
    for (const d of docs) {
      if (d.region) add(this.byRegion, d.region, d);
      for (const y of [d.reviewYear, d.planYear, d.reportYear]) if (y !== null) add(this.byYear, y, d);
    }
  }

  scope(analysis: QueryAnalysis): DocumentScope {
    if (analysis.places.length === 0 && analysis.time.years.length === 0) {
      return { docIds: [], restricted: false, uncovered: [] };
    }
    const candidates = new Set<DocumentMeta>();
    for (const p of analysis.places) for (const d of this.byRegion.get(p === '国务院' ? '全国' : p) ?? []) candidates.add(d);
    for (const y of analysis.time.years) for (const d of this.byYear.get(y) ?? []) candidates.add(d);
    return documentFilter(analysis, [...candidates], this.all.length);
  }
}
