/**
 * Pages of paged formats (PDF) through cleaning: a parser reports where each page starts
 * in its raw text; those starts become form feeds (`\f`, the page break of pdftotext and
 * of plain-text printing) that cleanText turns into page starts in the cleaned text, from
 * which every chunk gets its 1-based page. Pure.
 */

/** The page break character cleanText understands. */
export const PAGE_BREAK = '\f';

/**
 * `raw` with a page break before every page but the first. `pages` are start offsets
 * into `raw`, ascending; page breaks land at line starts, so offsets inside a line are
 * moved to the start of that line (the page where a line starts is the line's page).
 */
export function insertPageBreaks(raw: string, pages: number[]): string {
  const cuts = [
    ...new Set(pages.map((p) => lineStart(raw, p)).filter((p) => p > 0 && p <= raw.length)),
  ].sort((a, b) => a - b);
  let out = '';
  let from = 0;
  for (const cut of cuts) {
    out += raw.slice(from, cut) + PAGE_BREAK;
    from = cut;
  }
  return out + raw.slice(from);
}

function lineStart(raw: string, offset: number): number {
  const at = Math.min(Math.max(offset, 0), raw.length);
  return at === 0 ? 0 : raw.lastIndexOf('\n', at - 1) + 1;
}

/**
 * The 1-based page that holds `offset`, given each page's start offset (ascending, page 1
 * first). An empty page shares its start with the next one; the later page wins.
 */
export function pageAt(pageStarts: number[], offset: number): number {
  let lo = 0;
  let hi = pageStarts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (pageStarts[mid]! <= offset) lo = mid + 1;
    else hi = mid;
  }
  return Math.max(lo, 1);
}
