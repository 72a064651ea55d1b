/**
 * Masks personal data in free text before it is stored or logged: mainland ID-card
 * numbers, mobile and landline phone numbers, and e-mail addresses. Citizens paste
 * these into questions ("我的身份证号 … 能办吗"); the question log must never hold them.
 */

/** What each kind of personal data is replaced with. */
export const MASKS = {
  idCard: '[身份证号]',
  phone: '[电话]',
  email: '[邮箱]',
} as const;

// Digits next to a match mean it is part of a longer number (an amount, a serial), so
// every pattern is fenced by look-arounds instead of \b (which treats 汉字 as non-word
// characters only by accident of the ASCII-only \w).
const NOT_BEFORE = '(?<![0-9A-Za-z])';
const NOT_AFTER = '(?![0-9A-Za-z])';

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
// GB 11643: 18 characters (17 digits + digit or X), or the older 15-digit form.
const ID_CARD = new RegExp(`${NOT_BEFORE}(?:\\d{17}[\\dXx]|\\d{15})${NOT_AFTER}`, 'g');
// Mobile: 1[3-9] + 9 digits, optionally +86/86 in front and grouped 3-4-4 by spaces or dashes.
const MOBILE = new RegExp(
  `${NOT_BEFORE}(?:\\+?86[ -]?)?1[3-9]\\d(?:[ -]?\\d{4}){2}${NOT_AFTER}`,
  'g',
);
// Landline: area code 0xx/0xxx, then 7–8 digits, with or without a separator or brackets.
const LANDLINE = new RegExp(
  `${NOT_BEFORE}(?:\\(0\\d{2,3}\\)|0\\d{2,3}[ -]?)\\d{7,8}${NOT_AFTER}`,
  'g',
);

/** Full-width ASCII (U+FF01–U+FF5E) to ASCII, one UTF-16 unit for one, so offsets stay put. */
function foldFullWidth(text: string): string {
  return text.replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
}

/**
 * Returns `text` with personal data replaced by the placeholders in MASKS. Matching runs
 * on a copy with full-width characters folded (so `１３８…` is caught too); everything
 * outside a match is returned exactly as given.
 */
export function maskPersonalData(text: string): string {
  const folded = foldFullWidth(text);
  const spans: Array<{ start: number; end: number; mask: string }> = [];
  const taken = (start: number, end: number) => spans.some((s) => start < s.end && s.start < end);
  const patterns: Array<[RegExp, string]> = [
    [EMAIL, MASKS.email],
    [ID_CARD, MASKS.idCard],
    [MOBILE, MASKS.phone],
    [LANDLINE, MASKS.phone],
  ];
  for (const [pattern, mask] of patterns) {
    for (const m of folded.matchAll(pattern)) {
      const start = m.index;
      const end = start + m[0].length;
      if (!taken(start, end)) spans.push({ start, end, mask });
    }
  }
  if (spans.length === 0) return text;
  spans.sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  for (const span of spans) {
    out += text.slice(at, span.start) + span.mask;
    at = span.end;
  }
  return out + text.slice(at);
}
