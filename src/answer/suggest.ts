/**
 * Suggested questions, derived from the ingested reports (never hard-coded): for each
 * section, a clause with a figure becomes 「…多少…？」, so every suggestion is answerable.
 */
import type { Chunk } from '../types.js';
import type { DocText } from './extractive.js';
import { clauses } from './extractive.js';
import { findFigures } from '../text/figures.js';

const LEADING = /^(?:全年|累计|共|全省|全市|其中|同时|并|已|均|为|对|在|将|还|又|已经)+/;

/** 「为群众免费提供法律咨询46.4万人次」 → 「为群众免费提供法律咨询多少人次？」 */
export function questionFromClause(clause: string): string | null {
  const figures = findFigures(clause);
  const f = figures[figures.length - 1];
  if (!f || figures.length > 1 || f.unit === 'date' || f.unit === '%' || f.unit === '年')
    return null;
  const before = clause.slice(0, f.start).replace(LEADING, '');
  const after = clause.slice(f.end);
  if (
    before.length < 6 ||
    before.length > 22 ||
    after.length > 0 ||
    /[“”"《》()（）、]/.test(before)
  )
    return null;
  return `${before}多少${f.unit.replace(/^万/, '')}？`;
}

export function suggestQuestions(
  chunks: Chunk[],
  docs: Map<string, DocText>,
  limit = 12,
): string[] {
  const bySection = new Map<string, string>();
  // Only the first `limit` distinct questions are kept: once there are that many, the
  // remaining sections (most of a large corpus) cannot change the list.
  const distinct = new Set<string>();
  for (const chunk of chunks) {
    if (distinct.size >= limit) break;
    if (chunk.kind === 'title' || bySection.has(`${chunk.docId}|${chunk.section}`)) continue;
    const doc = docs.get(chunk.docId);
    if (!doc) continue;
    for (const span of chunk.sentences) {
      const q = clauses(doc.text.slice(span.start, span.end))
        .map((c) => questionFromClause(c.text))
        .find((x): x is string => x !== null);
      if (q) {
        bySection.set(`${chunk.docId}|${chunk.section}`, q);
        distinct.add(q);
        break;
      }
    }
  }
  const out = [...bySection.values()];
  out.push('这份报告是什么时候发布的？');
  return [...new Set(out)].slice(0, limit);
}
