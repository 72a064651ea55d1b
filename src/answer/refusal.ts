/**
 * The refusal message: says plainly that the reports do not answer, names what was not
 * found, and never states a figure. Pure.
 */
import type { QueryAnalysis } from '../retrieval/query.js';
import type { ScoredSentence } from './extractive.js';
import { figuresOf } from '../text/figures.js';

/** The sentences a refusal shows: the best of each of the first `limit` distinct passages. */
export function closestSentences(scored: ScoredSentence[], limit = 3): ScoredSentence[] {
  const out: ScoredSentence[] = [];
  const chunks = new Set<string>();
  for (const s of scored) {
    if (chunks.has(s.chunk.id)) continue;
    chunks.add(s.chunk.id);
    out.push(s);
    if (out.length >= limit) break;
  }
  return out;
}

export const NOT_FOUND_PREFIX = '抱歉，已收录的报告中';

/** A year, month or day written in a sentence (1966年, 十二月初五, 3月5日). */
const DATE_WORDS =
  /\d{4}\s*年|[\d一二三四五六七八九十]+月[\d一二三四五六七八九十初]+|[一二三四五六七八九十〇零]{2,4}年/;

export function refusalText(analysis: QueryAnalysis, scored: ScoredSentence[]): string {
  const own = analysis.concepts.filter((c) => c.source === 'question');
  if (own.length === 0 && !analysis.isFollowUp) {
    return '抱歉，我没能理解您想了解什么。请换个说法，具体说说想查询报告里的哪方面内容，例如“法律援助”“行政复议”“政务服务”。';
  }
  const top = scored[0];
  // A place no passage is about comes first: 「深圳」, not 「目标」.
  const places = own
    .filter((c) => c.place && !c.scene && (!top || top.missing.includes(c.text)))
    .map((c) => c.text);
  if (places.length > 0) {
    return `${NOT_FOUND_PREFIX}没有找到关于「${places.join('」「')}」的内容，无法回答这个问题。下面是最接近的段落，仅供参考；如需准确信息，请咨询相关部门。`;
  }
  // Name only words that carry the question's meaning: nouns and names, weightiest first,
  // never a verb or filler (「帮着」「能办」), a word of the asker's own situation, or a figure.
  const meaningful = own
    .filter((c) => !c.verbal && !c.vague && !c.scene && !/\d/.test(c.text))
    .sort((a, b) => b.weight - a.weight);
  // A word is named as not found only when no passage shown under the refusal holds it.
  const shown = closestSentences(scored);
  const missing = meaningful.filter((c) => shown.every((s) => s.missing.includes(c.text)));
  const names = missing.map((c) => c.text).slice(0, 2);
  const spoken = meaningful.filter((c) => !missing.includes(c)).map((c) => c.text);
  const what = names.length > 0 ? `关于「${names.join('」「')}」的` : '能回答这个问题的';
  let detail = '';
  // Never say a figure is missing when a passage shown under the refusal holds one.
  if (top && top.coverage >= 0.6) {
    if (
      analysis.type === 'quantity' &&
      !shown.some((s) => figuresOf(s.text).some((f) => f.unit !== 'date'))
    )
      detail = '报告提到了相关工作，但没有给出这方面的具体数字。';
    else if (analysis.type === 'who') detail = '报告提到了相关内容，但没有写明具体人员。';
    else if (analysis.type === 'where') detail = '报告提到了相关内容，但没有写明具体地点。';
    else if (analysis.type === 'when' && !shown.some((s) => DATE_WORDS.test(s.text)))
      detail = '报告提到了相关内容，但没有写明具体时间。';
  }
  const lead = detail
    ? `抱歉，已收录的报告中没有找到能回答这个问题的内容。${detail}`
    : names.length === 0 && spoken.length > 0
      ? `抱歉，已收录的报告提到了「${spoken.slice(0, 2).join('」「')}」，但没有找到能确切回答这个问题的内容。`
      : `${NOT_FOUND_PREFIX}没有找到${what}内容，无法回答这个问题。`;
  return `${lead}下面是最接近的段落，仅供参考；如需准确信息，请咨询相关部门。`;
}

/** 2019, 2020, 2021, 2024 → 2019—2021年、2024年. */
export function yearRuns(years: readonly number[]): string {
  const runs: Array<[number, number]> = [];
  for (const y of years) {
    const last = runs[runs.length - 1];
    if (last && y === last[1] + 1) last[1] = y;
    else runs.push([y, y]);
  }
  return runs.map(([a, b]) => (a === b ? `${a}年` : `${a}—${b}年`)).join('、');
}

/** 「已收录的报告涉及的年份是2021—2022年。」, or nothing when no year is known. */
function coveredText(coveredYears: readonly number[]): string {
  return coveredYears.length > 0 ? `已收录的报告涉及的年份是${yearRuns(coveredYears)}。` : '';
}

/**
 * Refusal for places or years outside the ingested reports (years are named, never
 * answered), saying which years the reports do cover when a year is what is missing.
 */
export function uncoveredText(uncovered: string[], coveredYears: readonly number[] = []): string {
  return `抱歉，已收录的报告中没有涉及「${uncovered.join('」「')}」的报告，无法回答这个问题。${coveredText(coveredYears)}下面是已收录报告中最接近的段落，仅供参考。`;
}

/**
 * The refusal for an uncovered year with a neighbouring year's figure: the year asked is not
 * covered; the neighbouring year's figure is pointed to in its citation (highlighted there),
 * labelled with its own year, and never stated in the refusal text itself.
 */
export function neighbourYearText(
  uncovered: string[],
  coveredYears: readonly number[],
  neighbour: { year: number; asked: number; sentence: { doc: { meta: { title: string } } } },
): string {
  const { year, asked } = neighbour;
  return `抱歉，已收录的报告中没有涉及「${uncovered.join('」「')}」的报告，无法给出${asked}年的数字。${coveredText(coveredYears)}《${neighbour.sentence.doc.meta.title}》有相邻的${year}年的数字，见引文[1]（那是${year}年的情况，不是${asked}年的）。其他相关段落也列在下方，仅供参考。`;
}
