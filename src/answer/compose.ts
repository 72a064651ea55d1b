/**
 * Composition, pure: turns scored sentences into the Answer object. Decides between an
 * answer and a calibrated refusal, writes the short answer text with [n] markers, and
 * answers questions about a document itself from its metadata.
 */
import type { QueryAnalysis } from '../retrieval/query.js';
import type { Answer, Citation, DocumentMeta } from '../types.js';
import { focus, toCitation, type DocText, type ScoredSentence } from './extractive.js';
import { feature } from './features.js';
import type { NeighbourFigure } from './neighbour-year.js';
import { closestSentences, neighbourYearText, refusalText, uncoveredText } from './refusal.js';

/** Question types asking for one thing (a figure, a person, a date, a place): one sentence answers them. */
const ONE_THING: ReadonlySet<QueryAnalysis['type']> = new Set(['quantity', 'who', 'when', 'where']);

export interface ComposeOptions {
  /** The decision model's refusal threshold: the best candidate's probability must reach it. */
  threshold: number;
  /** Documents in the index (a lead-in names the document when there are several). */
  documentCount: number;
  /** DecisionModel.alongside: the share of the threshold another report's sentence must reach to stand beside the best. @default 0.5 */
  alongside?: number;
}

function leadIn(doc: DocumentMeta, documentCount: number): string {
  return documentCount > 1 ? `据《${doc.title}》，` : '据报告，';
}

function strip(text: string): string {
  return text.replace(/[,，;；:：、]+$/, '');
}

export function composeAnswer(
  analysis: QueryAnalysis,
  scored: ScoredSentence[],
  options: ComposeOptions,
): Answer {
  const base = { mode: 'extractive' as const, question: analysis.question };
  const resolved = analysis.isFollowUp ? { resolvedQuestion: analysis.standalone } : {};
  // Candidates come sorted by the decision model's probability.
  const accepted = scored.filter((s) => s.score >= options.threshold);
  const best = accepted[0];
  if (!best) {
    return {
      ...base,
      ...resolved,
      found: false,
      answer: refusalText(analysis, scored),
      citations: closest(scored),
    };
  }
  // Several documents answer about equally well (a place or year narrows this to one).
  if (options.documentCount > 1) {
    const perDoc = bestPerDocument(scored, best, options.threshold * (options.alongside ?? 0.5));
    if (perDoc.length > 1) return perDocumentAnswer(analysis, perDoc, resolved);
  }
  const picked = [best];
  const items = analysis.type === 'list' ? enumerationAfter(best, scored) : [];
  if (items.length > 0) picked.push(...items);
  else if (!ONE_THING.has(analysis.type)) {
    const second = accepted.find(
      (s) =>
        s !== best &&
        s.score >= 0.9 * best.score &&
        s.coverage >= 0.9 * best.coverage &&
        !overlaps(s, best),
    );
    if (second) picked.push(second);
  }
  const citations: Citation[] = [];
  const parts: string[] = [];
  picked.forEach((s, i) => {
    const f = focus(analysis, s.text, s.before);
    const highlight = f.figure ?? { start: f.start, end: f.end };
    citations.push(toCitation(i + 1, s, highlight));
    parts.push(`${strip(s.text.slice(f.start, f.end))}[${i + 1}]`);
  });
  const answer = `${leadIn(best.doc.meta, options.documentCount)}${parts.join('；')}。`;
  return { ...base, ...resolved, found: true, answer, citations };
}

const ORDINAL_ITEM = /^(?:[二三四五六七八九十]是|[（(][二三四五六七八九十][）)])/;

/**
 * 「存在哪些差距」 answered by 「…还存在一些差距:一是…;」: the items that follow it in its
 * passage (二是…, 三是…), in order, at most `limit`, so a list is answered whole.
 */
function enumerationAfter(
  best: ScoredSentence,
  scored: ScoredSentence[],
  limit = 4,
): ScoredSentence[] {
  if (!/一是|[（(]一[）)]/.test(best.text)) return [];
  const following = scored
    .filter((s) => s.chunk === best.chunk && s.start > best.start)
    .sort((a, b) => a.start - b.start);
  const items: ScoredSentence[] = [];
  for (const s of following) {
    if (!ORDINAL_ITEM.test(s.text.trim()) || items.length >= limit) break;
    items.push(s);
  }
  return items;
}

/**
 * The best sentence of each document that answers about as well as the best one: accepted,
 * covering the question nearly as well, and given at least the fitted share of the threshold.
 */
function bestPerDocument(
  candidates: ScoredSentence[],
  best: ScoredSentence,
  /** The probability another report's sentence must reach. */
  floor: number,
  limit = 3,
): ScoredSentence[] {
  const out: ScoredSentence[] = [];
  const seen = new Set<string>();
  for (const s of candidates) {
    if (seen.has(s.doc.meta.docId)) continue;
    // Only reports of some place or year can differ by document; encyclopedia-like pages cannot.
    if (s.doc.meta.region === null && s.doc.meta.reportYear === null) continue;
    // Another report stands beside the best one when its sentence covers the question about
    // as fully and the model gives it the fitted share of the threshold (its probability also
    // weighs retrieval rank, which favours one report over the others).
    if (s.coverage < 0.75 * best.coverage || s.score < floor) continue;
    // Never beside it: a figure about another year than the one asked, or a report of
    // another place than the one named.
    if (feature(s.features, 'figureYearAgree') < 0 || feature(s.features, 'docPlace') < 0) continue;
    seen.add(s.doc.meta.docId);
    out.push(s);
    if (out.length >= limit) break;
  }
  return out;
}

/**
 * Several reports answer and the question did not say which: one cited sentence per
 * document, each named, never figures of different documents in one sentence.
 */
function perDocumentAnswer(
  analysis: QueryAnalysis,
  picked: ScoredSentence[],
  resolved: { resolvedQuestion?: string },
): Answer {
  const citations: Citation[] = [];
  const parts = picked.map((s, i) => {
    const f = focus(analysis, s.text, s.before);
    citations.push(toCitation(i + 1, s, f.figure ?? { start: f.start, end: f.end }));
    return `《${s.doc.meta.title}》：${strip(s.text.slice(f.start, f.end))}[${i + 1}]`;
  });
  const answer = `${picked.length}份报告都谈到了这个问题，说法分别是——${parts.join('；')}。如需某一份报告的内容，请在问题中说明地区或年份。`;
  return {
    found: true,
    answer,
    citations,
    mode: 'extractive',
    question: analysis.question,
    ...resolved,
  };
}

function overlaps(a: ScoredSentence, b: ScoredSentence): boolean {
  return a.doc === b.doc && a.start < b.end && b.start < a.end;
}

/** The closest passages for a refusal: the best sentences of distinct chunks. */
export function closest(scored: ScoredSentence[], limit = 3): Citation[] {
  return closestSentences(scored, limit).map((s, i) => toCitation(i + 1, s));
}

/** 2026-01-14 → 2026年1月14日. */
const chineseDate = (iso: string) => {
  const [y, mo, d] = iso.split('-').map(Number);
  return `${y}年${mo}月${d}日`;
};

/** One document's metadata fact for a 「什么时候发布」/「来源」/「标题」 question, or null when unknown. */
function metaFact(analysis: QueryAnalysis, m: DocumentMeta): string | null {
  const at = m.delivered;
  if (analysis.meta === 'speaker') {
    if (!at?.speaker) return null;
    const when = at.date
      ? `，${chineseDate(at.date)}${at.occasion ? `在${at.occasion}上` : ''}`
      : '';
    return `报告人是${at.role ?? ''}${at.speaker}${when}`;
  }
  if (analysis.meta === 'delivered') {
    if (at?.date)
      return `报告日期是${chineseDate(at.date)}${at.occasion ? `（${at.occasion}）` : ''}`;
    return m.publishedAt ? `发布时间是${m.publishedAt}` : null;
  }
  if (analysis.meta === 'date') return m.publishedAt ? `发布时间是${m.publishedAt}` : null;
  if (analysis.meta === 'source') return m.source ? `信息来源是${m.source}` : null;
  if (analysis.meta === 'year') {
    if (m.reportYear === null) return null;
    const reviews =
      m.reviewYear !== null && m.reviewYear !== m.reportYear ? `，回顾${m.reviewYear}年的工作` : '';
    return `年度是${m.reportYear}年${reviews}`;
  }
  return `标题是《${m.title}》`;
}

/** Offsets of the line of the text that states the publication date (2022-08-16 or 2022年8月16日), or null. */
export function dateLine(doc: DocText): [number, number] | null {
  const date = doc.meta.publishedAt;
  if (!date) return null;
  for (const form of [date, chineseDate(date)]) {
    const at = doc.text.indexOf(form);
    if (at < 0) continue;
    const from = doc.text.lastIndexOf('\n', at) + 1;
    const next = doc.text.indexOf('\n', at);
    const to = next < 0 ? doc.text.length : next;
    const text = doc.text.slice(from, to);
    // The line trimmed of its leading blanks, so the citation starts at its first word.
    const lead = text.length - text.trimStart().length;
    return [from + lead, from + text.trimEnd().length];
  }
  return null;
}

/** The title line cited for a fact of the document; the opening lines that say when and by whom it was delivered, for those. */
function titleCitation(
  n: number,
  doc: DocText,
  chunkId: string | null,
  meta: QueryAnalysis['meta'] = 'title',
): Citation {
  const at = doc.meta.delivered;
  const delivery = (meta === 'speaker' || meta === 'delivered') && at && at.end <= doc.text.length;
  const dated = !delivery && (meta === 'date' || meta === 'delivered') ? dateLine(doc) : null;
  const line = doc.text.indexOf('\n');
  const [start, end] = delivery
    ? [at.start, at.end]
    : (dated ?? [0, line < 0 ? doc.text.length : line]);
  return {
    n,
    chunkId: chunkId ?? '',
    docId: doc.meta.docId,
    title: doc.meta.title,
    section: '',
    text: doc.text.slice(start, end),
    start,
    end,
    score: 1,
    year: doc.meta.reportYear,
  };
}

/**
 * Answers 「这份报告是什么时候发布的」-style questions from metadata: for the one report meant,
 * or for each of several (up to five) when the question does not say which.
 */
export function composeMetaAnswer(
  analysis: QueryAnalysis,
  docs: DocText[],
  titleChunk: (docId: string) => string | null,
  total = docs.length,
): Answer {
  const known = docs.flatMap((d) => {
    const fact = metaFact(analysis, d.meta);
    return fact ? [{ d, fact }] : [];
  });
  const base = { mode: 'extractive' as const, question: analysis.question };
  if (known.length === 0) {
    return { ...base, found: false, answer: '报告中没有写明这一信息。', citations: [] };
  }
  const citations = known.map(({ d }, i) =>
    titleCitation(i + 1, d, titleChunk(d.meta.docId), analysis.meta),
  );
  if (docs.length === 1) {
    const { d, fact } = known[0]!;
    const answer =
      analysis.meta === 'title' ? `这份报告的${fact}[1]。` : `《${d.meta.title}》的${fact}[1]。`;
    return { ...base, found: true, answer, citations };
  }
  const parts = known.map(({ d, fact }, i) => `《${d.meta.title}》的${fact}[${i + 1}]`);
  const more = total > docs.length ? `（共${total}份，仅列出前${docs.length}份）` : '';
  return {
    ...base,
    found: true,
    answer: `已收录的报告${more}：${parts.join('；')}。如需某一份，请说明地区或年份。`,
    citations,
  };
}

/**
 * A question about a place or year that no ingested report covers; with `neighbour`, the
 * refusal also gives a neighbouring year's figure, labelled with its own year, cited first.
 */
export function composeUncovered(
  analysis: QueryAnalysis,
  scored: ScoredSentence[],
  uncovered: string[],
  coveredYears: readonly number[] = [],
  neighbour: NeighbourFigure | null = null,
): Answer {
  const base = { found: false, mode: 'extractive' as const, question: analysis.question };
  if (!neighbour)
    return { ...base, answer: uncoveredText(uncovered, coveredYears), citations: closest(scored) };
  const n = neighbour.sentence;
  const others = closestSentences(
    scored.filter((s) => !overlaps(s, n)),
    2,
  );
  const citations = [
    toCitation(1, n, neighbour.figure),
    ...others.map((s, i) => toCitation(i + 2, s)),
  ];
  return {
    ...base,
    answer: neighbourYearText(uncovered, coveredYears, neighbour),
    citations,
  };
}

const PLAN_ACTION = /完善|推行|实施|推进|深化|加快|健全|建立|开展|落实|出台|提升|强化|推动/;

/** A question about the plans (明年, 打算, 下一步…) with no topic of its own. */
export function isPlanOverview(analysis: QueryAnalysis): boolean {
  const own = analysis.concepts.filter((c) => c.source === 'question');
  if (!own.every((c) => c.vague) || analysis.isFollowUp || analysis.meta) return false;
  if (ONE_THING.has(analysis.type) || analysis.type === 'yesno') return false;
  return (
    analysis.time.relative === 'next' ||
    analysis.time.relative === 'this' ||
    /计划|打算|安排|下一步|接下来|部署|要干|要做/.test(analysis.question)
  );
}

/**
 * The answer to a plan overview: from each report's plan section (its 「下一步工作安排」), the
 * first sentences that say what will be done, in text order, cited; several reports (newest
 * first) are named one by one.
 */
export function composePlanAnswer(
  analysis: QueryAnalysis,
  sentences: ScoredSentence[],
  perDocument = 2,
): Answer {
  // Per report, among the section's first sentences, those that say what will be done (a
  // target figure, an action verb) rather than the framing that opens the section.
  const byDoc = new Map<string, ScoredSentence[]>();
  const newestFirst = (a: ScoredSentence, b: ScoredSentence) =>
    (b.doc.meta.reportYear ?? 0) - (a.doc.meta.reportYear ?? 0);
  for (const s of [...sentences].sort(
    (a, b) =>
      newestFirst(a, b) || a.doc.meta.docId.localeCompare(b.doc.meta.docId) || a.start - b.start,
  )) {
    const list = byDoc.get(s.doc.meta.docId) ?? [];
    if (list.length < 8) list.push(s);
    byDoc.set(s.doc.meta.docId, list);
  }
  const concrete = (s: ScoredSentence) =>
    (s.hasFigure ? 1 : 0) + (PLAN_ACTION.test(s.text) ? 1 : 0) - (s.text.length > 160 ? 1 : 0);
  for (const [docId, list] of byDoc) {
    const best = [...list]
      .sort((a, b) => concrete(b) - concrete(a) || a.start - b.start)
      .slice(0, perDocument);
    byDoc.set(
      docId,
      best.sort((a, b) => a.start - b.start),
    );
  }
  if (byDoc.size === 0) {
    return {
      found: false,
      answer: refusalText(analysis, sentences),
      citations: [],
      mode: 'extractive',
      question: analysis.question,
    };
  }
  const citations: Citation[] = [];
  const parts = [...byDoc.values()].map((picked) => {
    const texts = picked.map((s) => {
      const f = focus(analysis, s.text, s.before);
      citations.push(toCitation(citations.length + 1, s, { start: f.start, end: f.end }));
      return `${strip(s.text.slice(f.start, f.end))}[${citations.length}]`;
    });
    const first = picked[0]!;
    const heading = first.chunk.section.split(' > ').pop() ?? '';
    const where = byDoc.size > 1 ? `《${first.doc.meta.title}》` : '报告';
    return `${where}${heading ? `在「${heading}」中` : ''}提出：${texts.join('；')}`;
  });
  return {
    found: true,
    answer: `${parts.join('。')}。`,
    citations,
    mode: 'extractive',
    question: analysis.question,
  };
}
