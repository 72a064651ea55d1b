/**
 * Candidate features, pure: what the decision model knows about one candidate answer (a
 * sentence with its passage and document) for one analysed question. Every value is a
 * plain number in a small range; the model (decision.ts) standardises and weighs them.
 */
import type { Concept, QueryAnalysis } from '../retrieval/query.js';
import type { DocumentMeta } from '../types.js';
import { conceptMatch } from './match.js';
import { figuresOf, type Figure } from '../text/figures.js';
import { familyAnswers, unitFamily } from '../text/units.js';
import {
  askedChange,
  plainLevelAsked,
  askedKind,
  asksRank,
  figureChange,
  figureKind,
  perHead,
  type FigureSpan,
} from '../text/figure-kind.js';

/** Feature names, in vector order. The model file names the features it was fitted on. */
export const FEATURES = [
  /** IDF-weighted share of the question's concepts found (sentence and title in full, heading and passage at half). */
  'coverage',
  /** The same share over the concepts the corpus holds at all (a word no report uses cannot tell passages apart). */
  'coverageKnown',
  /** Weight share of the question's own concepts that no passage of the corpus holds. */
  'unknownShare',
  /** Weight share of the question's own nouns and names (not verbs or fillers) that no passage of the corpus holds: what the reports cannot speak of. */
  'unknownNoun',
  /** The question's weightiest noun or name is in no report (the reports never speak of what is asked). */
  'topUnknown',
  /** The figure that answers is an ordinal (第3个) and the question does not ask for a rank. */
  'ordinalFigure',
  /** Weight share of the question's own known concepts this candidate misses. */
  'missingKnown',
  /** The question's weightiest known noun is missing from the candidate. */
  'missingTop',
  /** A place the question names is neither in the candidate nor the document's region. */
  'missingPlace',
  /** A figure question and no clause of the sentence holds a figure of the kind asked beside what is asked. */
  'figureMiss',
  /** A who question and no person named beside its words. */
  'personMiss',
  /** A when question and no date or period in the sentence. */
  'dateMiss',
  /** A how question about a procedure the sentence does not speak of. */
  'procedureMiss',
  /** How close a concept of the question stands before the figure (1 = right before it). */
  'figureNear',
  /** Fused retrieval score of the passage, in [0, 1.25]. */
  'retrieval',
  /** BM25 score of the passage relative to the best passage's. */
  'bm25',
  /** Cosine similarity of the passage to the question. */
  'similarity',
  /** Longest run of the question's own characters in the sentence, up to 8, over 8. */
  'wording',
  /** +1 when the passage's period (review/plan) is the one the question's time asks, -1 when it is the other. */
  'period',
  /** +1 when the document's region is a place the question names, -1 when it is another, 0 without a place. */
  'docPlace',
  /** +1 when the document covers a year the question names, -1 when it does not, 0 without a year. */
  'docYear',
  /** The question has no topic word of its own (only vague or no concepts) and is not a follow-up. */
  'noTopic',
  /** 1 / (1 + rank of the passage in retrieval). */
  'passageRank',
  /** A list question and a sentence that enumerates (、 or 《》). */
  'listShape',
  /** The question is an elliptical follow-up. */
  'followUp',
  /** Sentence length over 200, at most 1. */
  'length',
  /** The question asks for a figure. */
  'asksFigure',
  /** Share of the question's own concepts found in the section heading. */
  'headingCover',
  /** +1 when the sentence has a figure of the unit family the question asks (多少万人, 多少人次: people; 多长: length), -1 when its figures are all of others, 0 otherwise. */
  'unitAgree',
  /** A figure question and a sentence with some figure of the kind asked (money, percent, any), wherever it stands. */
  'figureOfKind',
  /** The sentence holds some figure other than a date. */
  'hasFigure',
  /** The document has neither a region nor a year (an encyclopedia-like page, not a report). */
  'undatedDoc',
  /** Number of the question's own concepts, over 5, at most 1. */
  'concepts',
  /**
   * Kind of figure: +1 when the question asks for a target and the figure's clause states one
   * (or a result and it states a result), -1 when they differ, 0 when the question does not say.
   */
  'targetAgree',
  /** -1 when the figure's clause states a rank (第3个, 居全国首位) and the question does not ask for one, or asks for one and it does not; else 0. */
  'rankAgree',
  /** Weight share of the question's own nouns and names the candidate misses, whether the corpus knows them or not. */
  'missingNoun',
  /** Period of the figure: -1 when the clause's span (a year, 十四五, 年均, 累计) is not the one asked, else +1 (0 without a figure). */
  'spanAgree',
  /** +1 when the question asks for a change (新增了多少) or a level (一共有多少) and the figure is one, -1 when it is the other, 0 when either does not say. */
  'changeAgree',
  /** Share of the question's own concepts found, each weighed by its rarity in the corpus (a word every report uses tells little; one no report uses counts nothing). */
  'coverageCorpus',
  /** Corpus-rarity share of the question's own concepts this candidate misses. */
  'missingCorpus',
  /** A figure question: +1 when a rate is asked and the answering figure is one, -1 when a rate is asked and it is not or an amount is asked and it is a rate; 0 otherwise. */
  'percentAgree',
  /** A question in relative time (今年, 去年): +1 when the document is the newest report of its place, -1 when a newer one exists; 0 otherwise. */
  'relativeLatest',
  /** The question names a year and no target; the candidate is a report's plan for that year while another report of its place reviews that year (its results are there). */
  'planReviewed',
  /** A figure question naming one year: +1 when the answering figure is about that year (a year named before it in its sentence, else its section's period), -1 when about another, 0 otherwise. */
  'figureYearAgree',
  /** A figure question whose verb (取消了多少项: 取消, or a report word for it) the sentence does not say. */
  'actionMiss',
  /** A figure question whose thing asked (电话是多少: 电话) is not beside the answering figure. */
  'focusMiss',
  /** A later item of the sentence without a figure names the question better than the figure's clause (that item's figure is not given). */
  'itemElsewhere',
  /** Weight share of the question's own topic concepts the candidate's document names anywhere. */
  'docCover',
  /** A where question (在哪个城市举办) and no place named in the sentence beyond the question's own. */
  'placeMiss',
  /** A figure question: -1 when one of the question and the figure's clause speaks per person or household (人均, 每千人) and the other does not, +1 when both do, 0 when neither. */
  'perHeadAgree',
  /** A noun of the question right before another of its concepts (农村 in 农村居民人均可支配收入) is missing while that concept is found: the candidate speaks of the wider thing, not the one asked. */
  'qualifierMiss',
  /** The answering figure's clause names, before the figure, a place neither the question nor the document's region is (庆阳、酒泉经济总量… for a province's): the figure is that place's. */
  'otherPlace',
  /** A figure question naming neither a change (增长, 新增) nor a rate (X是多少 asks X's level): -1 when the answering figure is a change (增长5.8%, 新增30公里), +1 when a level reached (达到, 为), 0 when its words do not say. */
  'levelAgree',
  /** The question asks of one year that no report is about, only stated in some (从2020年的3.68万亿元): only a figure written with that year can answer. */
  'yearOnlyStated',
] as const;

export type FeatureName = (typeof FEATURES)[number];
export type FeatureVector = Float64Array;

const COL = Object.fromEntries(FEATURES.map((f, i) => [f, i])) as Record<FeatureName, number>;

/** What the clause answering a figure question leaves unsaid of the question. */
export interface ClauseGaps {
  /** The question's verb (取消了多少项: 取消, or a report word for it) is in the sentence or the list lead before it. */
  actionSaid: boolean;
  /** The thing asked about (电话是多少: 电话) is in the clause, the clause before it or the list lead. */
  focusSaid: boolean;
  /** A later item of the sentence without a figure names the question's concepts better (its figure is not given). */
  itemElsewhere: boolean;
}

export interface CandidateInput {
  analysis: QueryAnalysis;
  /** Sentence text (lower-cased Latin), its heading, passage and document title. */
  sentence: string;
  heading: string;
  context: string;
  title: string;
  doc: DocumentMeta;
  /** Coverage share over all concepts (match.ts coverage). */
  coverage: number;
  /** Passage period. */
  period: 'review' | 'plan' | 'other';
  /** The period the question's time points at in this document, or null. */
  wanted: 'review' | 'plan' | 'other' | null;
  /** Whether the sentence holds the kind of thing asked (figure, person, date, procedure). */
  typeOk: boolean;
  figureNear: number;
  /** Weight share of the question's topic concepts its document names anywhere (extractive.documentCover). */
  docCover: number;
  /** For a figure question, what the answering clause leaves unsaid (null without one). */
  clauseGaps: ClauseGaps | null;
  retrieval: { score: number; bm25: number; similarity: number; rank: number; bestBm25: number };
  wording: number;
  /** Figures of the sentence. */
  figures: readonly Figure[];
  /** The clause holding the figure that answers (the sentence when none was picked). */
  figureClause: string;
  /** The words of that clause before the figure ('' without one). */
  figureBefore: string;
  /** The figure that answers follows 第 (an ordinal, not a quantity). */
  ordinalFigure: boolean;
  /** The answering figure's clause names, before it, a place that is neither the question's nor the document's region (tokenize.namesPlace). */
  otherPlace: boolean;
  /** The document is the newest report of its place in the corpus (or has no place or year). */
  latest: boolean;
  /** The years some report of the document's place reviews (its results for them). */
  reviewedYears: ReadonlySet<number>;
  /** The year the answering figure is about (null without one or without a year). */
  figureYear: number | null;
  /** The question asks of one year that no report is about (ReportCoverage.covers); absent: false. */
  yearOnlyStated?: boolean;
  /** The period the answering figure covers, read in its sentence and paragraph (figure-kind.figureSpanIn). */
  figureSpan: FigureSpan;
}

const own = (a: QueryAnalysis) => a.concepts.filter((c) => c.source === 'question');

/** Best match of a concept in the candidate: sentence and title in full, heading and passage at half. */
function matchIn(c: Concept, x: CandidateInput): number {
  return Math.max(
    conceptMatch(c, x.sentence),
    conceptMatch(c, x.title),
    0.5 * conceptMatch(c, x.heading),
    0.5 * conceptMatch(c, x.context),
  );
}

function placeCovered(place: string, x: CandidateInput): boolean {
  if (x.doc.region && (x.doc.region.includes(place) || place.includes(x.doc.region))) return true;
  return x.sentence.includes(place) || x.title.includes(place) || x.heading.includes(place);
}

const weightiestOf = (cs: Concept[]) =>
  cs.reduce<Concept | null>((b, c) => (b === null || c.weight > b.weight ? c : b), null);

/** What the features need of the question alone, worked out once per question, not per candidate. */
interface QuestionSummary {
  mine: Concept[];
  /** Weight share of its own nouns and names no passage holds. */
  unknownNounShare: number;
  topUnknown: boolean;
  /** The weightiest known noun (missingTop), and the nouns and names (missingNoun). */
  topKnownNoun: Concept | null;
  nouns: Concept[];
  places: string[];
  asked: ReturnType<typeof askedKind>;
  asksRank: boolean;
  /** The question asks for a figure per person or household. */
  perHead: boolean;
  change: ReturnType<typeof askedChange>;
  /** The question names no change and no rate: it asks for a level. */
  plainLevel: boolean;
  /** Pairs of the question's concepts where the first qualifies the second (qualifiers). */
  qualified: Array<[Concept, Concept]>;
}

/**
 * Pairs of concepts where the first is a noun written right before the second (or before 的
 * and the second) in the question: 农村 + 居民人均可支配收入, 深圳的 + 研发投入强度. Verbs,
 * vague words, places (missingPlace speaks for them) and words the corpus does not hold are
 * no qualifiers.
 */
export function qualifiers(
  question: string,
  concepts: readonly Concept[],
): Array<[Concept, Concept]> {
  const at = concepts.map((c) => ({ c, i: question.indexOf(c.text) })).filter((x) => x.i >= 0);
  const pairs: Array<[Concept, Concept]> = [];
  for (const x of at) {
    const c = x.c;
    if (c.verbal || c.vague || c.place || c.scene || c.known === false) continue;
    const end = x.i + c.text.length;
    const next = at.find(
      (y) => y.c !== c && (y.i === end || (y.i === end + 1 && question[end] === '的')),
    );
    if (next) pairs.push([c, next.c]);
  }
  return pairs;
}

const summaries = new WeakMap<QueryAnalysis, QuestionSummary>();

function summary(a: QueryAnalysis): QuestionSummary {
  let s = summaries.get(a);
  if (s) return s;
  const mine = own(a);
  const total = mine.reduce((t, c) => t + c.weight, 0);
  const unknownNouns = mine
    .filter((c) => c.known === false && !c.verbal && !c.vague)
    .reduce((t, c) => t + c.weight, 0);
  const weightiest = weightiestOf(mine.filter((c) => !c.vague));
  s = {
    mine,
    unknownNounShare: total > 0 ? unknownNouns / total : 0,
    topUnknown: weightiest !== null && !weightiest.verbal && weightiest.known === false,
    // A phrase standing for units (多少亿) says how the figure is counted, not what it is of.
    topKnownNoun: weightiestOf(
      mine.filter((c) => c.known !== false && !c.verbal && !c.vague && !c.place && !c.unit),
    ),
    nouns: mine.filter((c) => !c.verbal && !c.vague && !c.place && !c.unit),
    // A place said only where the asker tells their situation (我老家在某地…) is not what is asked about.
    places: [...a.places, ...mine.filter((c) => c.place && !c.scene).map((c) => c.text)],
    asked: askedKind(a.question),
    asksRank: asksRank(a.question),
    // A follow-up (农村的呢) speaks per person when the question it continues does.
    perHead: perHead(a.standalone),
    change: askedChange(a.figureWording),
    plainLevel: plainLevelAsked(a.figureWording, a.unit === 'percent'),
    qualified: qualifiers(a.question, mine),
  };
  summaries.set(a, s);
  return s;
}

/** A rate: a percentage, per mille or percentage points. */
const isRate = (u: string) => u === '%' || u === '‰' || u.endsWith('百分点');

/** The feature vector of one candidate. */
export function candidateFeatures(x: CandidateInput): FeatureVector {
  const v = new Float64Array(FEATURES.length);
  const a = x.analysis;
  const q = summary(a);
  const mine = q.mine;
  v[COL.coverage] = x.coverage;

  let knownTotal = 0;
  let knownFound = 0;
  let ownTotal = 0;
  let unknown = 0;
  let ownKnownTotal = 0;
  let ownKnownMissing = 0;
  let headingHits = 0;
  let corpusTotal = 0;
  let corpusFound = 0;
  let corpusMissing = 0;
  for (const c of a.concepts) {
    const m = matchIn(c, x);
    if (c.source === 'question' && c.corpusWeight) {
      corpusTotal += c.corpusWeight;
      corpusFound += c.corpusWeight * m;
      if (m < 0.5) corpusMissing += c.corpusWeight;
    }
    const known = c.known !== false;
    if (known) {
      knownTotal += c.weight;
      knownFound += c.weight * m;
    }
    if (c.source !== 'question') continue;
    ownTotal += c.weight;
    if (!known) unknown += c.weight;
    else {
      ownKnownTotal += c.weight;
      if (m < 0.5) ownKnownMissing += c.weight;
    }
    if (conceptMatch(c, x.heading) >= 1) headingHits++;
  }
  v[COL.coverageKnown] = knownTotal > 0 ? knownFound / knownTotal : 0;
  v[COL.coverageCorpus] = corpusTotal > 0 ? corpusFound / corpusTotal : 0;
  v[COL.missingCorpus] = corpusTotal > 0 ? corpusMissing / corpusTotal : 0;
  v[COL.unknownShare] = ownTotal > 0 ? unknown / ownTotal : 0;
  v[COL.unknownNoun] = q.unknownNounShare;
  v[COL.topUnknown] = q.topUnknown ? 1 : 0;
  v[COL.ordinalFigure] = x.ordinalFigure && !q.asksRank ? 1 : 0;
  v[COL.otherPlace] = x.otherPlace ? 1 : 0;
  v[COL.missingKnown] = ownKnownTotal > 0 ? ownKnownMissing / ownKnownTotal : 0;
  const top = q.topKnownNoun;
  v[COL.missingTop] = top !== null && matchIn(top, x) < 0.5 ? 1 : 0;
  const places = q.places;
  v[COL.missingPlace] = places.some((p) => p !== '全国' && !placeCovered(p, x)) ? 1 : 0;
  if (!x.typeOk) {
    const miss = {
      quantity: COL.figureMiss,
      who: COL.personMiss,
      when: COL.dateMiss,
      how: COL.procedureMiss,
      where: COL.placeMiss,
    } as Partial<Record<string, number>>;
    const col = miss[a.type];
    if (col !== undefined) v[col] = 1;
  }
  v[COL.figureNear] = x.figureNear;
  const gaps = x.clauseGaps;
  v[COL.actionMiss] = gaps && !gaps.actionSaid ? 1 : 0;
  v[COL.focusMiss] = gaps && !gaps.focusSaid ? 1 : 0;
  v[COL.itemElsewhere] = gaps?.itemElsewhere ? 1 : 0;
  v[COL.docCover] = x.docCover;
  v[COL.retrieval] = x.retrieval.score;
  v[COL.bm25] = x.retrieval.bestBm25 > 0 ? x.retrieval.bm25 / x.retrieval.bestBm25 : 0;
  v[COL.similarity] = x.retrieval.similarity;
  v[COL.wording] = Math.min(8, x.wording) / 8;
  v[COL.period] = x.wanted === null || x.period === 'other' ? 0 : x.period === x.wanted ? 1 : -1;
  v[COL.docPlace] = docPlace(places, x.doc);
  v[COL.docYear] = docYear(a, x.doc);
  v[COL.noTopic] = !a.isFollowUp && mine.every((c) => c.vague) ? 1 : 0;
  v[COL.passageRank] = 1 / (1 + x.retrieval.rank);
  v[COL.listShape] = a.type === 'list' && /[、《]/.test(x.sentence) ? 1 : 0;
  v[COL.followUp] = a.isFollowUp ? 1 : 0;
  v[COL.length] = Math.min(1, x.sentence.length / 200);
  v[COL.asksFigure] = a.type === 'quantity' ? 1 : 0;
  v[COL.headingCover] = mine.length > 0 ? headingHits / mine.length : 0;
  const figures = x.figures.filter((f) => f.unit !== 'date');
  v[COL.hasFigure] = figures.length > 0 ? 1 : 0;
  v[COL.undatedDoc] = x.doc.region === null && x.doc.reportYear === null ? 1 : 0;
  if (a.unitFamily && figures.length > 0)
    v[COL.unitAgree] = figures.some((f) => familyAnswers(a.unitFamily!, unitFamily(f.unit)))
      ? 1
      : -1;
  if (a.type === 'quantity') {
    const percent = isRate;
    const kind = figures.filter((f) =>
      a.unit === 'percent' ? percent(f.unit) : a.unit === 'money' ? f.unit.endsWith('元') : true,
    );
    v[COL.figureOfKind] = kind.length > 0 ? 1 : 0;
  }
  v[COL.concepts] = Math.min(1, mine.length / 5);
  if (a.type === 'quantity' && figures.length > 0) {
    const { asked } = q;
    const kind = figureKind(x.figureClause, x.period);
    v[COL.targetAgree] = asked.target === null ? 0 : asked.target === (kind === 'target') ? 1 : -1;
    // A level reached (公共充电桩达到13万台) answers a question over five years with where they
    // ended: its span does not tell.
    const levelAtEnd =
      asked.span === 'five-year' &&
      x.figureSpan === 'year' &&
      figureChange(x.figureBefore) === 'level';
    v[COL.spanAgree] = levelAtEnd ? 0 : x.figureSpan === asked.span ? 1 : -1;
    v[COL.rankAgree] = q.asksRank === (kind === 'rank') ? 0 : -1;
    const stated = perHead(x.figureClause);
    v[COL.perHeadAgree] = q.perHead !== stated ? -1 : stated ? 1 : 0;
    const answering = figuresOf(x.figureClause).find((f) => f.unit !== 'date');
    if (answering) {
      const rate = isRate(answering.unit);
      if (a.unit === 'percent') v[COL.percentAgree] = rate ? 1 : -1;
      else if (rate && (a.unit === 'money' || a.unitFamily !== null || q.change === 'level'))
        v[COL.percentAgree] = -1;
    }
    const change = figureChange(x.figureBefore);
    if (q.change && change) v[COL.changeAgree] = q.change === change ? 1 : -1;
    if (q.plainLevel && change) v[COL.levelAgree] = change === 'level' ? 1 : -1;
  }
  if (a.time.relative !== null && a.time.years.length === 0)
    v[COL.relativeLatest] = x.latest ? 1 : -1;
  const year = a.time.years.length === 1 ? a.time.years[0]! : null;
  if (
    year !== null &&
    q.asked.target !== true &&
    x.period === 'plan' &&
    x.doc.planYear === year &&
    x.reviewedYears.has(year)
  )
    v[COL.planReviewed] = 1;
  if (year !== null && a.type === 'quantity' && x.figureYear !== null)
    v[COL.figureYearAgree] = x.figureYear === year ? 1 : -1;
  if (x.yearOnlyStated) v[COL.yearOnlyStated] = 1;
  const rareTotal = q.nouns.reduce((t, c) => t + c.weight, 0);
  const rareMissing = q.nouns.filter((c) => matchIn(c, x) < 0.5).reduce((t, c) => t + c.weight, 0);
  v[COL.missingNoun] = rareTotal > 0 ? rareMissing / rareTotal : 0;
  v[COL.qualifierMiss] = q.qualified.some(
    ([modifier, head]) => matchIn(head, x) >= 0.5 && matchIn(modifier, x) < 0.5,
  )
    ? 1
    : 0;
  return v;
}

function docPlace(places: string[], doc: DocumentMeta): number {
  if (places.length === 0 || !doc.region) return 0;
  const region = doc.region;
  const wanted = places.map((p) => (p === '国务院' ? '全国' : p));
  return wanted.some((p) => region.includes(p) || p.includes(region)) ? 1 : -1;
}

function docYear(a: QueryAnalysis, doc: DocumentMeta): number {
  if (a.time.years.length === 0) return 0;
  const years = [doc.reviewYear, doc.planYear, doc.reportYear].filter(
    (y): y is number => y !== null,
  );
  if (years.length === 0) return 0;
  return a.time.years.some((y) => years.includes(y)) ? 1 : -1;
}

/**
 * Whether a candidate can answer at all, whatever its probability: not when the main thing
 * the question names is in no report, nor when a place it asks about is neither in the
 * sentence nor its document's region; a figure question needs a figure of the kind asked
 * (money, a rate) in the sentence that is not an ordinal (第3个) unless a rank is asked, a who question a person named, a when
 * question a date, a where question (在哪个城市举办) a place, a question how to do a procedure
 * (怎么预约) a sentence speaking of that procedure. (The model weighs the finer evidence, such as the figure's kind and unit.)
 */
export function eligible(a: QueryAnalysis, v: FeatureVector): boolean {
  // Nothing the question asks about is in any report: no passage can answer it.
  if (v[COL.topUnknown] === 1) return false;
  // A place the question asks about that neither the sentence nor its document is about: what
  // it states belongs to another place.
  if (v[COL.missingPlace] === 1) return false;
  // A year no report is about: only a figure the sentence writes with that year is of it.
  if (v[COL.yearOnlyStated] === 1 && v[COL.figureYearAgree] !== 1) return false;
  // A figure question needs a figure of the kind asked (a sum of money, a rate; any figure when it does not say).
  if (a.type === 'quantity' && (v[COL.figureOfKind] === 0 || v[COL.ordinalFigure] === 1))
    return false;
  return (
    v[COL.personMiss] === 0 &&
    v[COL.dateMiss] === 0 &&
    v[COL.procedureMiss] === 0 &&
    v[COL.placeMiss] === 0
  );
}

/** A feature's value in a vector, by name. */
export function feature(v: FeatureVector, name: FeatureName): number {
  return v[COL[name]]!;
}
