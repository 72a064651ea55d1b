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

export function refusalText(analysis: QueryAnalysis, scored: ScoredSentence[]): string {
  const own = analysis.concepts.filter((c) => c.source === 'question');
  if (own.length === 0 && !analysis.isFollowUp) {
    return '抱歉，我没能理解您想了解什么。请换个说法，具体说说想查询报告里的哪方面内容，例如“法律援助”“行政复议”“政务服务”。';
  }
  const top = scored[0];
  // A place no passage is about comes first: 「深圳」, not 「目标」.
  const places = own
    .filter((c) => c.place && (!top || top.missing.includes(c.text)))
    .map((c) => c.text);
  if (places.length > 0) {
    return `${NOT_FOUND_PREFIX}没有找到关于「${places.join('」「')}」的内容，无法回答这个问题。下面是最接近的段落，仅供参考；如需准确信息，请咨询相关部门。`;
  }
  // Name only words that carry the question's meaning: nouns and names, weightiest first,
  // never a verb or filler (「帮着」「能办」) and never a figure.
  const meaningful = own
    .filter((c) => !c.verbal && !c.vague && !/\d/.test(c.text))
    .sort((a, b) => b.weight - a.weight);
  const missing = meaningful.filter((c) => !top || top.missing.includes(c.text));
  const names = (missing.length > 0 ? missing : meaningful).map((c) => c.text).slice(0, 2);
  const what = names.length > 0 ? `关于「${names.join('」「')}」的` : '能回答这个问题的';
  let detail = '';
  // Never say a figure is missing when a passage shown under the refusal holds one.
  const shown = closestSentences(scored);
  if (top && top.coverage >= 0.6) {
    if (
      analysis.type === 'quantity' &&
      !shown.some((s) => figuresOf(s.text).some((f) => f.unit !== 'date'))
    )
      detail = '报告提到了相关工作，但没有给出这方面的具体数字。';
    else if (analysis.type === 'who') detail = '报告提到了相关内容，但没有写明具体人员。';
    else if (analysis.type === 'when') detail = '报告提到了相关内容，但没有写明具体时间。';
  }
  const lead = detail
    ? `抱歉，已收录的报告中没有找到能回答这个问题的内容。${detail}`
    : `${NOT_FOUND_PREFIX}没有找到${what}内容，无法回答这个问题。`;
  return `${lead}下面是最接近的段落，仅供参考；如需准确信息，请咨询相关部门。`;
}

/** Refusal for places or years outside the ingested reports (years are named, never answered). */
export function uncoveredText(uncovered: string[]): string {
  return `抱歉，已收录的报告中没有涉及「${uncovered.join('」「')}」的报告，无法回答这个问题。下面是已收录报告中最接近的段落，仅供参考。`;
}
