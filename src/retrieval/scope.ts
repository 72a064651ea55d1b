/**
 * Which documents a question is about: places and years named in it (or inherited from
 * the conversation) select the matching reports. Documents without a region or a year
 * (an encyclopedia page, a note) are never ruled out by one. Indexed by region and year,
 * so narrowing costs the matching documents, not the whole corpus.
 */
import type { DocumentMeta } from '../types.js';
import type { QueryAnalysis } from './query.js';

export interface DocumentScope {
  /** True when the question narrowed the documents down. */
  restricted: boolean;
  /** Whether a document may answer. */
  allows(docId: string): boolean;
  /**
   * The documents `allows` rules out (every other document of the catalog is allowed): the
   * placed or dated ones of another place or year. Few beside a corpus of undated pages, and
   * the same set for every question naming the same places and years.
   */
  denied: ReadonlySet<string>;
  /** The documents the question points at, best first (empty when it names none). */
  docIds: string[];
  /** Places or years the question names that no document covers. */
  uncovered: string[];
  /** When a year is uncovered: the years the documents do cover (of the place asked, when it has documents), ascending. */
  coveredYears: number[];
}

const everything: DocumentScope = {
  restricted: false,
  allows: () => true,
  denied: new Set(),
  docIds: [],
  uncovered: [],
  coveredYears: [],
};

function years(d: DocumentMeta): number[] {
  return [d.reviewYear, d.planYear, d.reportYear].filter((y): y is number => y !== null);
}

/** The place a question means by 全国/我国 (see placesIn). */
export const NATION = '全国';

/** Filters a caller sets on a passage search, each narrowing the documents searched. */
export interface DocumentFilters {
  /** One document, by id. */
  doc?: string;
  /** Documents whose report year (the year shown with each document) is this. */
  year?: number;
  /** Documents about this province or city: 山西 or 山西省, 全国 (or 国务院) for the national report. */
  region?: string;
}

/** A region as documents store it: the short name (山西省 → 山西, 国务院 → 全国). */
export function regionKey(region: string): string {
  const r = region.trim();
  if (r === '国务院' || r === '中国' || r === NATION) return NATION;
  return r.replace(/(?:壮族|回族|维吾尔)?自治区$|特别行政区$|省$|市$/, '') || r;
}

/** Combinations of places and years whose denied set is kept. */
const DENIED_KEPT = 256;

/** What the reports of each place cover, as the answer's features read it. */
export interface ReportCoverage {
  /** Whether a document is the newest report of its place (true without a place or year). */
  isNewest(meta: DocumentMeta): boolean;
  /** The years some report of a document's place reviews (every report's, without a place). */
  reviewedBy(meta: DocumentMeta): ReadonlySet<number>;
  /**
   * Whether a year can be answered from a document in the ordinary way: some document is
   * about it (reviews it, plans it, or is of it), or this document has no year at all (an
   * encyclopedia page, a policy notice). False only for a dated report's sentence when no
   * report is about the year: that sentence answers it only by a figure written with it.
   */
  covers(year: number, meta: DocumentMeta): boolean;
}

const NO_YEARS: ReadonlySet<number> = new Set();

export class DocumentCatalog implements ReportCoverage {
  private readonly byId = new Map<string, DocumentMeta>();
  private readonly byRegion = new Map<string, DocumentMeta[]>();
  private readonly byYear = new Map<number, DocumentMeta[]>();
  private readonly unplaced = new Set<string>();
  private readonly undated = new Set<string>();
  private readonly placed: DocumentMeta[] = [];
  private readonly dated: DocumentMeta[] = [];
  /** The denied set of each combination of places and years asked (see DocumentScope.denied). */
  private readonly deniedFor = new Map<string, ReadonlySet<string>>();
  /** The newest report year of each place. */
  private readonly newestYear = new Map<string, number>();
  /** The years reviewed by some report of each place ('*': of every report). */
  private readonly reviewed = new Map<string, Set<number>>();
  /** The documents that state a figure of each year (DocumentMeta.statedYears), whatever year they are about. */
  private readonly statedIn = new Map<number, DocumentMeta[]>();

  constructor(docs: DocumentMeta[]) {
    const add = <K>(map: Map<K, DocumentMeta[]>, key: K, d: DocumentMeta) => {
      const list = map.get(key) ?? [];
      if (!list.includes(d)) list.push(d);
      map.set(key, list);
    };
    for (const d of docs) {
      this.byId.set(d.docId, d);
      if (d.region) add(this.byRegion, d.region, d);
      if (d.region) this.placed.push(d);
      else this.unplaced.add(d.docId);
      const ys = years(d);
      for (const y of ys) add(this.byYear, y, d);
      for (const y of d.statedYears ?? []) add(this.statedIn, y, d);
      if (ys.length === 0) this.undated.add(d.docId);
      else this.dated.push(d);
      if (d.region && d.reportYear !== null)
        this.newestYear.set(
          d.region,
          Math.max(this.newestYear.get(d.region) ?? d.reportYear, d.reportYear),
        );
      if (d.reviewYear !== null) {
        for (const key of d.region ? [d.region, '*'] : ['*']) {
          const set = this.reviewed.get(key) ?? new Set<number>();
          set.add(d.reviewYear);
          this.reviewed.set(key, set);
        }
      }
    }
  }

  isNewest(meta: DocumentMeta): boolean {
    if (!meta.region || meta.reportYear === null) return true;
    return meta.reportYear >= (this.newestYear.get(meta.region) ?? meta.reportYear);
  }

  covers(year: number, meta: DocumentMeta): boolean {
    return this.byYear.has(year) || this.undated.has(meta.docId);
  }

  reviewedBy(meta: DocumentMeta): ReadonlySet<number> {
    return this.reviewed.get(meta.region ? meta.region : '*') ?? NO_YEARS;
  }

  /**
   * The reports a question about a report itself (who delivered it, when) means: a year it
   * names is the report's own year (「2025年江苏省政府工作报告是谁作的」), so those reports of
   * the scope come alone when there are any; else the scope's, or every report.
   */
  reportsAsked(analysis: QueryAnalysis, scope: DocumentScope): string[] {
    const ids = scope.docIds.length > 0 ? scope.docIds : [...this.byId.keys()];
    const years = analysis.time.years;
    const own = ids.filter((id) => years.includes(this.byId.get(id)?.reportYear ?? -1));
    return own.length > 0 ? own : ids;
  }

  /** Whether a document with this id is in the catalog. */
  has(docId: string): boolean {
    return this.byId.has(docId);
  }

  /** Whether a document passes every filter set (null when none is set: all pass). */
  filter(filters: DocumentFilters): ((docId: string) => boolean) | null {
    const { doc, year, region } = filters;
    if (doc === undefined && year === undefined && region === undefined) return null;
    const key = region === undefined ? undefined : regionKey(region);
    return (id) => {
      const d = this.byId.get(id);
      return (
        d !== undefined &&
        (doc === undefined || d.docId === doc) &&
        (year === undefined || d.reportYear === year) &&
        (key === undefined || (d.region !== null && regionKey(d.region) === key))
      );
    };
  }

  scope(analysis: QueryAnalysis): DocumentScope {
    // 「全国…」 points at the national report when there is one; without one it narrows nothing.
    const places = analysis.places.filter((p) => p !== NATION || this.byRegion.has('全国'));
    const asked = analysis.time.years;
    if (places.length === 0 && asked.length === 0) return everything;
    const uncovered: string[] = [];

    const placeDocs = places.flatMap(
      (p) => this.byRegion.get(p === '国务院' || p === NATION ? '全国' : p) ?? [],
    );
    if (places.length > 0 && placeDocs.length === 0 && this.unplaced.size === 0)
      uncovered.push(...places);
    const placeIds = new Set(placeDocs.map((d) => d.docId));

    // A year no report is about, when reports of the place asked state figures of it
    // (从2020年的3.68万亿元增长到…): those reports; which figure is that year's is the answer's to find.
    const yearDocs = asked.flatMap(
      (y) =>
        this.byYear.get(y) ??
        (this.statedIn.get(y) ?? []).filter((d) => places.length === 0 || placeIds.has(d.docId)),
    );
    if (asked.length > 0 && yearDocs.length === 0 && this.undated.size === 0)
      uncovered.push(...asked.map((y) => `${y}年`));
    const yearIds = new Set(yearDocs.map((d) => d.docId));

    const placeOk = (id: string) =>
      places.length === 0 ||
      placeIds.has(id) ||
      this.unplaced.has(id) ||
      (placeIds.size === 0 && uncovered.length > 0);
    const yearOk = (id: string) =>
      asked.length === 0 ||
      yearIds.has(id) ||
      this.undated.has(id) ||
      (yearIds.size === 0 && uncovered.length > 0);
    const allows = (id: string) => placeOk(id) && yearOk(id);
    const key = `${places.join(',')}|${asked.join(',')}`;
    let denied = this.deniedFor.get(key);
    if (!denied) {
      // What allows rules out, worked out from the placed and dated documents alone.
      const out = new Set<string>();
      for (const d of places.length > 0 ? this.placed : []) if (!placeOk(d.docId)) out.add(d.docId);
      for (const d of asked.length > 0 ? this.dated : []) if (!yearOk(d.docId)) out.add(d.docId);
      if (this.deniedFor.size >= DENIED_KEPT) this.deniedFor.clear();
      this.deniedFor.set(key, (denied = out));
    }

    // Documents the question points at: named place and year, the reviewed year first.
    const pointed = (placeDocs.length > 0 ? placeDocs : yearDocs).filter((d) => allows(d.docId));
    const rank = (d: DocumentMeta) =>
      asked.includes(d.reviewYear ?? -1) ? 2 : asked.includes(d.planYear ?? -1) ? 1 : 0;
    const docIds = [...new Set(pointed.sort((a, b) => rank(b) - rank(a)).map((d) => d.docId))];
    const yearUncovered = asked.length > 0 && yearDocs.length === 0;
    const coveredYears = yearUncovered
      ? [
          ...new Set(
            (placeDocs.length > 0 ? placeDocs : [...this.byYear.values()].flat()).flatMap(years),
          ),
        ].sort((a, b) => a - b)
      : [];
    return { restricted: true, allows, denied, docIds, uncovered, coveredYears };
  }
}
