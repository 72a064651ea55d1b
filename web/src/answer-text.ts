/**
 * Pure text helpers for answers: split "[n]" markers into chips, find the sentence around a
 * highlighted figure, and format the hotline read-out. No DOM, so they are unit-tested in Node.
 */
import type { Answer, Citation } from './types.js';

/** A piece of answer text: plain text, or a reference to citation `n`. */
export type AnswerSegment = { kind: 'text'; text: string } | { kind: 'cite'; n: number };

const MARKER = /\[(\d{1,2})\]/g;

/** Splits answer text on `[n]` markers; markers with no matching citation stay as text. */
export function splitAnswer(text: string, known: ReadonlySet<number>): AnswerSegment[] {
  const out: AnswerSegment[] = [];
  let last = 0;
  for (const m of text.matchAll(MARKER)) {
    const n = Number(m[1]);
    if (!known.has(n)) continue;
    if (m.index > last) out.push({ kind: 'text', text: text.slice(last, m.index) });
    out.push({ kind: 'cite', n });
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push({ kind: 'text', text: text.slice(last) });
  return out;
}

/** The answer text without its `[n]` markers. */
export function stripMarkers(text: string): string {
  return text.replace(MARKER, '').trim();
}

const STOPS = '。！？；!?;\n';

/** The span of the sentence of `text` that contains `[start, end)` (stop kept with its sentence). */
export function sentenceAround(
  text: string,
  start: number,
  end: number,
): { start: number; end: number } {
  let s = Math.max(0, Math.min(start, text.length));
  while (s > 0 && !STOPS.includes(text[s - 1] ?? '')) s--;
  let e = Math.max(s, Math.min(end, text.length));
  while (e < text.length && !STOPS.includes(text[e] ?? '')) e++;
  if (e < text.length) e++;
  while (s < e && /\s/.test(text[s] ?? '')) s++;
  return { start: s, end: e };
}

/**
 * Three parts of a passage for display: before, the sentence with the figure, after; plus the
 * figure's span inside the sentence. Without a highlight the whole text is `before`.
 */
export function highlightParts(c: Pick<Citation, 'text' | 'highlight'>): {
  before: string;
  sentence: string;
  after: string;
  figure: { start: number; end: number } | null;
} {
  const h = c.highlight;
  if (!h || h.start < 0 || h.end > c.text.length || h.end <= h.start) {
    return { before: c.text, sentence: '', after: '', figure: null };
  }
  const s = sentenceAround(c.text, h.start, h.end);
  return {
    before: c.text.slice(0, s.start),
    sentence: c.text.slice(s.start, s.end),
    after: c.text.slice(s.end),
    figure: { start: h.start - s.start, end: h.end - s.start },
  };
}

/** Citation numbers in the order the answer text first mentions them. */
export function citedNumbers(answer: Pick<Answer, 'answer' | 'citations'>): number[] {
  const known = new Set(answer.citations.map((c) => c.n));
  const seen: number[] = [];
  for (const seg of splitAnswer(answer.answer, known)) {
    if (seg.kind === 'cite' && !seen.includes(seg.n)) seen.push(seg.n);
  }
  return seen;
}

/** A section path ("七、… > （一）…") as one spoken phrase. */
function spokenSection(section: string): string {
  return section.split(' > ').join('，');
}

/**
 * The answer as a hotline agent reads it out, one line per cited passage:
 * 「据《{title}》{section}：{sentence}」. The sentence is the one holding the figure; without
 * a highlight it is the answer text itself.
 */
export function copyText(answer: Pick<Answer, 'answer' | 'citations'>): string {
  const numbers = citedNumbers(answer);
  const cited = numbers.length > 0 ? numbers : answer.citations.slice(0, 1).map((c) => c.n);
  const lines: string[] = [];
  for (const n of cited) {
    const c = answer.citations.find((x) => x.n === n);
    if (!c) continue;
    const parts = highlightParts(c);
    const sentence = (parts.sentence || stripMarkers(answer.answer)).trim();
    lines.push(`据《${c.title}》${spokenSection(c.section)}：${sentence}`);
  }
  return lines.length > 0 ? lines.join('\n') : stripMarkers(answer.answer);
}
