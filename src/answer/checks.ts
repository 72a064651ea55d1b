/**
 * Checks a generated answer before it is accepted, pure: citation markers must name a
 * passage that was given (unknown ones are removed), every figure and every phone number,
 * URL, domain or e-mail address must occur in the passages its sentence cites (a planted
 * 「请拨打13800000000」 or 「请访问 http://evil.example」 fails), and the text must be
 * readable Chinese. Accepted answers have their markers renumbered 1..k in order of first
 * citation. `createStreamGate` applies the same checks sentence by sentence while the
 * answer streams, so nothing unchecked reaches the reader.
 */
import { figureKey, findFigures, normalizeFigureText } from '../text/figures.js';

/** The part of a passage the checks read. */
export interface CheckPassage {
  title: string;
  section: string;
  text: string;
}

export type CheckFailure =
  'empty' | 'garbled' | 'no-citations' | 'invented-figure' | 'invented-contact';

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

// Web addresses, bare domains (evil.example, www.gov.cn) and e-mail addresses.
const ADDRESS =
  /(?:https?:\/\/|www\.)[^\s，。；、！？）)」”"'<>【】]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|(?<![\w@.])[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.(?:com|cn|net|org|gov|edu|info|io|top|xyz|cc|me|app|site|online|example|test)(?![\w-])(?:\/[^\s，。；、！？）)」”"'<>]*)?/giu;
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
  // Addresses are not prose: a hotline's web site does not make an answer "mostly Latin".
  const letters = body.replace(ADDRESS, '').match(/\p{L}/gu)?.length ?? 0;
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
  /** Digits of every phone-like number in the sources. */
  phones: Set<string>;
  /** The sources' text, lower-cased and NFKC-folded, for addresses. */
  text: string;
}

// Phone-like runs: 7 or more digits, possibly grouped by spaces or dashes, +86 or (0351) in front.
const PHONE = /(?:\+?86[ -]?)?(?:\(\d{3,4}\)\s?)?\d[\d -]{5,}\d/g;
const digitsOf = (s: string) => s.replace(/\D/g, '');
/** A phone-like run that is a date (2022-08-16) or a span of years (2021-2025) is not a phone number. */
const NOT_PHONE = /^\s*(?:\d{4}-\d{1,2}-\d{1,2}|\d{4}\s*-\s*\d{4})\s*$/;
const phoneDigits = (run: string) => (NOT_PHONE.test(run) ? '' : digitsOf(run));
const foldAddress = (s: string) =>
  s
    .normalize('NFKC')
    .toLowerCase()
    .replace(/^https?:\/\//, '')
    .replace(/[/.]+$/, '');

function sourcesOf(texts: string[]): Sources {
  const sources: Sources = {
    keys: new Set(),
    values: new Set(),
    numbers: new Set(),
    phones: new Set(),
    text: '',
  };
  sources.text = texts.map((t) => t.normalize('NFKC').toLowerCase()).join('\n');
  for (const raw of texts) {
    for (const m of raw.normalize('NFKC').matchAll(PHONE))
      if (phoneDigits(m[0]).length >= 7) sources.phones.add(phoneDigits(m[0]));
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
  const masked = figures.reduceRight(
    (t, f) => t.slice(0, f.start) + ' '.repeat(f.end - f.start) + t.slice(f.end),
    text,
  );
  for (const m of masked.matchAll(/\d+(?:\.\d+)?/g)) {
    if (m[0].length < 2 && !m[0].includes('.')) continue; // list numbering, 一 as 1
    const n = Number(m[0]);
    if (!sources.numbers.has(n)) out.push(m[0]);
  }
  return out;
}

/**
 * Phone numbers and addresses of one sentence that its sources do not hold. A citizen
 * told to call a number or visit a site must find that number or site in the report.
 */
function inventedContacts(sentence: string, sources: Sources): string[] {
  const text = sentence.replace(MARKER, '').normalize('NFKC');
  const out: string[] = [];
  for (const m of text.matchAll(ADDRESS)) {
    if (!sources.text.includes(foldAddress(m[0]))) out.push(m[0]);
  }
  for (const m of text.matchAll(PHONE)) {
    const digits = phoneDigits(m[0]);
    if (digits.length < 7) continue;
    const known = [...sources.phones].some(
      (p) =>
        p.includes(digits) ||
        (digits.length > p.length && digits.endsWith(p) && digits.length - p.length <= 2),
    );
    if (!known) out.push(m[0].trim());
  }
  return out;
}

/** What a group of sentences states that the passages it cites do not hold (pure). */
function unsupported(
  group: string[],
  cited: number[],
  passages: readonly CheckPassage[],
): { reason: CheckFailure; items: string[] } | null {
  const sources = sourcesOf(
    cited.flatMap((i) => [passages[i]!.text, passages[i]!.title, passages[i]!.section]),
  );
  const contacts = group.flatMap((s) => inventedContacts(s, sources));
  if (contacts.length > 0) return { reason: 'invented-contact', items: contacts };
  const figures = group.flatMap((s) => inventedFigures(s, sources));
  if (figures.length > 0) return { reason: 'invented-figure', items: figures };
  return null;
}

/** Checks a generated answer against the passages it was given (numbered from 1). */
export function checkAnswer(raw: string, passages: readonly CheckPassage[]): CheckResult {
  const problem = unreadable(raw);
  if (problem)
    return {
      ok: false,
      reason: problem,
      detail: problem === 'empty' ? 'no text' : raw.slice(0, 80),
    };

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
  if (all.length === 0)
    return { ok: false, reason: 'no-citations', detail: 'no [n] marker names a given passage' };

  // An unmarked sentence belongs to the claim closed by the next marker; sentences after
  // the last marker are checked against every passage the answer cites.
  let pending: string[] = [];
  const failures: Array<{ reason: CheckFailure; items: string[] }> = [];
  const check = (group: string[], cited: number[]) => {
    const failure = unsupported(group, cited, passages);
    if (failure) failures.push(failure);
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
  if (failures.length > 0) {
    // A planted contact outranks a wrong figure: it is the one to log.
    const reason = failures.some((f) => f.reason === 'invented-contact')
      ? 'invented-contact'
      : 'invented-figure';
    const items = failures.filter((f) => f.reason === reason).flatMap((f) => f.items);
    return {
      ok: false,
      reason,
      detail: `not in the cited passages: ${[...new Set(items)].join(', ')}`,
    };
  }

  const renumber = new Map(all.map((i, k) => [i, k + 1]));
  const renumbered = text
    .replace(MARKER, (_, n: string) => `[${renumber.get(Number(n) - 1)}]`)
    // [1][1] → [1]
    .replace(/(?:\[\d+\])+/g, (run) => [...new Set(run.match(MARKER))].join(''));
  return { ok: true, text: renumbered, cited: all, removedMarkers };
}

/** A streamed answer, released a checked sentence group at a time. */
export interface StreamGate {
  /** Takes the next piece of model output; returns the text that may be shown now. */
  push(delta: string): string;
  /** The check that stopped the stream, if one did: nothing more is released after it. */
  readonly failure: { reason: CheckFailure; detail: string } | null;
}

/**
 * Releases streamed text only once it has passed its checks: a sentence is held until it
 * is complete, and until the marker that says which passage it rests on has arrived (a
 * sentence without a marker belongs to the next one); then the group is checked for
 * invented figures, phone numbers and addresses against its cited passages. Unknown
 * markers are dropped as in checkAnswer. A reasoning model's <think> block is never shown.
 */
export function createStreamGate(passages: readonly CheckPassage[]): StreamGate {
  let raw = '';
  let consumed = 0;
  let group: string[] = [];
  let failure: { reason: CheckFailure; detail: string } | null = null;
  const known = (text: string) =>
    normalizeMarkers(text).replace(MARKER, (m, n: string) =>
      Number(n) >= 1 && Number(n) <= passages.length ? m : '',
    );
  const visible = () => {
    const text = raw.replace(/<think>[\s\S]*?<\/think>/g, '');
    const open = text.indexOf('<think>');
    return open >= 0 ? text.slice(0, open) : text;
  };
  return {
    get failure() {
      return failure;
    },
    push(delta) {
      raw += delta;
      if (failure) return '';
      const text = visible().slice(consumed);
      const sentences = text.match(SENTENCE) ?? [];
      // The last sentence may still grow (more words, or the marker after its stop).
      let released = '';
      let used = 0;
      for (const s of sentences.slice(0, -1)) {
        used += s.length;
        const cleaned = known(s);
        group.push(cleaned);
        const cited = [...cleaned.matchAll(MARKER)].map((m) => Number(m[1]) - 1);
        if (cited.length === 0) continue;
        const problem = unsupported(group, cited, passages);
        if (problem) {
          failure = {
            reason: problem.reason,
            detail: `not in the cited passages: ${[...new Set(problem.items)].join(', ')}`,
          };
          return released;
        }
        released += group.join('');
        group = [];
      }
      // Sentence matches tile the text, so the complete ones end at `used`.
      consumed += used;
      return released;
    },
  };
}

/**
 * Live filter for streamed text: holds back a possibly unfinished marker and drops
 * markers that name no given passage, so a reader never sees [9] when three were given.
 */
export function createMarkerFilter(passageCount: number): {
  push(delta: string): string;
  flush(): string;
} {
  let held = '';
  const release = (text: string) =>
    normalizeMarkers(text).replace(MARKER, (m, n: string) =>
      Number(n) >= 1 && Number(n) <= passageCount ? m : '',
    );
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
