/**
 * Fact extraction for the staff console: every figure with a unit in every sentence of
 * every document (findFigures), with what it counts (the words before it in its clause),
 * the sentence, the section, the document and the year it is about. Pure.
 */
import { findFigures } from '../src/text/figures.js';
import { figureKind } from '../src/text/figure-kind.js';
import { figureTime, type Fact } from '../src/facts/fact.js';
import type { StoredDocument } from '../src/index-store.js';
import type { Chunk } from '../src/types.js';
import { SECTION_SEPARATOR } from './chunk.js';

/** Clause boundaries inside a sentence. */
const CLAUSE_BREAK = /[，,；;：:、。！？!?（）()“”「」]/;
/** Connectives before what is counted (其中企业…, 累计调解…). */
const LEADING =
  /^(?:其中|并且|并|同时|另外|此外|还|共计|共|累计|总计|合计|分别|全年|全省|全市|年内)+/;
/** Verbs between what is counted and the figure (办结率达100%). */
const TRAILING = /(?:达到了|达到|达|为|是|共计|共|约|近|超过|超|逾|突破|以上|分别|平均)+$/;
/** Labels longer than this are cut to their end (the words nearest the figure). */
const MAX_LABEL = 24;

const han = (s: string) => (s.match(/\p{Script=Han}/gu) ?? []).length;

function tidyLabel(text: string): string {
  return text.trim().replace(LEADING, '').replace(TRAILING, '').trim();
}

/** The clause around `at`: [start, end) between clause breaks. */
function clauseAround(sentence: string, start: number, end: number): [number, number] {
  let from = start;
  while (from > 0 && !CLAUSE_BREAK.test(sentence[from - 1]!)) from--;
  let to = end;
  while (to < sentence.length && !CLAUSE_BREAK.test(sentence[to]!)) to++;
  return [from, to];
}

/** A clause with its figures taken out (「进出口总额9万亿元」→「进出口总额」). */
function withoutFigures(clause: string): string {
  let out = '';
  let at = 0;
  for (const f of findFigures(clause)) {
    out += clause.slice(at, f.start);
    at = f.end;
  }
  return out + clause.slice(at);
}

/**
 * What a figure counts: the clause text before it, trimmed of connectives. When that is
 * too short to say anything (「增长9.8%」, 「连续36年居全国首位」) the words after the figure
 * are added, or else the previous clause (「进出口总额9万亿元、增长9.8%」→ 进出口总额 增长).
 */
export function figureLabel(sentence: string, start: number, end: number): string {
  const [from, to] = clauseAround(sentence, start, end);
  const before = tidyLabel(sentence.slice(from, start));
  if (han(before) >= 3) return before.slice(-MAX_LABEL);
  const after = sentence.slice(end, to).trim();
  if (han(after) >= 2) return `${before}${before ? '…' : ''}${after}`.slice(0, MAX_LABEL);
  if (from > 0) {
    const [prevFrom] = clauseAround(sentence, from - 1, from - 1);
    const previous = tidyLabel(withoutFigures(sentence.slice(prevFrom, from - 1)));
    if (han(previous) >= 2) return `${previous} ${before}`.trim().slice(-MAX_LABEL);
  }
  return before || after;
}

/** Facts of one document, in text order. */
export function extractDocumentFacts(doc: StoredDocument, chunks: Chunk[]): Fact[] {
  const { meta, text } = doc;
  const facts: Fact[] = [];
  for (const chunk of chunks) {
    if (chunk.kind === 'title') continue;
    const path = chunk.section.split(SECTION_SEPARATOR);
    let n = 0;
    for (const at of chunk.sentences) {
      const sentence = text.slice(at.start, at.end);
      for (const f of findFigures(sentence)) {
        if (f.unit === 'date') continue; // a date is not a quantity
        if (/^[一二两三四五六七八九]\D/.test(f.raw)) continue; // 「两个维护」, 「一批」: wording, not a statistic
        const [from, to] = clauseAround(sentence, f.start, f.end);
        const clause = sentence.slice(from, to);
        const time = figureTime(
          text,
          at.start,
          sentence,
          { start: from, end: to },
          f.start,
          meta,
          chunk.period,
          chunk.section,
        );
        const fact: Fact = {
          id: `${chunk.id}:${n++}`,
          docId: meta.docId,
          chunkId: chunk.id,
          figure: f.raw,
          value: f.value,
          unit: f.unit,
          label: figureLabel(sentence, f.start, f.end),
          sentence,
          figureStart: f.start,
          figureEnd: f.end,
          section: path[path.length - 1] ?? '',
          sectionPath: chunk.section,
          title: meta.title,
          year: time.year,
          kind: figureKind(clause, chunk.period),
          span: time.span,
          reportYear: meta.reportYear,
          region: meta.region,
        };
        if (chunk.page !== undefined) fact.page = chunk.page;
        facts.push(fact);
      }
    }
  }
  return facts;
}

/** Facts of every document (chunks of a document may be anywhere in `chunks`). */
export function extractFacts(documents: StoredDocument[], chunks: Chunk[]): Fact[] {
  const byDoc = new Map<string, Chunk[]>();
  for (const c of chunks) {
    const list = byDoc.get(c.docId);
    if (list) list.push(c);
    else byDoc.set(c.docId, [c]);
  }
  return documents.flatMap((d) => extractDocumentFacts(d, byDoc.get(d.meta.docId) ?? []));
}
