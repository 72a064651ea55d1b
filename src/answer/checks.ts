/**
 * Checks a generated answer before it is accepted, pure: citation markers must name a
 * passage that was given (unknown ones are removed), every figure must occur in the
 * passages its sentence cites, and the text must be readable Chinese. Accepted answers
 * have their markers renumbered 1..k in order of first citation.
 */
import { figureKey, findFigures, normalizeFigureText } from '../text/figures.js';

/** The part of a passage the checks read. */
export interface CheckPassage {
  title: string;
  section: string;
  text: string;
}

export type CheckFailure = 'empty' | 'garbled' | 'no-citations' | 'invented-figure';

export type CheckResult =
  | {
      ok: true;
      /** The answer with only known markers, renumbered in order of first citation. */
      text: string;
      /** 0-based indexes into the given passages, in the new numbering order. */
      cited: number[];
      /** Markers that named no given passage and were removed. */
      removedMarkers: string[];
    }
  | { ok: false; reason: CheckFailure; detail: string };

// 【1】 ［1］ [1,2] [1、3] → [1] / [1][2] / [1][3]; other bracketed text is left alone.
const LOOSE_MARKER = /[[［【]\s*(\d{1,3}(?:\s*[,，、]\s*\d{1,3})*)\s*[\]］】]/g;
const MARKER = /\[(\d{1,3})\]/g;
// A sentence: its body, its stops, then any markers written after the stop.
const SENTENCE = /[^。！？!?；;\n]+[。！？!?；;\n]*(?:\s*\[\d{1,3}\])*|[。！？!?；;\n]+/g;
const BAD_CHARS = /[\uFFFD\u0000-\u0008\u000B\u000C\u000E-\u001F]/;

/** Rewrites loose marker forms as plain [n] markers. */
export function normalizeMarkers(text: string): string {
  return text.replace(LOOSE_MARKER, (_, list: string) =>
    list
      .split(/[,，、]/)
      .map((n) => `[${Number(n.trim())}]`)
      .join(''),
  );
}

/** Why text is not a readable Chinese answer, or null when it is. */
export function unreadable(text: string): 'empty' | 'garbled' | null {
  const body = text.replace(MARKER, '').trim();
  if (body === '') return 'empty';
  if (BAD_CHARS.test(body)) return 'garbled';
  const letters = body.match(/\p{L}/gu)?.length ?? 0;
  const han = body.match(/\p{Script=Han}/gu)?.length ?? 0;
  if (han < 2 || han < letters * 0.5) return 'garbled';
  // A model stuck in a loop repeats the same sentence.
  const counts = new Map<string, number>();
  for (const s of body.match(SENTENCE) ?? []) {
    const key = s.replace(MARKER, '').trim();
    if (key.length < 6) continue;
    const n = (counts.get(key) ?? 0) + 1;
    if (n >= 3) return 'garbled';
    counts.set(key, n);
  }
  return null;
}

interface Sources {
  keys: Set<string>;
  values: Set<number>;
  numbers: Set<number>;
}

function sourcesOf(texts: string[]): Sources {
  const sources: Sources = { keys: new Set(), values: new Set(), numbers: new Set() };
  for (const raw of texts) {
    const text = normalizeFigureText(raw);
    for (const f of findFigures(text)) {
      sources.keys.add(figureKey(f));
      sources.values.add(Number(figureKey(f).split('|')[0]));
    }
    for (const m of text.matchAll(/\d+(?:\.\d+)?/g)) sources.numbers.add(Number(m[0]));
  }
  return sources;
}

/**
 * Figures of one sentence that its sources do not hold: figures with units compare by
 * value and unit (46.4万人次 = 464000人次); a figure without a unit (46.4万) by value; bare
 * numbers of two or more digits (years, counts) must occur as numbers. The question's
 * numbers are not a source: "是900件吗？" must not let a model confirm 900件.
 */
function inventedFigures(sentence: string, sources: Sources): string[] {
  const text = normalizeFigureText(sentence.replace(MARKER, ''));
  const out: string[] = [];
  const figures = findFigures(text);
  for (const f of figures) {
    const key = figureKey(f);
    const value = Number(key.split('|')[0]);
    const known = sources.keys.has(key) || (f.unit === '' && sources.values.has(value));
    if (!known) out.push(f.raw);
  }
  const masked = figures.reduceRight((t, f) => t.slice(0, f.start) + ' '.repeat(f.end - f.start) + t.slice(f.end), text);
  for (const m of masked.matchAll(/\d+(?:\.\d+)?/g)) {
    if (m[0].length < 2 && !m[0].includes('.')) continue; // list numbering, 一 as 1
    const n = Number(m[0]);
    if (!sources.numbers.has(n)) out.push(m[0]);
  }
  return out;
}

/** Checks a generated answer against the passages it was given (numbered from 1). */
export function checkAnswer(raw: string, passages: readonly CheckPassage[]): CheckResult {
  const problem = unreadable(raw);
  if (problem) return { ok: false, reason: problem, detail: problem === 'empty' ? 'no text' : raw.slice(0, 80) };

  const removedMarkers: string[] = [];
  const text = normalizeMarkers(raw)
    .replace(MARKER, (marker, n: string) => {
      const i = Number(n);
      if (i >= 1 && i <= passages.length) return marker;
      removedMarkers.push(marker);
      return '';
    })
    .trim();

  const sentences = text.match(SENTENCE) ?? [];
  const markersOf = (s: string) => [...s.matchAll(MARKER)].map((m) => Number(m[1]) - 1);
  const all = [...new Set(sentences.flatMap(markersOf))];
  if (all.length === 0) return { ok: false, reason: 'no-citations', detail: 'no [n] marker names a given passage' };

  // An unmarked sentence belongs to the claim closed by the next marker; sentences after
  // the last marker are checked against every passage the answer cites.
  let pending: string[] = [];
  const invented: string[] = [];
  const check = (group: string[], cited: number[]) => {
    const sources = sourcesOf(cited.flatMap((i) => [passages[i]!.text, passages[i]!.title, passages[i]!.section]));
    for (const s of group) invented.push(...inventedFigures(s, sources));
  };
  for (const s of sentences) {
    pending.push(s);
    const cited = markersOf(s);
    if (cited.length > 0) {
      check(pending, cited);
      pending = [];
    }
  }
  if (pending.length > 0) check(pending, all);
  if (invented.length > 0) {
    return { ok: false, reason: 'invented-figure', detail: `not in the cited passages: ${[...new Set(invented)].join(', ')}` };
  }

  const renumber = new Map(all.map((i, k) => [i, k + 1]));
  const renumbered = text
    .replace(MARKER, (_, n: string) => `[${renumber.get(Number(n) - 1)}]`)
    // [1][1] → [1]
    .replace(/(?:\[\d+\])+/g, (run) => [...new Set(run.match(MARKER))].join(''));
  return { ok: true, text: renumbered, cited: all, removedMarkers };
}

/**
 * Live filter for streamed text: holds back a possibly unfinished marker and drops
 * markers that name no given passage, so a reader never sees [9] when three were given.
 */
export function createMarkerFilter(passageCount: number): { push(delta: string): string; flush(): string } {
  let held = '';
  const release = (text: string) =>
    normalizeMarkers(text).replace(MARKER, (m, n: string) => (Number(n) >= 1 && Number(n) <= passageCount ? m : ''));
  return {
    push(delta) {
      const text = held + delta;
      const open = Math.max(text.lastIndexOf('['), text.lastIndexOf('［'), text.lastIndexOf('【'));
      // An opening bracket followed only by digits, separators and spaces may still become a marker.
      if (open >= 0 && /^[[［【][\d\s,，、]{0,8}$/.test(text.slice(open))) {
        held = text.slice(open);
        return release(text.slice(0, open));
      }
      held = '';
      return release(text);
    },
    flush() {
      const rest = held;
      held = '';
      return release(rest);
    },
  };
}
