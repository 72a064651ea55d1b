/**
 * Extractive answering, pure: scores the sentences of the retrieved passages against the
 * question's concepts, type and time, picks the sentence (and for figures the clause) that
 * answers, and builds a short answer with [n] markers and sentence-level citations.
 */
import type { Retrieved } from '../retrieval/hybrid.js';
import type { QueryAnalysis } from '../retrieval/query.js';
import type { ReportCoverage } from '../retrieval/scope.js';
import type { Chunk, Citation, DocumentMeta } from '../types.js';
import { figureTime } from '../facts/fact.js';
import { figuresOf, partOfName, yearRightBefore, type Figure } from '../text/figures.js';
import { familyAnswers, unitFamily } from '../text/units.js';
import {
  asksYears,
  changeOrLevelAsked,
  exactAfterThreshold,
  figureChange,
  pairItems,
  type FigureChange,
} from '../text/figure-kind.js';
import { conceptMatch, conceptSpans, coverage, matchingText } from './match.js';
import { longestCommonRun } from '../text/common-run.js';
import { namesPersonNear, namesPlace } from '../text/tokenize.js';
import { decide, type DecisionModel } from './decision.js';
import { candidateFeatures, eligible, type ClauseGaps, type FeatureVector } from './features.js';

export interface DocText {
  meta: DocumentMeta;
  text: string;
}

export interface ScoredSentence {
  chunk: Chunk;
  doc: DocText;
  start: number;
  end: number;
  text: string;
  /** Concept coverage in [0, 1]. */
  coverage: number;
  /** Probability that this sentence answers the question (the decision model's), or the coverage without a model. */
  score: number;
  /** The decision model's inputs for this candidate. */
  features: FeatureVector;
  hasFigure: boolean;
  missing: string[];
  /** The sentence before it in its passage (list items borrow its lead). */
  before: string;
}

const CLAUSE = /[^,，;；:：]+[,，;；:：]?/g;

interface Clause {
  start: number;
  end: number;
  text: string;
}

/** Clauses of a sentence (split at commas, semicolons and colons), offsets into the sentence. */
export function clauses(sentence: string): Clause[] {
  const out: Clause[] = [];
  for (const m of sentence.matchAll(CLAUSE)) {
    const raw = m[0];
    const start = m.index!;
    const text = raw.replace(/[,，;；:：。！？!?]+$/, '');
    if (text.trim()) out.push({ start, end: start + text.length, text });
  }
  return out;
}

/** Texts as concepts are looked for in them (match.ts matchingText), made once per document or passage. */
const matchingTexts = new WeakMap<object, string>();
function matchingOnce(owner: object, text: string): string {
  let t = matchingTexts.get(owner);
  if (t === undefined) matchingTexts.set(owner, (t = matchingText(text)));
  return t;
}
const docMatchingText = (doc: DocText) => matchingOnce(doc, doc.text);

/**
 * Weight share of the question's own topic concepts (not vague words, not places) that the
 * document speaks of anywhere: a report that never names what is asked cannot answer it,
 * however close one of its sentences looks. 1 when the question has no such concept.
 */
export function documentCover(analysis: QueryAnalysis, doc: DocText): number {
  let total = 0;
  let found = 0;
  const text = docMatchingText(doc);
  for (const c of analysis.concepts) {
    if (c.source !== 'question' || c.vague || c.place) continue;
    total += c.weight;
    found += c.weight * conceptMatch(c, text);
  }
  return total > 0 ? found / total : 1;
}

function headingOf(chunk: Chunk): string {
  return chunk.section.split(' > ').pop() ?? '';
}

function periodWanted(analysis: QueryAnalysis, doc: DocumentMeta): Chunk['period'] | null {
  const { relative, years } = analysis.time;
  if (relative === 'this' || relative === 'next') return 'plan';
  if (relative === 'last' || relative === 'before-last') return 'review';
  for (const y of years) {
    if (y === doc.planYear && y !== doc.reviewYear) return 'plan';
    if (y === doc.reviewYear) return 'review';
  }
  return null;
}

/**
 * The sentence before sentence `si` of a chunk; for an item of a list of ；-ended sentences,
 * the sentence that opened the list (「主要预期目标是:国内生产总值增长5%左右;」), whose lead
 * every item borrows (「居民消费价格涨幅3%左右;」 is a 目标 too).
 */
function listOpener(text: string, chunk: Chunk, si: number): string {
  const sentence = (i: number) => text.slice(chunk.sentences[i]!.start, chunk.sentences[i]!.end);
  if (si === 0) return '';
  let i = si - 1;
  while (
    i > 0 &&
    /[;；]$/.test(sentence(i)) &&
    /[;；]$/.test(sentence(i - 1)) &&
    !/[:：]/.test(sentence(i))
  )
    i--;
  return sentence(i);
}

/** A date or period: 2021年, 396年五月初九, 顺治十一年, 19世纪60年代, 年底, 第三季度, 春节. */
const WHEN =
  /\d{1,4}年|\d{1,2}月|\d{4}-\d{1,2}|[〇一二三四五六七八九十百]{2,}年|元年|[正一二三四五六七八九十冬腊]{1,2}月|世纪|年代|年底|年初|年末|年中|上半年|下半年|季度|春节|元旦|当年|同年|次年|翌年|前夕/;

/** Does the sentence hold the kind of thing the question asks for (a figure of the kind asked, a person, a date, the procedure)? */
export function holdsAskedType(analysis: QueryAnalysis, text: string, figureHit: boolean): boolean {
  switch (analysis.type) {
    case 'quantity':
      return figureHit;
    case 'who':
      return namesPersonNear(
        text,
        analysis.concepts.flatMap((c) => c.forms),
      );
    case 'when':
      return WHEN.test(text);
    case 'where':
      return namesPlace(text, analysis.question);
    case 'how':
      return (
        analysis.actionForms.length === 0 || analysis.actionForms.some((f) => text.includes(f))
      );
    default:
      return true;
  }
}

/** The words before a figure in its clause name a place that is neither the question's nor the document's region (庆阳、酒泉经济总量突破千亿元 in a province's report): the figure is that place's. */
export function figureOfOtherPlace(
  before: string,
  question: string,
  region: string | null,
): boolean {
  return namesPlace(before, `${question}${region ?? ''}`);
}

/**
 * Every sentence of the retrieved passages as a candidate answer, with its features and,
 * when a decision model is given, its probability of answering (sorted best first).
 */
export function scoreSentences(
  analysis: QueryAnalysis,
  retrieved: Retrieved[],
  docs: Map<string, DocText>,
  reports: ReportCoverage,
  model?: DecisionModel,
): ScoredSentence[] {
  const out: ScoredSentence[] = [];
  const wantsFigure = analysis.type === 'quantity';
  const bestBm25 = retrieved.reduce((m, r) => Math.max(m, r.bm25), 0);
  const covers = new Map<DocText, number>();
  const asked = analysis.time.years.length === 1 ? analysis.time.years[0]! : null;
  retrieved.forEach((r, rank) => {
    const doc = docs.get(r.chunk.docId);
    if (!doc) return;
    const heading = matchingText(headingOf(r.chunk));
    const context = matchingOnce(r.chunk, r.chunk.text);
    const title = matchingOnce(doc.meta, doc.meta.title);
    const wanted = periodWanted(analysis, doc.meta);
    const latest = reports.isNewest(doc.meta);
    const reviewedYears = reports.reviewedBy(doc.meta);
    const yearOnlyStated = asked !== null && !reports.covers(asked, doc.meta);
    let docCover = covers.get(doc);
    if (docCover === undefined) covers.set(doc, (docCover = documentCover(analysis, doc)));
    r.chunk.sentences.forEach((span, si) => {
      const text = doc.text.slice(span.start, span.end);
      const lower = matchingText(text);
      const prev = listOpener(doc.text, r.chunk, si);
      const cov = coverage(analysis.concepts, lower, heading, context, title);
      const hit = wantsFigure ? answeringClause(analysis, text, prev) : null;
      const figure = wantsFigure ? hit !== null : figuresOf(text).length > 0;
      const before = hit ? hit.clause.text.slice(0, hit.figure.start) : '';
      // Read by the figure features only (figure questions).
      const time = wantsFigure
        ? figureTime(
            doc.text,
            span.start,
            text,
            hit
              ? { start: hit.clause.start, end: hit.clause.start + hit.clause.text.length }
              : { start: 0, end: text.length },
            hit ? hit.clause.start + hit.figure.start : 0,
            doc.meta,
            r.chunk.period,
            r.chunk.section,
          )
        : null;
      const features = candidateFeatures({
        analysis,
        sentence: lower,
        heading,
        context,
        title,
        doc: doc.meta,
        coverage: cov.share,
        period: r.chunk.period,
        wanted,
        typeOk: holdsAskedType(analysis, text, hit !== null),
        figureNear: hit ? proximity(analysis, hit.clause.text, hit.figure) : 0,
        clauseGaps: hit,
        docCover,
        retrieval: { score: r.score, bm25: r.bm25, similarity: r.similarity, rank, bestBm25 },
        wording: longestCommonRun(analysis.question, text),
        figures: figuresOf(text),
        figureClause: hit ? hit.clause.text : text,
        figureBefore: before,
        ordinalFigure:
          hit !== null && text.charAt(hit.clause.start + hit.figure.start - 1) === '第',
        otherPlace: hit !== null && figureOfOtherPlace(before, analysis.question, doc.meta.region),
        latest,
        reviewedYears,
        figureSpan: time?.span ?? 'year',
        figureYear: hit ? time!.year : null,
        yearOnlyStated,
      });
      out.push({
        chunk: r.chunk,
        doc,
        start: span.start,
        end: span.end,
        text,
        coverage: cov.share,
        score: cov.share,
        hasFigure: figure,
        missing: cov.missing.map((c) => c.text),
        before: prev,
        features,
      });
    });
  });
  if (model) {
    const probabilities = decide(
      model,
      out.map((s) => s.features),
      out.map((s) => s.doc.meta.docId),
    );
    probabilities.forEach((p, i) => (out[i]!.score = eligible(analysis, out[i]!.features) ? p : 0));
  }
  return out.sort((a, b) => b.score - a.score || a.start - b.start);
}

export interface Focus {
  /** Offsets into the sentence of the part that answers. */
  start: number;
  end: number;
  /** Offsets into the sentence of the figure to highlight, when there is one. */
  figure?: { start: number; end: number };
}

/**
 * The part of a sentence that answers: for figures, the clause holding the best-matching
 * figure (with the clause before it when it is too short to stand alone); otherwise the
 * sentence, or the best clauses of a long one.
 */
export function focus(
  analysis: QueryAnalysis,
  sentence: string,
  before = '',
  maxChars = 100,
): Focus {
  const parts = clauses(sentence);
  if (parts.length === 0) return { start: 0, end: sentence.length };
  if (analysis.type === 'quantity') {
    const hit = answeringClause(analysis, sentence, before);
    if (hit) {
      const figure = {
        start: hit.clause.start + hit.figure.start,
        end: hit.clause.start + hit.figure.end,
      };
      const several = asksSeveralFigures(analysis.question);
      const item = several ? null : listItem(analysis, hit.clause, figure);
      if (item) return { ...item, figure };
      let start = hit.clause.start;
      if (hit.clause.text.length < 12 && hit.index > 0) start = parts[hit.index - 1]!.start;
      // Two figures asked (「总量多少，增长多少」): the clause after, when it states one too.
      const next = parts[hit.index + 1];
      const end =
        several && next && figuresOf(next.text).some((f) => f.unit !== 'date')
          ? next.end
          : hit.clause.end;
      return { start, end, figure };
    }
  }
  const scored = parts.map((c, i) => ({ c, i, s: clauseScore(analysis, c) }));
  if (sentence.length <= maxChars)
    return { start: 0, end: sentence.replace(/[。！？!?；;]+[”’」』]*$/, '').length };
  const best = scored.reduce((a, b) => (b.s > a.s ? b : a));
  let lo = best.i;
  let hi = best.i;
  const len = () => parts[hi]!.end - parts[lo]!.start;
  while (len() < maxChars) {
    const left = lo > 0 ? scored[lo - 1]! : null;
    const right = hi + 1 < parts.length ? scored[hi + 1]! : null;
    const pick = right && (!left || right.s >= left.s) ? 'right' : left ? 'left' : null;
    if (!pick) break;
    const next = pick === 'right' ? right! : left!;
    if (len() + next.c.text.length > maxChars) break;
    if (pick === 'right') hi++;
    else lo--;
  }
  return { start: parts[lo]!.start, end: parts[hi]!.end };
}

const HOW_MANY = /多少|几(?=[个件项次位家所名条座种类部台套万亿千百%])/g;

/** Whether a question asks for more than one figure (「GDP多少，增长了多少」, 「各涨了多少」). */
export function asksSeveralFigures(question: string): boolean {
  return (
    (question.match(HOW_MANY) ?? []).length >= 2 || /(?:各|分别).{0,6}(?:多少|几)/.test(question)
  );
}

/** The 、-separated items of a clause with their offsets; a 、 inside quotes or 《》 does not separate. */
function enumerationItems(text: string): Array<{ start: number; end: number; text: string }> {
  const items: Array<{ start: number; end: number; text: string }> = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if ('“「《（('.includes(ch)) depth++;
    else if ('”」》）)'.includes(ch)) depth = Math.max(0, depth - 1);
    else if (ch === '、' && depth === 0) {
      items.push({ start, end: i, text: text.slice(start, i) });
      start = i + 1;
    }
  }
  items.push({ start, end: text.length, text: text.slice(start) });
  return items;
}

/** The question's own nouns (not its verbs) that a piece of text names. */
function namedConcepts(analysis: QueryAnalysis, text: string): QueryAnalysis['concepts'] {
  const lower = matchingText(text);
  return analysis.concepts.filter(
    (k) => k.source === 'question' && !k.verbal && conceptMatch(k, lower) >= 1,
  );
}

const weightOf = (concepts: QueryAnalysis['concepts']) =>
  concepts.reduce((sum, k) => sum + k.weight, 0);

/**
 * In a clause listing figures with 、 (「全年办理人大代表建议811件、政协提案870件」), the item
 * holding the chosen figure, when it is the item that matches the question best and names
 * it by itself (「政协提案870件」); null otherwise (「增长5.8%」 alone would not say of what).
 */
function listItem(
  analysis: QueryAnalysis,
  clause: Clause,
  figure: { start: number; end: number },
): { start: number; end: number } | null {
  const items = enumerationItems(clause.text).map((it) => ({
    ...it,
    start: it.start + clause.start,
    end: it.end + clause.start,
  }));
  if (items.length < 2 || items.filter((it) => figuresOf(it.text).length > 0).length < 2)
    return null;
  const scores = items.map((it) => weightOf(namedConcepts(analysis, it.text)));
  const at = items.findIndex((it) => figure.start >= it.start && figure.end <= it.end);
  if (at < 0 || scores[at]! <= 0 || scores.some((v, i) => i !== at && v >= scores[at]!))
    return null;
  return { start: items[at]!.start, end: items[at]!.end };
}

/** Concept matches, plus the longest run of the question's own wording (「调解成功」 over 「调解纠纷」). */
/** Credit of a clause naming a concept by one of its report words rather than the question's own word. */
const SYNONYM_CREDIT = 0.6;

/**
 * How well a clause answers: the concepts it names (the question's own word in full, a
 * report word for it at SYNONYM_CREDIT) and the longest run of the question's wording.
 */
function clauseScore(analysis: QueryAnalysis, c: Clause): number {
  const text = matchingText(c.text);
  let score = 2 * longestCommonRun(analysis.question, c.text) ** 1.5;
  for (const k of analysis.concepts) {
    const m = conceptMatch(k, text);
    score += k.weight * (m === 1 && !text.includes(k.text) ? SYNONYM_CREDIT : m);
  }
  return score;
}

/** A sentence that introduces a list (「…主要预期目标是:…;」) lends its lead to the items after it. */
function listLead(before: string): string {
  return /[;；]$/.test(before) ? before : '';
}

const squeeze = (t: string) => t.replace(/[“”"《》\s]/g, '').toLowerCase();

/** What a figure question asks of the figure, worked out once per question. */
interface FigureAsks {
  /** The change or level asked (a plain 「X是多少」: the level). */
  asked: FigureChange | null;
  /** A count of years (创20年新高, 连续37年) answers only a question asking how many years. */
  yearsAsked: boolean;
}

const figureAsksOf = new WeakMap<QueryAnalysis, FigureAsks>();

/** A follow-up is read with the question it follows (its standalone form): what it inherits says whether a change is asked. */
function figureAsks(analysis: QueryAnalysis): FigureAsks {
  let asks = figureAsksOf.get(analysis);
  if (!asks) {
    asks = {
      asked: changeOrLevelAsked(analysis.figureWording, analysis.unit === 'percent'),
      yearsAsked: analysis.unitFamily === '时长' || asksYears(analysis.standalone),
    };
    figureAsksOf.set(analysis, asks);
  }
  return asks;
}

/** The clause that answers a figure question, with what it leaves unsaid of the question. */
export interface ClauseHit extends ClauseGaps {
  clause: Clause;
  index: number;
  figure: Figure;
}

/**
 * The clause that answers a figure question: it holds a figure of the kind asked (money,
 * percent, the unit family asked); among those, one that names the thing asked about
 * (「电话是多少」: 电话) in itself or the clause before it, then the one naming the question
 * best. What it leaves unsaid is reported, for the decision model to weigh. Null when no
 * clause of the sentence holds such a figure.
 */
export function answeringClause(
  analysis: QueryAnalysis,
  sentence: string,
  /** The sentence before, for list items after a colon (「预期目标是:…;城镇新增就业1200万人以上;」). */
  before = '',
): ClauseHit | null {
  const parts = clauses(sentence);
  const actionSaid =
    analysis.actionForms.length === 0 ||
    analysis.actionForms.some((f) => sentence.includes(f) || before.includes(f));
  let best:
    | (Omit<ClauseHit, 'actionSaid' | 'itemElsewhere'> & {
        score: number;
        /** -1 when the figure is a change and a level is asked, or the other way round; else 0. */
        agree: number;
      })
    | null = null;
  const { asked, yearsAsked } = figureAsks(analysis);
  // When the question asks a unit family (多少公里, 的人有多少) and some clause holds a figure
  // of it, only such figures answer.
  const fam = analysis.unitFamily;
  const ofFamily = (f: Figure) => fam !== null && familyAnswers(fam, unitFamily(f.unit));
  const familyHeld = fam !== null && parts.some((c) => figuresOf(c.text).some(ofFamily));
  const colon = sentence.search(/[:：]/);
  /** A clause with what is said before it: the sentence's lead before a colon, the clause before (or the list lead), the clause. */
  const around = (index: number) => {
    const clause = parts[index]!;
    const lead = colon >= 0 && colon < clause.start ? sentence.slice(0, colon) : '';
    return lead + (index === 0 ? listLead(before) : parts[index - 1]!.text) + clause.text;
  };
  /** Clauses holding a figure of the kind asked. */
  const answering = new Set<number>();
  for (const [index, clause] of parts.entries()) {
    let figures = figuresOf(clause.text).filter(
      (f) => f.unit !== 'date' && !partOfName(clause.text, f) && (f.unit !== '年' || yearsAsked),
    );
    if (analysis.unit === 'percent') figures = figures.filter((f) => f.unit === '%');
    if (analysis.unit === 'money') figures = figures.filter((f) => f.unit.endsWith('元'));
    if (familyHeld) figures = figures.filter(ofFamily);
    if (figures.length === 0) continue;
    answering.add(index);
    let focusSaid = true;
    if (analysis.focus) {
      const context = squeeze(around(index));
      focusSaid = analysis.focusForms.some((f) => context.includes(f));
    }
    const score = clauseScore(analysis, clause);
    const figure = pickFigure(analysis, clause.text, figures);
    const stated = asked ? figureChange(clause.text.slice(0, figure.start)) : null;
    // Only a figure of the other sort gives way: a level word beside a figure is too common
    // to outrank a clause that names the question better.
    const agree = stated !== null && stated !== asked ? -1 : 0;
    const better =
      !best ||
      (focusSaid && !best.focusSaid) ||
      (focusSaid === best.focusSaid &&
        (agree > best.agree || (agree === best.agree && score > best.score)));
    if (better) best = { clause, index, figure, score, focusSaid, agree };
  }
  if (!best) return null;
  // An item elsewhere in the sentence without a figure of the kind asked that matches the
  // question better is the one asked about (「…一般公共预算收入增长4%左右，…，居民收入增长和
  // 经济增长同步」; 「地区生产总值5万亿元，…，居民收入增长5%」 asked for the income in 元):
  // its figure is not given, and the figure of another item is no answer. What
  // the figure's clause names includes the clause before it (「累计调解纠纷12.16万件,调解成功11.94万件」).
  const at = best.index;
  const figureNames = namedConcepts(
    analysis,
    (at > 0 ? parts[at - 1]!.text : '') + best.clause.text,
  );
  const itemElsewhere = parts.some((c, i) => {
    if (i === at || i === at - 1 || answering.has(i)) return false;
    const names = namedConcepts(analysis, c.text);
    return names.some((k) => !figureNames.includes(k)) && weightOf(names) > weightOf(figureNames);
  });
  const { clause, index, figure, focusSaid } = best;
  return { clause, index, figure, actionSaid, focusSaid, itemElsewhere };
}

/** 1 when a concept is written right before the figure (「地区生产总值迈上14万亿元」), falling to 0 by 12 characters. */
function proximity(analysis: QueryAnalysis, clause: string, figure: Figure): number {
  let best = 0;
  for (const k of analysis.concepts) {
    if (k.source !== 'question') continue;
    for (const form of k.forms) {
      const at = clause.lastIndexOf(form, figure.start);
      if (at < 0) continue;
      const gap = figure.start - (at + form.length);
      if (gap >= 0) best = Math.max(best, 1 - gap / 12);
    }
  }
  return best;
}

/**
 * 「城镇和农村居民人均可支配收入分别增长4.3%、5.3%」: the figure of each item named before
 * 分别, in the same order. The item that holds one of the question's own words picks its
 * figure; null when the clause is not such a list or no item is named.
 */
export function respectiveFigure(
  analysis: QueryAnalysis,
  clause: string,
  figures: readonly Figure[],
): Figure | null {
  const at = clause.indexOf('分别');
  if (at < 0) return null;
  const after = figures.filter((f) => f.start > at);
  if (after.length < 2) return null;
  const lead = clause.slice(0, at).replace(/^.*[:：]/, '');
  let items = lead.split(/、|和|及|与|以及/).filter((t) => t.trim() !== '');
  if (items.length === 1 && after.length === 2) items = pairItems(items[0]!) ?? items;
  if (items.length !== after.length) return null;
  // The last item carries the words all items share (「城镇和农村居民…收入」: 居民…收入), and
  // with three or more, the first the words leading into the list (「力争全年交通、水利、能源…」):
  // each is read as wide as the longest of the items between, the first from its end.
  const led = items.length >= 3;
  const inner = led ? items.slice(1, -1) : items.slice(0, -1);
  const width = Math.max(...inner.map((t) => t.trim().length));
  const heads = items.map((t, i) =>
    i === 0 && led ? t.trim().slice(-width) : t.trim().slice(0, width),
  );
  // The item naming the most of the question answers (「省外游客、入境过夜游客分别增长10%、
  // 35%以上」 for 入境过夜游客: 入境 and 过夜 against 游客 alone); none when two name as much,
  // or when the question asks for several and names more than one.
  const own = analysis.concepts.filter((k) => k.source === 'question');
  const named = heads.map((head) =>
    own
      .filter((k) =>
        k.forms.some((f) => head.includes(f) || (head.length >= 2 && f.includes(head))),
      )
      .reduce((sum, k) => sum + k.weight, 0),
  );
  // A question asking for several (城里人和农村人的收入各涨了多少) is answered by them all.
  if (asksSeveralFigures(analysis.question) && named.filter((w) => w > 0).length > 1) return null;
  const most = Math.max(...named);
  const index = named.indexOf(most);
  return most > 0 && named.lastIndexOf(most) === index ? after[index]! : null;
}

/**
 * How far figure f stands before offset `at` as the count of what is written there: 0 right
 * before it (「180个老旧小区」, 「95%以上行政村」: 以上/以下/左右 aside), the number of
 * characters of a short qualifier between (「180个城镇老旧小区」: 2); -1 when it is no such count.
 */
function nearBefore(clause: string, f: Figure, at: number): number {
  if (f.end > at) return -1;
  const between = clause.slice(f.end, at).replace(/^(?:以上|以下|左右)/, '');
  return /^[\u3400-\u9fff]{0,4}$/.test(between) ? between.length : -1;
}

function pickFigure(analysis: QueryAnalysis, clause: string, figures: readonly Figure[]) {
  const respective = respectiveFigure(analysis, clause, figures);
  if (respective) return respective;
  // A question about one year, a clause with figures of several (「从2020年的3.68万亿元增长到
  // 2025年的4.93万亿元」): the figure written right after that year.
  if (analysis.time.years.length === 1) {
    const year = analysis.time.years[0]!;
    const dated = figures.filter((f) => yearRightBefore(clause, f.start) === year);
    if (dated.length > 0 && dated.length < figures.length) return dated[0]!;
  }
  // The figure the question's words stand beside: each concept written before it (「政协提案
  // 870件」) or right before as its count (「180个城镇老旧小区」) speaks for it by its weight,
  // less the farther it stands, and the figure with the most said for it answers
  // (「中小学10所、新增学位1.7万个」 for 新增多少个中小学学位: 新增 and 学位 against 中小学).
  // A concept is found by a form or a rare word's characters in order (老小区 in 老旧小区).
  // A follow-up's own words pick among the figures (「那政协呢」: 政协提案870件, not the 811件
  // of the question before); the conversation's words only when the question's are absent.
  const placed = analysis.concepts
    .map((k) => ({ k, spans: conceptSpans(k, clause) }))
    .filter((x) => x.spans.length > 0);
  const own = placed.filter((x) => x.k.source === 'question');
  // Words written once speak once: a place in the clause counts for the heaviest concept
  // found there (中小学 is a form of 学位 too).
  const speaking = (own.length > 0 ? own : placed).sort((a, b) => b.k.weight - a.k.weight);
  let best = 0;
  let bestSaid = 0;
  for (const [i, f] of figures.entries()) {
    let said = 0;
    const used = new Set<number>();
    for (const { k, spans } of speaking) {
      let near = 0;
      let at = -1;
      for (const span of spans) {
        if (used.has(span.start)) continue;
        const gap = f.start >= span.start ? f.start - span.end : nearBefore(clause, f, span.start);
        if (gap >= 0 && 1 / (gap + 1) > near) [near, at] = [1 / (gap + 1), span.start];
      }
      if (at >= 0) used.add(at);
      said += k.weight * near;
    }
    if (said > bestSaid) [best, bestSaid] = [i, said];
  }
  // A round mark passed gives way to the exact level written right after it.
  return figures[exactAfterThreshold(clause, figures, best)]!;
}

export function toCitation(
  n: number,
  s: ScoredSentence,
  highlight?: { start: number; end: number },
): Citation {
  const c: Citation = {
    n,
    chunkId: s.chunk.id,
    docId: s.doc.meta.docId,
    title: s.doc.meta.title,
    section: s.chunk.section,
    text: s.text,
    start: s.start,
    end: s.end,
    score: Math.max(0, Math.min(1, Number(s.coverage.toFixed(3)))),
    year: s.doc.meta.reportYear,
  };
  if (highlight) c.highlight = highlight;
  if (s.chunk.page !== undefined) c.page = s.chunk.page;
  return c;
}
