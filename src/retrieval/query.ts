/**
 * Query understanding, pure: question type, the concepts a question asks about (with
 * their synonym forms), relative and explicit dates, questions about the document
 * itself, and elliptical follow-ups resolved against the previous questions.
 */
import type { Lexicon } from '../text/lexicon.js';
import { generalIdf } from '../text/idf.js';
import { MAINLAND_PROVINCES, NOT_PLACE_NAMES, SHORT_NAMES } from '../text/places.js';
import { intentOf, type Intent } from '../text/intents.js';
import { LEADING_UNIT } from '../text/figures.js';
import { askedFamily, unitFamily, unitTable } from '../text/units.js';
import { askedKind, isChangeWord } from '../text/figure-kind.js';
import {
  cutWords,
  isNominal,
  segments,
  taggedContent,
  taggedWords,
  unknownWords,
} from '../text/tokenize.js';
import { alternation, readWordLists } from '../text/word-lists.js';

export type QuestionType =
  'quantity' | 'who' | 'when' | 'where' | 'list' | 'yesno' | 'what' | 'how' | 'other';
/**
 * A question about the document itself: its title, publication date, source, year, who
 * delivered it (speaker) or when it was delivered (delivered).
 */
export type MetaQuestion = 'title' | 'date' | 'source' | 'year' | 'speaker' | 'delivered' | null;

export interface Concept {
  /** The word or phrase as the user wrote it. */
  text: string;
  /** Forms to look for in the reports: the text itself and its synonyms. */
  forms: string[];
  /** Importance (general-Chinese IDF times the source weight). */
  weight: number;
  source: 'question' | 'history';
  /** A place name (深圳, 浦东): an answer must be about it, not merely near the topic. */
  place?: true;
  /** A one-character noun, taken only for want of anything else (「县」): too vague to answer on, but named in the refusal. */
  vague?: true;
  /** A verb or the like (增长, 办理): says what happened, not to what. */
  verbal?: true;
  /** Said only where the asker tells their situation (sceneClauses): weighs less. */
  scene?: true;
  /** A phrase that stands only for units (几个亿, 多少亿 → 亿元): says how the figure is counted, not what it is of. */
  unit?: true;
  /** False when no passage of the corpus holds any form of it (set by the engine from the keyword index). */
  known?: boolean;
  /** How rare it is in the corpus (keyword IDF of its rarest form the corpus holds; 0 when none): set by the engine. */
  corpusWeight?: number;
}

export interface TimeScope {
  /** Explicit years named in the question (2021年, 二〇二一年 is not handled). */
  years: number[];
  relative: 'this' | 'last' | 'before-last' | 'next' | null;
}

export interface QueryAnalysis {
  question: string;
  /** The question used for retrieval (the question, or the follow-up resolved). */
  standalone: string;
  /**
   * The standalone question with its everyday words for a change (涨了, 多出来) written as the
   * report's word for it (增长, 增加): whether a change or a level is asked is read from this.
   */
  figureWording: string;
  isFollowUp: boolean;
  type: QuestionType;
  concepts: Concept[];
  /** Weighted phrases for retrieval: the question's words, synonyms and history. */
  phrases: Map<string, number>;
  time: TimeScope;
  meta: MetaQuestion;
  /** Places named in the question (provinces, cities). */
  places: string[];
  /** For 「…X是多少」 questions, the characters naming X (must appear beside the figure). */
  focus: string | null;
  /** X and the report's words for it (「案子」: 案件), any of which may stand beside the figure. */
  focusForms: string[];
  /**
   * For 「…取消了多少项」, the action counted and the report's words for it: the figure's
   * sentence must say it (17000余项承诺事项 were not 取消). For 「怎么申请…」, the procedure
   * asked about. Empty when the verb is generic.
   */
  actionForms: string[];
  /** The kind of figure asked for, when the question says (money, percent). */
  unit: 'money' | 'percent' | null;
  /** The unit written after 多少/几 (「多少万人」: 人, 「几个」: 个), without its magnitude; null when none. */
  unitWord: string | null;
  /** The family of figure asked for (units.txt): of the unit written, or of the wording (多长 → 长度); null when the question does not say. */
  unitFamily: string | null;
  /** Small talk (a greeting, thanks, a request for a person or a phone line) instead of a question about the reports. */
  intent: Intent | null;
}

export const QUESTION_LISTS = [
  'quantity',
  'quantity-measure',
  'quantity-end',
  'who',
  'when',
  'where',
  'list',
  'how',
  'what',
  'yesno',
  'yesno-end',
  'procedure',
  'doc-ref',
  'meta-title',
  'meta-date',
  'meta-date-verb',
  'meta-delivered-verb',
  'money',
  'money-noun',
  'percent',
  'time-before-last',
  'time-last',
  'time-next',
  'time-this',
  'year-base',
  'target-topic',
  'compare-frame',
  'frame-glue',
  'follow-up-start',
  'follow-up-end',
  'refers-back',
  'bare-question',
  'new-topic',
  'contrast',
  'nation',
  'nation-compared-after',
  'nation-compared-before',
  'asking',
  'scene-self',
] as const;
export const GENERIC_LISTS = ['generic', 'magnitude', 'action', 'not-focus-end'] as const;

/** The words of question-types.txt and generic-words.txt (read once). */
export const QUESTION_WORDS = readWordLists('question-types.txt', QUESTION_LISTS);
export const GENERIC_WORDS = readWordLists('generic-words.txt', GENERIC_LISTS);
const Q = QUESTION_WORDS;
/** A non-capturing group matching any of the words. */
const any = (...words: Array<readonly string[]>) => `(?:${alternation(words.flat())})`;
/** Any of the words. */
const anyOf = (...words: Array<readonly string[]>) => new RegExp(any(...words));

/**
 * Hotline shorthand (「辽宁 2025 城镇新增就业」: a year and a measure, no question word) asks
 * for the figure: the type it would otherwise have ('other') becomes 'quantity'.
 */
export function shorthandFigure(
  type: QuestionType,
  question: string,
  time: TimeScope,
): QuestionType {
  return type === 'other' && time.years.length > 0 && !/呢[?？]*$/.test(question.trim())
    ? 'quantity'
    : type;
}

/** Question types in the order they are tried: the first whose words the question holds. */
const TYPE_PATTERNS: Array<[QuestionType, RegExp]> = [
  [
    'quantity',
    new RegExp(
      `${any(Q.quantity)}|${any(Q['quantity-measure'])}(?:是|为|有|达到?)?(?:多少|多高|几)|${any(Q['quantity-end'])}[?？]?$`,
    ),
  ],
  ['who', anyOf(Q.who)],
  ['when', anyOf(Q.when)],
  ['where', anyOf(Q.where)],
  ['list', anyOf(Q.list)],
  ['how', anyOf(Q.how)],
  ['what', anyOf(Q.what)],
  ['yesno', new RegExp(`${any(Q.yesno)}|${any(Q['yesno-end'])}[?？]?$`)],
];

export function questionType(question: string): QuestionType {
  for (const [type, re] of TYPE_PATTERNS) if (re.test(question)) return type;
  return 'other';
}

// A question about the document itself names it (报告, 这份文件…); 「这款游戏什么时候发布」 does not.
const DOC_REF = anyOf(Q['doc-ref']);
const META_TITLE = anyOf(Q['meta-title']);
const META_DATE = anyOf(Q['meta-date']);
const META_DATE_VERB = anyOf(Q['meta-date-verb']);
const META_YEAR =
  /(?:哪一?年|哪个年度|什么年度|几几年)的?(?:报告|文件)?[?？吗呢]*$|(?:年份|年度)是/;
const META_SOURCE =
  /来源|(?:谁|哪个部门|哪个单位|哪个机关|什么部门)(?:发布|公布|发的|出的|印发|写的)|发布(?:单位|机构|机关|部门)|发文机关/;

/** Who delivered it: 谁 or 哪位 with 作/做/宣读, 报告人, 由谁. */
const META_SPEAKER =
  /(?:谁|哪位|哪一位|哪个(?:领导|人))[^，,。？?]{0,6}?(?:作|做|宣读|讲|念)的?|作(?:的|报告的)(?:人|是谁)|报告人|由谁/;
/** When it was delivered: a date word (哪天, 什么时候) with 作的, 作报告, 在…会上. */
const META_DELIVERED_VERB = anyOf(Q['meta-delivered-verb']);

export function metaQuestion(question: string): MetaQuestion {
  if (!DOC_REF.test(question)) return null;
  if (META_SPEAKER.test(question)) return 'speaker';
  if (META_DATE.test(question) && META_DELIVERED_VERB.test(question)) return 'delivered';
  if (META_SOURCE.test(question)) return 'source';
  if (META_DATE.test(question) && META_DATE_VERB.test(question)) return 'date';
  if (META_TITLE.test(question)) return 'title';
  if (META_YEAR.test(question)) return 'year';
  return null;
}

const PLACES: string[] = [...MAINLAND_PROVINCES, '国务院'];

/**
 * The nation as a place: a question about 全国/我国 asks the national report. Not when the
 * nation is a benchmark: a ranking or first (全国首家, 全国第一, 在全国排…), a comparison
 * (比全国, 高于全国, 占全国) or an average (全国平均, 全国水平).
 */
const NATIONWIDE = new RegExp(
  `(?<!${alternation(Q['nation-compared-after'])})${any(Q.nation)}(?!${alternation(Q['nation-compared-before'])})`,
);

/** A short name standing as a word of its own: at the start or after a space, before a space or a digit (津 2025 新增就业). */
const SHORT_NAME = new RegExp(`(?:^|\\s)(${[...SHORT_NAMES.keys()].join('|')})(?=\\s|\\d)`, 'g');

/** A degree adverb and an adjective (太旧, 太冷) that the segmenter may tag as a small place: no place. */
export function degreeOf(word: string): boolean {
  if (word.length !== 2 || !'太很挺真超特'.includes(word[0]!)) return false;
  return taggedWords(word[1]!)[0]?.tag.startsWith('a') ?? false;
}

export function placesIn(question: string): string[] {
  const places = PLACES.filter((p) => question.includes(p));
  const short = [...question.matchAll(SHORT_NAME)].map((m) => m[1]!);
  // Questions reach the engine with the spaces between Chinese characters taken out
  // (粤 去年GDP → 粤去年GDP): a short name the segmenter leaves as the first word of its own,
  // unless another single character follows it: then it is the first half of a word the
  // segmenter does not know (黑边天竺鲷 cut 黑|边|天竺), not a place.
  const [first, next] = cutWords(question.slice(0, 8));
  if (first !== undefined && SHORT_NAMES.has(first) && !(next && /^\p{Script=Han}$/u.test(next)))
    short.push(first);
  for (const name of short) {
    const place = SHORT_NAMES.get(name)!;
    if (!places.includes(place)) places.push(place);
  }
  if (places.length === 0 && NATIONWIDE.test(question)) places.push('全国');
  return places;
}

/** Words that only say where/when/what kind of text, not what is asked about. */
const GENERIC = new Set([
  ...GENERIC_WORDS.generic,
  ...PLACES,
  ...PLACES.map((p) => `${p}省`),
  ...PLACES.map((p) => `${p}市`),
]);

/**
 * Weight of a lexicon synonym in retrieval relative to the user's own word: enough to find
 * the report's wording for 「打官司」, not so much that common report words swamp a question
 * about something else.
 */
const SYNONYM_WEIGHT = 0.4;

/** Weight of a word from the conversation relative to one of the question itself (default of `historyWeight`). */
export const HISTORY_WEIGHT = 0.45;

/**
 * Report words a concept may stand for, found after the analysis (linked by their
 * characters in order): added to its forms and to retrieval, weighted as its synonyms are.
 */
export function addForms(analysis: QueryAnalysis, concept: Concept, forms: string[]): void {
  const fresh = forms.filter((f) => !concept.forms.includes(f));
  if (fresh.length === 0) return;
  concept.forms.push(...fresh);
  const w = (concept.source === 'question' ? 1 : HISTORY_WEIGHT) * SYNONYM_WEIGHT;
  for (const f of fresh) analysis.phrases.set(f, Math.max(analysis.phrases.get(f) ?? 0, w));
}

/** Weight of a verb, adverb or adjective relative to a noun. */
const VERBAL_WEIGHT = 0.4;

const FOLLOW_UP_START = new RegExp(`^${any(Q['follow-up-start'])}`);
const FOLLOW_UP_END = new RegExp(`${any(Q['follow-up-end'])}[?？!！。]*$`);

/** A question pointing back at what was said: 它, 其, 这个, 第二条, 具体…, 分别…. */
const REFERS_BACK = new RegExp(
  `^(?:${alternation(Q['refers-back'])}|第[一二三四五六七八九十\\d]+[条项个点])`,
);

/**
 * Whether a question leans on the conversation (inherits its topic, place and year) or
 * starts a new topic. Elliptical: it opens or closes like a follow-up (那…, …呢), points
 * back (它, 第二条, 具体…), or names no thing of its own (only verbs or vague words, or a
 * bare question word). A question naming a topic of its own is complete, however short
 * (「省长是谁」 after questions about budgets is about the governor).
 */
/** Words that open a new topic: 「换个问题，…」, 「另外问一下…」. */
const NEW_TOPIC = new RegExp(`^${any(Q['new-topic'])}`);
const BARE_QUESTION = anyOf(Q['bare-question']);

/** Words of time, plan and comparison only (今年计划, 比全国高): they frame a question, they are not its topic. */
const FRAME_RUN = new RegExp(
  `^(?:${alternation([
    ...Q['time-this'],
    ...Q['time-last'],
    ...Q['time-next'],
    ...Q['time-before-last'],
    ...Q['target-topic'],
    ...Q['compare-frame'],
    ...Q['frame-glue'],
  ])})+$`,
);
export const isFrameWord = (word: string): boolean => FRAME_RUN.test(word);

export function isElliptical(question: string, concepts: Concept[], hasHistory: boolean): boolean {
  if (!hasHistory || NEW_TOPIC.test(question)) return false;
  if (FOLLOW_UP_START.test(question) || FOLLOW_UP_END.test(question) || REFERS_BACK.test(question))
    return true;
  // Only verbs (增长, 完成) or words of time and plan (今年计划), no thing of its own: it is
  // about the last topic.
  if (concepts.length > 0 && concepts.every((c) => c.verbal || c.vague || isFrameWord(c.text)))
    return true;
  return concepts.length === 0 && BARE_QUESTION.test(question);
}

/**
 * A year (2025年, 到2025年, 截至2025年底), not either end of a range (2021年至2025年, 2021年至今).
 */
const YEAR =
  /(?<!\d)(?<!\d\s*年?\s*[-—~～至到]\s*)((?:19|20)\d{2})\s*年(?!度?\s*[-—~～至到]\s*(?:\d|今))/g;
/**
 * A year written bare, as hotline staff type it (a place, four digits, then the measure):
 * four digits 1990–2039 that are not part of a longer number, a range, a decimal or a
 * quantity with its unit (「2024个」, 「2030万元」).
 */
const BARE_YEAR =
  /(?<![\d.])(?<!\d\s*年?\s*[-—~～至到]\s*)((?:199|20[0-3])\d)(?![\d.%％年]|\s*[-—~～至到]|[万亿千百个件项次位家所名条部元人户座台辆吨亩套张公里米倍])/g;
const TIME_BEFORE_LAST = anyOf(Q['time-before-last']);
const TIME_LAST = anyOf(Q['time-last']);
const TIME_NEXT = anyOf(Q['time-next']);
const TIME_THIS = anyOf(Q['time-this']);
/** Words right before a year that make it the base of a comparison (比2020年下降), not the year asked. */
const YEAR_BASE = new RegExp(`(?:${alternation(Q['year-base'])})\\s*$`);
export function timeScope(question: string): TimeScope {
  const years = [...question.matchAll(YEAR), ...question.matchAll(BARE_YEAR)]
    .filter((m) => !YEAR_BASE.test(question.slice(Math.max(0, m.index - 4), m.index)))
    .sort((a, b) => a.index - b.index)
    .map((m) => Number(m[1]));
  let relative: TimeScope['relative'] = null;
  if (TIME_BEFORE_LAST.test(question)) relative = 'before-last';
  else if (TIME_LAST.test(question)) relative = 'last';
  else if (TIME_NEXT.test(question)) relative = 'next';
  else if (TIME_THIS.test(question)) relative = 'this';
  return { years, relative };
}

/** Province names, longest first, to set them apart before segmenting (「广东省长」 is 广东 + 省长). */
const PLACE_RUN = new RegExp(
  `(${[...MAINLAND_PROVINCES].sort((a, b) => b.length - a.length).join('|')})`,
  'g',
);

/** Relative years, set apart before segmenting (「想问下去年」 is 想问下 + 去年, not 下去 + 年). */
const RELATIVE_YEAR = new RegExp(
  `(${alternation([...Q['time-before-last'], ...Q['time-last'], ...Q['time-next']].filter((w) => w.endsWith('年')))})`,
  'g',
);

/** Concepts of one question: lexicon phrases first (as units), then remaining content words. */
export function conceptsOf(
  question: string,
  lexicon: Lexicon,
  source: Concept['source'],
  scale = 1,
): Concept[] {
  // Long digit runs (ID card, phone and account numbers) are personal data, never a topic.
  // 多少 asks; it is no word of the topic (「到多少了」 holds no 「少了」).
  const typed = question
    .toLowerCase()
    .replace(/\d{7,}[\dx]?/g, ' ')
    .replace(PLACE_RUN, '$1 ')
    .replace(RELATIVE_YEAR, ' $1 ');
  // Everyday phrases that say 多少 themselves (挣多少钱) are found first; then 多少 is no word.
  const asking = typed.includes('多少')
    ? lexicon.find(typed).filter((hit) => hit.phrase.includes('多少'))
    : [];
  let lower = typed;
  for (const hit of asking) lower = lower.replace(hit.phrase, ' ');
  lower = lower.replace(/多少/g, '  ');
  const concepts: Concept[] = [];
  let rest = lower;
  for (const hit of [...asking, ...lexicon.find(lower)]) {
    rest = rest.replace(hit.phrase, ' ');
    if (GENERIC.has(hit.phrase)) continue;
    const concept: Concept = {
      text: hit.phrase,
      forms: [hit.phrase, ...hit.official],
      weight: generalIdf(hit.phrase) * scale,
      source,
    };
    const tags = taggedWords(hit.phrase);
    if (tags.length === 1 && !isNominal(tags[0]!.tag)) concept.verbal = true; // 办理: a verb with report words
    if (hit.official.length > 0 && hit.official.every((o) => unitFamily(o) !== null))
      concept.unit = true;
    if (hit.official.length > 0 && hit.official.every(isChangeWord)) {
      // Everyday words for a change (多了, 涨): a verb, weighing no more than the report's verbs for it.
      concept.verbal = true;
      concept.weight = Math.min(
        concept.weight,
        Math.max(...hit.official.map((w) => generalIdf(w))) * scale,
      );
    }
    concepts.push(concept);
  }
  // One segmentation of what the lexicon left, read three ways below.
  const tagged = taggedWords(rest.replace(YEAR, ' '));
  const content = taggedContent(tagged);
  for (const { word, tag } of content) {
    if (GENERIC.has(word) || concepts.some((c) => c.text === word)) continue;
    if (word.length === 1 && !/[a-z]/.test(word)) continue;
    if (
      tag.startsWith('m') &&
      /^[零〇一二两三四五六七八九十百千万亿几]+[个位项件名家种条次]?$/.test(word)
    )
      continue; // 「哪两个公司」
    const official = lexicon.officialFor(word);
    // Verbs, adverbs and the like carry less of the topic than the things a question names.
    const role = isNominal(tag) || official.length > 0 ? 1 : VERBAL_WEIGHT;
    const concept: Concept = {
      text: word,
      forms: [word, ...official],
      weight: generalIdf(word) * scale * role,
      source,
    };
    if (tag === 'ns' && official.length === 0 && !NOT_PLACE_NAMES.has(word) && !degreeOf(word))
      concept.place = true;
    // A verb stays a verb for what the question names, even when it weighs as much as a noun
    // because the reports have their own words for it (办理 → 受理).
    if (!isNominal(tag)) concept.verbal = true;
    concepts.push(concept);
  }
  for (const { word, verbal } of unknownWords(tagged)) {
    if (GENERIC.has(word) || concepts.some((c) => c.text === word)) continue;
    if (verbal) {
      // Verbs run together (跑到): as rare as its rarest verb, and a verb, not a name.
      const weight = Math.max(...[...word].map((ch) => generalIdf(ch))) * scale * VERBAL_WEIGHT;
      concepts.push({ text: word, forms: [word], weight, source, verbal: true });
    } else concepts.push({ text: word, forms: [word], weight: generalIdf(word) * scale, source });
  }
  if (concepts.length === 0) {
    // Nothing longer to go on: a one-character noun (县, 市) is the topic.
    for (const { word, tag } of content) {
      if (
        word.length === 1 &&
        /^(n|zg|s|f)/.test(tag) &&
        !GENERIC.has(word) &&
        !concepts.some((c) => c.text === word)
      ) {
        concepts.push({
          text: word,
          forms: [word, ...lexicon.officialFor(word)],
          weight: generalIdf(word) * scale,
          source,
          vague: true,
        });
      }
    }
  }
  return concepts;
}

const FOCUS =
  /([A-Za-z][A-Za-z0-9.]*|[\u4e00-\u9fff]{2})(?:的)?(?:又|还|也|都|就|到底|究竟)?(?:是|有|为|达到?|共|一共|总共|总计|大概|大约)?多少/;
/** Verbs that say how a figure stands (突破, 增长), not what was done to make it. */
const MAGNITUDE_VERBS = new Set(GENERIC_WORDS.magnitude);
/** Common verbs of what was done (办理多少): never a figure's label. */
const ACTION_VERBS = new Set(GENERIC_WORDS.action);
const NOT_FOCUS = new RegExp(`${any(GENERIC_WORDS['not-focus-end'])}$`);

/**
 * Whether the word of the question ending at `end` is a verb or preposition of one character
 * (能拿多少, 还要改多少, 补贴给多少户) or a directional verb (多出来多少): what was done, not a thing
 * a figure stands beside.
 */
function endsInVerb(question: string, end: number): boolean {
  let at = 0;
  for (const w of taggedWords(question)) {
    at += w.word.length;
    if (at < end) continue;
    if (at > end) return false;
    if (w.word.length === 1) return /^[vp]/.test(w.tag);
    return /^v/.test(w.tag) && /[来去]$/.test(w.word);
  }
  return false;
}

/** 「电话是多少」→「电话」; none for 「办理了多少件」 (a verb phrase asks about what follows). */
export function focusOf(question: string): string | null {
  const q = question.replace(/[“”"《》]/g, '');
  const m = q.match(FOCUS);
  if (!m || NOT_FOCUS.test(m[1]!) || GENERIC.has(m[1]!)) return null;
  if (endsInVerb(q, m.index! + m[1]!.length)) return null;
  // 「突破多少」, 「办理多少」: a verb says what happened to the figure, not what it is.
  if (MAGNITUDE_VERBS.has(m[1]!) || ACTION_VERBS.has(m[1]!)) return null;
  // 「问法律问题的有多少人次」: X的有多少 counts the people or cases X describes, not X.
  if (q.startsWith('的有', m.index! + m[1]!.length)) return null;
  // 「…有多少枚背鳍硬棘」: the thing counted follows 多少 (after a measure word), so the words
  // before it are not what the figure must stand beside; 「多少平方公里」 is only a unit.
  const after = q.slice(m.index! + m[0].length).replace(/[?？!！。\s呢啊呀吗]+$/, '');
  const counted = after.replace(LEADING_UNIT, '').replace(/^[个枚件位项名家条座部种只头次]/, '');
  if (/^[\u4e00-\u9fff]{2,}/.test(counted)) return null;
  return m[1]!.toLowerCase();
}

/** 「取消了多少项」→ [取消, …its report words]; none for generic verbs (办了, 有) or magnitudes (突破). */
export function actionOf(question: string, lexicon: Lexicon): string[] {
  const words = taggedWords(question);
  const at = words.findIndex(
    (w) => w.word === '多少' || w.word === '几' || /^几[个件项次位]$/.test(w.word),
  );
  let i = at - 1;
  while (i >= 0 && (words[i]!.word === '了' || words[i]!.word === '过')) i--;
  const verb = i >= 0 ? words[i]! : null;
  if (
    !verb ||
    verb.word.length < 2 ||
    !/^v/.test(verb.tag) ||
    GENERIC.has(verb.word) ||
    MAGNITUDE_VERBS.has(verb.word)
  )
    return [];
  // A report word the question already names as its topic is no evidence of the action
  // (a verb whose report word is the question's own topic word).
  return [verb.word, ...lexicon.officialFor(verb.word).filter((f) => !question.includes(f))];
}

/** Service procedures citizens ask how to do; a report that does not describe one does not answer. */
const PROCEDURE = new RegExp(`${any(Q.how)}(?:去|来|才能|能|可以)?(${alternation(Q.procedure)})`);

/** 「怎么申请…」→ [申请]: the answering sentence must speak of the procedure itself. */
export function procedureOf(question: string): string[] {
  const m = PROCEDURE.exec(question);
  return m ? [m[1]!] : [];
}

/** The unit a figure question names right after 多少/几 (「多少万人」→ 人), without 万/亿/余. */
export function unitWordOf(question: string): string | null {
  const m = /(?:多少|几)(.{1,6})/.exec(question);
  if (!m) return null;
  const unit = LEADING_UNIT.exec(m[1]!);
  return unit ? unit[0].replace(/^(?:余|多)?(?:万亿|万|亿|千)?(?:余|多)?/, '') || null : null;
}

const ASKS_MONEY = new RegExp(`${any(Q.money)}|${any(Q['money-noun'])}(?:是|有|为)?多少`);
const ASKS_PERCENT = anyOf(Q.percent);

export function askedUnit(question: string): QueryAnalysis['unit'] {
  if (ASKS_MONEY.test(question)) return 'money';
  if (ASKS_PERCENT.test(question)) return 'percent';
  // 「增长了多少」 with no unit after it asks the rate, as the reports state growth.
  if (/增长了?(?:多少|几)(?![万亿千百]?[个件项家人户元吨亩套台辆座所名位次])/.test(question))
    return 'percent';
  return null;
}

const ASKING = anyOf(Q.asking);
const SCENE_SELF = new RegExp(`^${any(Q['scene-self'])}`);
/** Weight of a word said only where the asker sets the scene, relative to one of the question itself. */
export const SCENE_WEIGHT = 0.35;

/**
 * The clauses in which the asker tells their own situation before asking (「我家老人腿脚
 * 不便，社区有没有助餐点」: the first clause): from a clause opening with 我/我们/咱…
 * up to the first clause that asks. Empty when the question opens with its asking clause
 * or no clause before it speaks of the asker.
 */
export function sceneClauses(question: string): string[] {
  const clauses = question.match(/[^，,。！!；;？?]+[，,。！!；;？?]*/g) ?? [];
  const asking = clauses.findIndex((c) => ASKING.test(c));
  if (asking <= 0) return [];
  const self = clauses.findIndex((c) => SCENE_SELF.test(c.trim()));
  return self >= 0 && self < asking ? clauses.slice(self, asking) : [];
}

/**
 * Concepts said only in the scene-setting clauses weigh SCENE_WEIGHT of their weight (they
 * tell who asks, not what), unless the asking clauses name nothing of their own (only time,
 * plan or vague words).
 */
export function weighScene(question: string, concepts: Concept[]): Concept[] {
  const scene = sceneClauses(question);
  if (scene.length === 0) return concepts;
  const sceneText = scene.join('');
  const rest = question.replace(sceneText, ' ').toLowerCase();
  const said = sceneText.toLowerCase();
  const inScene = (c: Concept) => !rest.includes(c.text) && said.includes(c.text);
  const asked = concepts.filter((c) => !inScene(c) && !c.vague && !isFrameWord(c.text));
  if (asked.length === 0) return concepts;
  return concepts.map((c) =>
    inScene(c) ? { ...c, weight: c.weight * SCENE_WEIGHT, scene: true as const } : c,
  );
}

export interface AnalyzeOptions {
  lexicon: Lexicon;
  /** Earlier questions, oldest first (already normalised). */
  history?: string[];
  historyWeight?: number;
}

const TARGET_TOPIC = anyOf(Q['target-topic']);

/** Groups of words that stand in for one another (城镇/农村): question-types.txt's contrast. */
const CONTRASTS: readonly (readonly string[])[] = Q.contrast.map((g) => g.split('/'));

/**
 * A concept of the previous question as a follow-up inherits it: dropped when it is a word
 * the follow-up replaces by another of its group (「农村的呢」 after 城镇), its text and forms
 * rewritten when it holds such a word (城镇居民人均可支配收入 → 农村居民人均可支配收入);
 * unchanged otherwise.
 */
export function inheritConcept(prior: Concept, own: readonly Concept[]): Concept | null {
  for (const o of own) {
    for (const group of CONTRASTS) {
      // The word of the group the follow-up says (农村 in 农村居民), and the other one the last question said.
      const said = group.find((w) => o.text.includes(w));
      if (said === undefined) continue;
      const rival = group.find((w) => w !== said && prior.text.includes(w) && !o.text.includes(w));
      if (rival === undefined || prior.text.includes(said)) continue;
      const text = prior.text.replace(rival, said);
      // Nothing left to inherit when the follow-up already says it (城镇 → 农村 after 农村的呢).
      if (o.text.includes(text) || own.some((c) => c.text === text)) return null;
      const forms = prior.forms.filter((f) => f.includes(rival)).map((f) => f.replace(rival, said));
      return { ...prior, text, forms: [...new Set([text, ...forms])] };
    }
  }
  return prior;
}

/**
 * 「好多」 asking how many, as spoken in the south-west (重庆: 有好多人？, 改了好多个): before a
 * measure word or at the end of the question; not 好多了 (much better) or 抓好多少.
 */
const SPOKEN_HOW_MANY =
  /好多(?=[个人亿万千种家所座辆元块钱岁天次件项位名条套户台吨亩公斤里米趟]|[?？!！。哦啊呀嘛呢]*$)/g;

/** A count of a measure as one word: any one-character unit of units.txt before 数 (件数, 人数, 起数). */
const COUNT_WORD = new RegExp(
  `^(${unitTable()
    .units.filter((u) => /^\p{Script=Han}$/u.test(u))
    .join('|')})数$`,
  'u',
);

/**
 * The question with spoken and shorthand ways of asking how many written as 多少: 「好多」 (above),
 * and in a question with no other word asking how many, a count word of hotline shorthand
 * (「合法性审核 件数」, 「2021 复议决定件数」): the count of that measure asked for (多少件), not a
 * topic (no report says 件数).
 */
export function spokenQuantity(question: string): string {
  const spoken = question.replace(SPOKEN_HOW_MANY, '多少');
  if (/多少|几/.test(spoken) || !/数/.test(spoken)) return spoken;
  return segments(spoken)
    .map((w) => w.replace(COUNT_WORD, '多少$1'))
    .join('');
}

/**
 * A text with each concept that is an everyday word for a change (its report words are all
 * words of a change: 涨了 → 增长, 提高) written as its first report word.
 */
export function changeInReportWords(text: string, concepts: readonly Concept[]): string {
  let out = text;
  for (const c of concepts) {
    const official = c.forms.slice(1);
    if (isChangeWord(c.text) || official.length === 0 || !official.every(isChangeWord)) continue;
    out = out.replaceAll(c.text, official[0]!);
  }
  return out;
}

const RELATIVE_OFFSET = { this: 0, last: -1, 'before-last': -2, next: 1 } as const;

/**
 * A follow-up's relative time (今年, 去年) read in the report the conversation is about: after
 * a question about one year's result (2024年…多少), that year's report speaks of the next year
 * as 今年; after one about a year's target, of that year. Anything else is left as it is.
 */
export function relativeToPrior(time: TimeScope, prior: TimeScope, previous: string): TimeScope {
  if (time.relative === null || time.years.length > 0 || prior.years.length !== 1) return time;
  const year = prior.years[0]!;
  const thisYear = askedKind(previous).target === true ? year : year + 1;
  return { years: [thisYear + RELATIVE_OFFSET[time.relative]], relative: null };
}

export function analyzeQuestion(typed: string, options: AnalyzeOptions): QueryAnalysis {
  const question = spokenQuantity(typed);
  const history = options.history ?? [];
  const own = weighScene(question, conceptsOf(question, options.lexicon, 'question'));
  const previous = history.length > 0 ? history[history.length - 1]! : null;
  const followUp = previous !== null && isElliptical(question, own, true);
  let concepts = own;
  let time = timeScope(question);
  let type = shorthandFigure(questionType(question), question, time);
  let places = placesIn(question);
  let standalone = question;
  let focus = focusOf(question);
  let unit = askedUnit(question);
  let meta = metaQuestion(question);
  let inheritedWeight = options.historyWeight ?? HISTORY_WEIGHT;
  if (followUp && previous !== null) {
    // Resolve the previous question first (it may itself be a follow-up).
    const prior = analyzeQuestion(previous, { ...options, history: history.slice(0, -1) });
    // A follow-up that only reframes the last question (time, plan or comparison words, such
    // as 明年的增速目标) is about its topic as fully as that question was.
    const reframes = own.every((c) => c.verbal || c.vague || isFrameWord(c.text));
    if (reframes) inheritedWeight = 1;
    // A follow-up about the past after a question about a target: the past has no targets.
    const past = time.relative === 'last' || time.relative === 'before-last';
    const inherited = prior.concepts
      .filter((c) => !own.some((o) => o.text === c.text))
      .filter((c) => !(past && TARGET_TOPIC.test(c.text)))
      .flatMap((c) => inheritConcept(c, own) ?? [])
      .map((c) => ({ ...c, weight: c.weight * inheritedWeight, source: 'history' as const }));
    concepts = [...own, ...inherited];
    if (type === 'other' || type === 'yesno') type = prior.type;
    if (time.years.length === 0 && time.relative === null) time = prior.time;
    else time = relativeToPrior(time, prior.time, previous);
    if (places.length === 0) places = prior.places;
    if (own.length === 0 && focus === null) focus = prior.focus;
    // The kind of figure asked (money, percent) is the last question's only when the follow-up
    // names no thing of its own: a follow-up naming a count of people after a growth rate asks
    // for people, not a rate.
    if (unit === null && type === prior.type && reframes) unit = prior.unit;
    if (meta === null && own.length === 0) meta = prior.meta;
    standalone = `${question}（接上文：${prior.standalone}）`;
  } else if (previous !== null && places.length === 0 && !NEW_TOPIC.test(question)) {
    // A complete question that names no place stays in the conversation's place (and its
    // year, when it names no time): its topic is its own.
    const prior = analyzeQuestion(previous, { ...options, history: history.slice(0, -1) });
    places = prior.places;
    if (places.length > 0 && time.years.length === 0 && time.relative === null) time = prior.time;
  }
  const phrases = new Map<string, number>();
  const add = (p: string, w: number) => phrases.set(p, Math.max(phrases.get(p) ?? 0, w));
  for (const c of concepts) {
    const w = (c.source === 'question' ? 1 : inheritedWeight) * (c.scene ? SCENE_WEIGHT : 1);
    add(c.text, w);
    for (const f of c.forms.slice(1)) add(f, w * SYNONYM_WEIGHT);
  }
  if (concepts.length === 0) add(question, 1);
  const unitWord =
    unitWordOf(question) ??
    (followUp && previous !== null && own.length === 0 ? unitWordOf(previous) : null);
  return {
    question: typed,
    standalone,
    figureWording: changeInReportWords(standalone, concepts),
    isFollowUp: followUp,
    type,
    concepts,
    phrases,
    time,
    meta,
    places,
    focus,
    focusForms: focus === null ? [] : [focus, ...options.lexicon.officialFor(focus)],
    // Read by the figure checks (quantity) and the procedure check (how) only.
    actionForms:
      type === 'how'
        ? procedureOf(question)
        : type === 'quantity'
          ? actionOf(question, options.lexicon)
          : [],
    unit,
    unitWord,
    unitFamily: (unitWord && unitFamily(unitWord)) ?? askedFamily(question),
    intent: smallTalk(question, options.lexicon),
  };
}

/** A greeting or thanks alone, or a hand-off request that names no topic of its own (「怎么联系人工」, not 「法律援助中心电话」). */
function smallTalk(question: string, lexicon: Lexicon): Intent | null {
  const match = intentOf(question);
  if (!match) return null;
  if (match.intent !== 'handoff') return match.intent;
  const topics = conceptsOf(match.rest, lexicon, 'question').filter((c) => !c.vague && !c.verbal);
  return topics.length === 0 ? 'handoff' : null;
}
