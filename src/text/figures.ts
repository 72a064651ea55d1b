/**
 * Figures: numbers with their units (46.4万人次, 99.7%, 811件, 2022-08-16), found in text
 * and normalised so that 46.4万 and 464000 compare equal. Pure; shared by extractive
 * answers (which clause holds the figure) and by the LLM checks (no invented figures).
 */
import { memoByText } from './memo.js';
import { unitTable } from './units.js';

export interface Figure {
  /** As written in the text. */
  raw: string;
  start: number;
  end: number;
  /** Numeric value with 万/亿/千 applied (percent stays as the number before %). */
  value: number;
  unit: string;
}

// Every unit of units.txt, longer first (the alternation takes the first that matches).
const UNITS = unitTable()
  .units.map((u) => u.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
  .join('|');
/** A unit (with 万/亿 before it) at the start of text: 「万人次」, 「平方公里」. */
export const LEADING_UNIT = new RegExp(`^(?:余|多)?(?:万亿|万|亿|千)?(?:余|多)?(?:${UNITS})`);
// 「余/多」 stands before the magnitude (6600多万, 80余万名) or after it (1.2万余人).
const FIGURE = new RegExp(
  `(\\d+(?:,\\d{3})*(?:\\.\\d+)?)\\s*(?:余|多)?(万亿|万|亿|千)?(余|多)?\\s*(${UNITS})?`,
  'g',
);
const CN_COUNT =
  /([〇一二两三四五六七八九十百千]+)(个|位|项|名|家|种|条|座|部|次|件|枚|只|头|代|趟|倍|届|所|艘|架|辆|台|套|本|篇|首|集|层|级|岁|户)/g;
/** A Chinese-numeral magnitude with a unit (百万辆, 上千万家庭): written out, never with digits. */
const CN_MAGNITUDE = new RegExp(
  `([十百千两一二三四五六七八九]+)(万亿|万|亿)(余|多)?(${UNITS})`,
  'g',
);
const DATE = /\d{4}-\d{1,2}-\d{1,2}|\d{4}年\d{1,2}月\d{1,2}日/g;
/** A magnitude written without digits after a word of degree (超万亿元, 近万人, 上千家): that magnitude. */
const BARE_MAGNITUDE = new RegExp(
  `(?:超|近|逾|上|过|破)(万亿|千亿|百亿|亿|千万|百万|十万|万|千|百)(余|多)?(${UNITS})`,
  'g',
);
const BARE_VALUE: Record<string, number> = {
  万亿: 1e12,
  千亿: 1e11,
  百亿: 1e10,
  亿: 1e8,
  千万: 1e7,
  百万: 1e6,
  十万: 1e5,
  万: 1e4,
  千: 1e3,
  百: 100,
};
/** A grade written in Roman numerals (水质Ⅱ类, III类, 劣V类): 1 to 5, unit 类. */
const GRADE = /(?<![A-Za-z])(IV|V|I{1,3}|Ⅰ|Ⅱ|Ⅲ|Ⅳ|Ⅴ)(?=类)/g;
const GRADE_VALUE: Record<string, number> = {
  I: 1,
  II: 2,
  III: 3,
  IV: 4,
  V: 5,
  Ⅰ: 1,
  Ⅱ: 2,
  Ⅲ: 3,
  Ⅳ: 4,
  Ⅴ: 5,
};

const MULTIPLIER: Record<string, number> = { 万: 1e4, 亿: 1e8, 千: 1e3, 万亿: 1e12 };

/** Figures in text: a number followed by a magnitude and/or unit; years (2021年) excluded. */
export function findFigures(text: string): Figure[] {
  const out: Figure[] = [];
  /** Whether a figure already read overlaps text[start, end). */
  const taken = (start: number, end: number) => out.some((f) => start < f.end && f.start < end);
  for (const m of text.matchAll(DATE)) {
    // y*10000 + m*100 + d, so 2022-08-16 and 2022年8月16日 have the same value.
    const [y = 0, mo = 0, d = 0] = m[0].split(/\D+/).map(Number);
    out.push({
      raw: m[0],
      start: m.index!,
      end: m.index! + m[0].length,
      value: y * 10000 + mo * 100 + d,
      unit: 'date',
    });
  }
  for (const m of text.matchAll(FIGURE)) {
    const start = m.index!;
    if (out.some((f) => start >= f.start && start < f.end)) continue;
    const [raw, num, mag, , unit] = m;
    if (!mag && !unit) continue;
    const n = Number(num!.replace(/,/g, ''));
    // A bare four-digit year such as 2021年 or a range like 2021-2025年 is not a figure.
    if (unit === '年' && !mag && /^(19|20)\d{2}$/.test(num!)) continue;
    if (/[-—~～]$/.test(text.slice(Math.max(0, start - 1), start)) && unit === '年') continue;
    const trimmed = raw.replace(/\s+$/, '');
    out.push({
      raw: trimmed,
      start,
      end: start + trimmed.length,
      value: n * (mag ? MULTIPLIER[mag]! : 1),
      unit: unit ?? '',
    });
  }
  for (const m of text.matchAll(CN_MAGNITUDE)) {
    const start = m.index!;
    if (taken(start, start + m[0].length)) continue;
    const [raw, run, mag, , unit] = m;
    const value = Number(chineseNumber(run!, true) ?? NaN);
    if (Number.isFinite(value))
      out.push({
        raw: raw!,
        start,
        end: start + raw!.length,
        value: value * MULTIPLIER[mag!]!,
        unit: unit!,
      });
  }
  for (const m of text.matchAll(BARE_MAGNITUDE)) {
    const start = m.index!;
    if (taken(start, start + m[0].length)) continue;
    const [raw, mag, , unit] = m;
    out.push({ raw: raw!, start, end: start + raw!.length, value: BARE_VALUE[mag!]!, unit: unit! });
  }
  for (const m of text.matchAll(GRADE)) {
    const start = m.index!;
    const raw = `${m[0]}类`;
    if (taken(start, start + raw.length)) continue;
    out.push({ raw, start, end: start + raw.length, value: GRADE_VALUE[m[0]]!, unit: '类' });
  }
  // Counts written in Chinese numerals (两个部份, 五位妻子, 三项业务); ordinals (第一个) are not counts.
  for (const m of text.matchAll(CN_COUNT)) {
    const start = m.index!;
    if (text.charAt(start - 1) === '第' || taken(start, start + m[0].length)) continue;
    const [raw, run, unit] = m;
    if (run === '一' && /(?:是|为)$/.test(text.slice(0, start))) continue; // 「是一个高架车站」: an article, not a count
    const value = Number(chineseNumber(run!, false) ?? CN_DIGIT[run!] ?? NaN);
    if (Number.isFinite(value))
      out.push({ raw: raw!, start, end: start + raw!.length, value, unit: unit! });
  }
  return out.sort((a, b) => a.start - b.start);
}

/**
 * findFigures for the sentences and clauses of the corpus, which every answer reads again:
 * kept in memory (memoByText). The result is shared: read only.
 */
export const figuresOf: (text: string) => readonly Figure[] = memoByText(findFigures);

/** A year a figure is written right after: 从2020年的3.68万亿元, 2023年底57.7%. */
const YEAR_LABEL = '((?:19|20)\\d{2})年(?:底|末)?的?';
const YEAR_LABEL_AT_END = new RegExp(`(?<!\\d)${YEAR_LABEL}$`);
/** Every year written right before a figure that is not a date's month (2025年12月, 2025年1—11月). */
const YEAR_LABELS = new RegExp(`(?<!\\d)${YEAR_LABEL}(?=\\d)(?![\\d.—~～-]*月)`, 'g');

/** The year written right before offset `at` of a text (see YEAR_LABEL), or null. */
export function yearRightBefore(text: string, at: number): number | null {
  const m = YEAR_LABEL_AT_END.exec(text.slice(Math.max(0, at - 8), at));
  return m ? Number(m[1]) : null;
}

/** The years a text states a figure of (a figure written right after the year), ascending. */
export function yearsStated(text: string): number[] {
  return [...new Set([...text.matchAll(YEAR_LABELS)].map((m) => Number(m[1])))].sort(
    (a, b) => a - b,
  );
}

export function hasFigure(text: string): boolean {
  return findFigures(text).length > 0;
}

/** Canonical key of a figure: value and unit family, so 46.4万人次 = 464000人次. */
export function figureKey(f: Figure): string {
  const unit = f.unit.replace(/^万(?=人次|元)/, '').replace(/^亿(?=元)/, '');
  const scale =
    f.unit.startsWith('万') && f.unit !== '万' ? 1e4 : f.unit.startsWith('亿') ? 1e8 : 1;
  return `${Number((f.value * scale).toPrecision(12))}|${unit}`;
}

const CN_DIGIT: Record<string, number> = {
  零: 0,
  〇: 0,
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};
const CN_UNIT: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };
const CN_NUMBER = /[零〇一二两三四五六七八九十百千]+(?:点[零〇一二三四五六七八九]+)?/g;

/** 八百一十一 → 811, 二〇二二 → 2022, 四十六点四 → 46.4, 两万 → 2万; a lone 一…九 (一项, 两个) stays a word. */
function chineseNumber(run: string, beforeMagnitude: boolean): string | null {
  const [int = '', frac] = run.split('点');
  const hasUnit = /[十百千]/.test(int);
  if (!hasUnit && int.length < 2 && frac === undefined && !beforeMagnitude) return null;
  let digits: string;
  if (hasUnit) {
    let total = 0;
    let current = 0;
    for (const ch of int) {
      const unit = CN_UNIT[ch];
      if (unit) {
        total += (current || 1) * unit;
        current = 0;
      } else current = CN_DIGIT[ch] ?? 0;
    }
    digits = String(total + current);
  } else digits = [...int].map((ch) => CN_DIGIT[ch] ?? 0).join('');
  return frac === undefined
    ? digits
    : `${digits}.${[...frac].map((ch) => CN_DIGIT[ch] ?? 0).join('')}`;
}

/**
 * Text with figures written one way, for comparing figures across texts: NFKC (full-width
 * digits, ％ and ． become ASCII) and Chinese numerals as digits (八百一十一件 → 811件).
 * 万/亿 stay as written: findFigures applies them. Lengths may change; use for comparison only.
 */
export function normalizeFigureText(text: string): string {
  return text
    .normalize('NFKC')
    .replace(
      CN_NUMBER,
      (run: string, offset: number, all: string) =>
        chineseNumber(run, /[万亿]/.test(all.charAt(offset + run.length))) ?? run,
    );
}

/** Characters that, right after a sum of money, make it the name of a class of things (千亿元镇, 百亿元企业). */
const CLASS_AFTER_MONEY = /^[镇县城园企村乡]/;
/** 超千亿元的县域, 亿元以上的项目: a sum of money qualifying the things after 的 (not 的目标, 的基础, 的台阶). */
const MONEY_BEFORE_DE =
  /^(?:以上|以下)?的(?!目标|任务|基础|水平|规模|大关|台阶|增长)[\u4e00-\u9fff]/;

/** A figure written in Chinese numerals (三项, 两个). */
const CHINESE_NUMERAL = /^[一二两三四五六七八九十]/;

/** Whether offset `at` of a text stands inside “quotation marks” opened at most 12 characters before. */
function quoted(text: string, at: number): boolean {
  const open = text.lastIndexOf('“', at);
  if (open < 0 || at - open > 12) return false;
  const close = text.indexOf('”', open);
  return close < 0 || close > at;
}

/**
 * Whether a figure of a text is part of a name, not a quantity the text states: a sum of
 * money naming a class of things (超千亿元镇, 超千亿元的县域: towns of that size), or a number in Chinese
 * numerals inside quotation marks (“三项制度”, “两个维护”: names of policies).
 */
export function partOfName(text: string, figure: Figure): boolean {
  const after = text.slice(figure.end);
  if (figure.unit.endsWith('元') && (CLASS_AFTER_MONEY.test(after) || MONEY_BEFORE_DE.test(after)))
    return true;
  return CHINESE_NUMERAL.test(figure.raw) && quoted(text, figure.start);
}
