/**
 * What kind of figure a clause states, and over what period, pure: a target (增长5%左右,
 * 力争…) or a result, a rank (居全国第3位), a share (占比55.1%); a single year, a five-year
 * span (十四五, 五年来), a yearly average (年均) or a running total (累计). Used at ingest for
 * facts and at answer time to match the kind and period a question asks for.
 */

import { alternation, readWordLists } from './word-lists.js';
import { unitFamily } from './units.js';

export type FigureKind = 'target' | 'actual' | 'rank' | 'share';
export type FigureSpan = 'year' | 'five-year' | 'average' | 'cumulative';

export const FIGURE_KIND_LISTS = [
  'target',
  'target-before-stop',
  'rank',
  'share',
  'average',
  'five-year',
  'cumulative',
  'one-year',
  'per-head',
  'per-head-after-average',
  'change',
  'level',
  'level-total',
  'threshold',
  'asks-rank',
  'asks-years',
  'recent-years',
  'span-end',
  'asks-target',
  'asks-actual',
  'asks-level',
  'asks-change',
  'respective-pair',
] as const;

/** The words of figure-kinds.txt (read once). */
export const FIGURE_KIND_WORDS = readWordLists('figure-kinds.txt', FIGURE_KIND_LISTS);
const W = FIGURE_KIND_WORDS;
const any = (...words: Array<readonly string[]>) => `(?:${alternation(words.flat())})`;

/** Words that make a figure a target or expectation, not a result. */
const TARGET = new RegExp(`${any(W.target)}|${any(W['target-before-stop'])}(?:[，,；;。]|$)`);
/** Words of a rank. */
const RANK = new RegExp(`第[一二三四五六七八九十\\d]+位?|${any(W.rank)}`);
/** Words of a share. */
const SHARE = new RegExp(`${any(W.share)}|占[^，,；;。]{0,12}(?:比|%)`);
const AVERAGE = new RegExp(any(W.average));
const FIVE_YEAR = new RegExp(any(W['five-year']));
const CUMULATIVE = new RegExp(any(W.cumulative));
const ONE_YEAR = new RegExp(any(W['one-year']));

/** The kind of the figure a clause states; `period` is its passage's (a plan section states targets). */
export function figureKind(
  clause: string,
  period: 'review' | 'plan' | 'other' = 'other',
): FigureKind {
  if (RANK.test(clause)) return 'rank';
  if (TARGET.test(clause) || period === 'plan') return 'target';
  if (SHARE.test(clause)) return 'share';
  return 'actual';
}

/** The period a clause's figure covers. */
export function figureSpan(clause: string): FigureSpan {
  if (AVERAGE.test(clause)) return 'average';
  if (FIVE_YEAR.test(clause)) return 'five-year';
  if (CUMULATIVE.test(clause)) return 'cumulative';
  return 'year';
}

const YEAR_NAMED = /(?:19|20)\d{2}\s*年(?!代)/;

/** The opening words of the paragraph holding offset `at` of a text (up to its first comma or stop, at most 16 characters). */
export function paragraphOpening(text: string, at: number): string {
  const start = text.lastIndexOf('\n', at - 1) + 1;
  const head = text.slice(start, Math.min(text.length, start + 16));
  const stop = head.search(/[，,。；;：:\n]/);
  return stop >= 0 ? head.slice(0, stop) : head;
}

/**
 * The period a figure covers, read in its context: its clause's own words; when they name
 * neither a span nor a year and the sentence before the clause (`lead`) names no year, the
 * opening of its paragraph (「这五年，…新增就业452万人」 speaks of five years throughout), then
 * its section's headings, innermost first (`headings`, outermost first),
 * unless the figure is a level reached (`before`, the words before it: 提升至82.5岁 is where
 * the five years ended, the last year's level). Span words earlier in the sentence are not
 * read: 每年… or 累计… in one clause says nothing of the next.
 */
export function figureSpanIn(
  clause: string,
  lead: string,
  opening: string,
  before = '',
  headings: readonly string[] = [],
): FigureSpan {
  const own = figureSpan(clause);
  if (own !== 'year' || YEAR_NAMED.test(clause) || YEAR_NAMED.test(lead)) return own;
  if (figureChange(before) === 'level') return 'year';
  // An opening naming a year or one year of the report (今年是“十五五”起步之年) is about that year;
  // an opening naming neither leaves it to the nearest heading that names one or the other
  // (「二、“十五五”时期主要目标任务」: its paragraphs are the five years' goals).
  for (const text of [opening, ...[...headings].reverse()]) {
    if (YEAR_NAMED.test(text) || ONE_YEAR.test(text)) return 'year';
    if (FIVE_YEAR.test(text)) return 'five-year';
  }
  return 'year';
}

const PER_HEAD = new RegExp(
  `${any(W['per-head'])}|平均[^，,。；;？?]{0,4}?${any(W['per-head-after-average'])}`,
);

/** Whether a clause (or a question) speaks of a figure per person or household (人均, 每千人), not a total. */
export function perHead(text: string): boolean {
  return PER_HEAD.test(text);
}

/** Words of a question asking for a rank. */
const ASKS_RANK = new RegExp(any(W['asks-rank']));

/** Whether a question asks for a rank (第几, 排名). */
export function asksRank(question: string): boolean {
  return ASKS_RANK.test(question);
}

const ASKS_YEARS = new RegExp(any(W['asks-years']));
const RECENT_YEARS = new RegExp(any(W['recent-years']), 'g');

/** Whether a question asks how many years (年限, 几年, 多久); 这几年 says when, not how long. */
export function asksYears(question: string): boolean {
  return ASKS_YEARS.test(question.replace(RECENT_YEARS, ' '));
}

const ASKS_TARGET = new RegExp(any(W['asks-target']));
const ASKS_ACTUAL = new RegExp(any(W['asks-actual']));

const SPAN_END = new RegExp(any(W['span-end']));

/**
 * What a question asks for: a target or a result (null when it does not say), and over what
 * span. A five-year span asked at its end (十四五末, 这五年提高到多少) asks the level its
 * last year reached, a one-year figure.
 */
export function askedKind(question: string): { target: boolean | null; span: FigureSpan } {
  const target = ASKS_TARGET.test(question) ? true : ASKS_ACTUAL.test(question) ? false : null;
  const span = figureSpan(question);
  return { target, span: span === 'five-year' && SPAN_END.test(question) ? 'year' : span };
}

/** Whether a figure is a change over a period (新增30公里) or a level reached (达到909公里). */
export type FigureChange = 'change' | 'level';

const CHANGE_WORDS: ReadonlySet<string> = new Set(W.change);

/** Words that name two things in one (城乡: 城镇 and 农村), each with the two in order. */
const PAIRS: ReadonlyArray<readonly [string, readonly string[]]> = W['respective-pair'].map((e) => {
  const [whole, parts] = e.split('=');
  return [whole!, parts!.split('/')] as const;
});

/**
 * The two things a word before 分别 names in one (「城乡居民人均可支配收入分别增长4.4%、
 * 5.6%」: 城镇, 农村), in order; null when the text holds no such word.
 */
export function pairItems(text: string): string[] | null {
  for (const [whole, parts] of PAIRS) if (text.includes(whole)) return [...parts];
  return null;
}

/** Whether a word is one of the report's words of a change (增长, 提高, 新增). */
export function isChangeWord(word: string): boolean {
  return CHANGE_WORDS.has(word);
}

const CHANGE_NAMED = new RegExp(any(W.change));

/** Whether a text names a change anywhere (增长, 新增, 下降…), not only before a figure. */
export function namesChange(text: string): boolean {
  return CHANGE_NAMED.test(text);
}

/**
 * Whether a question asks a level without saying so: a plain 「X是多少」, no change word, no
 * rate asked, and no target (a report's targets are levels or changes alike: 增长5%左右).
 */
export function plainLevelAsked(question: string, asksRate: boolean): boolean {
  return (
    !asksRate &&
    askedChange(question) === null &&
    !namesChange(question) &&
    !ASKS_TARGET.test(question)
  );
}

/** The change or level a question asks, a plain 「X是多少」 asking X's level; null when it asks neither or a rate (增速, 增长了多少). */
export function changeOrLevelAsked(question: string, asksRate: boolean): FigureChange | null {
  return askedChange(question) ?? (plainLevelAsked(question, asksRate) ? 'level' : null);
}

/** Words before a figure that make it a change. */
const CHANGE = new RegExp(`${any(W.change)}[^，,；;。、]{0,10}$`);
/** Words before a figure that make it a level. */
const LEVEL = new RegExp(`${any(W.level, W.cumulative, W['level-total'])}[^，,；;。、]{0,10}$`);

/** A figure given as a round mark passed (突破2万亿元, 迈上14万亿元台阶), not as the exact level. */
const THRESHOLD = new RegExp(`${any(W.threshold)}了?$`);
/** A level stated exactly: a level word that is no mark passed (达到23562亿元, 为5.2%). */
const EXACT = new RegExp(`${any(W.level)}$`);

/**
 * Of a clause's figures (in text order), the exact level given right after a round mark
 * passed (「突破2万亿元、达到23562亿元」: 23562亿元), for the figure at index `i`; `i` itself
 * otherwise.
 */
export function exactAfterThreshold(
  clause: string,
  figures: ReadonlyArray<{ unit: string; start: number }>,
  i: number,
): number {
  const f = figures[i];
  const next = figures[i + 1];
  if (!f || !next || !THRESHOLD.test(clause.slice(0, f.start))) return i;
  const family = (u: string) => unitFamily(u) ?? u;
  if (family(next.unit) !== family(f.unit)) return i;
  const lead = clause.slice(Math.max(0, next.start - 4), next.start);
  return EXACT.test(lead) && !THRESHOLD.test(lead) ? i + 1 : i;
}

/** What the words right before a figure (in its clause) make of it, or null when they do not say. */
export function figureChange(before: string): FigureChange | null {
  const lead = before.slice(-16);
  const level = LEVEL.exec(lead);
  const change = CHANGE.exec(lead);
  if (level && (!change || level.index >= change.index)) return 'level';
  return change ? 'change' : null;
}

const ASKS_LEVEL = new RegExp(any(W['asks-level'], W['level-total']));
const ASKS_CHANGE = new RegExp(any(W['asks-change']));

/**
 * Whether a question asks for a change (新增了多少, 增加了多少) or a level (一共, 总共, 累计,
 * 现在有多少), or does not say. A change word says what is counted, a level word only that
 * all of it is: 「一共新增了多少」 asks the year's addition, in full.
 */
export function askedChange(question: string): FigureChange | null {
  if (ASKS_CHANGE.test(question)) return 'change';
  if (ASKS_LEVEL.test(question)) return 'level';
  return null;
}
