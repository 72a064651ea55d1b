/**
 * Masks personal data in free text before it is stored or logged: mainland ID-card
 * numbers (checksum and birth date checked, also when typed with spaces), mobile and
 * landline numbers, e-mail addresses, bank card numbers (Luhn), passport and 港澳通行证
 * numbers, and licence plates. Citizens paste these into questions ("我的身份证号 … 能办吗");
 * the question log must never hold them. A figure that merely looks like a number of
 * this kind (17000余项, an amount, a year) is left alone: every kind has a check.
 */

/** What each kind of personal data is replaced with. */
export const MASKS = {
  idCard: '[身份证号]',
  phone: '[电话]',
  email: '[邮箱]',
  bankCard: '[银行卡号]',
  passport: '[证件号]',
  plate: '[车牌号]',
} as const;

// Digits next to a match mean it is part of a longer number (an amount, a serial), so
// every pattern is fenced by look-arounds instead of \b (which treats 汉字 as non-word
// characters only by accident of the ASCII-only \w).
const NOT_BEFORE = '(?<![0-9A-Za-z])';
const NOT_AFTER = '(?![0-9A-Za-z])';

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
// GB 11643: 18 characters (17 digits + digit or X), or the older 15-digit form; one space
// or dash may stand between any two digits (「1101 0519 9001 0112 32」).
const ID_CARD_18 = new RegExp(`${NOT_BEFORE}(?:\\d[ -]?){17}[\\dXx]${NOT_AFTER}`, 'g');
const ID_CARD_15 = new RegExp(`${NOT_BEFORE}(?:\\d[ -]?){14}\\d${NOT_AFTER}`, 'g');
// Bank cards (GB/T 19584, ISO/IEC 7812): 16–19 digits, often grouped in fours, Luhn-valid.
const BANK_CARD = new RegExp(`${NOT_BEFORE}(?:\\d[ -]?){15,18}\\d${NOT_AFTER}`, 'g');
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
// Ordinary passports: E/G/P/S/D + 8 digits, or E + a letter (not I, O) + 7 digits;
// 港澳通行证 (往来港澳通行证): C + 8 digits, or C + a letter + 7 digits.
const PASSPORT = new RegExp(
  `${NOT_BEFORE}(?:[EGPSDC]\\d{8}|[EC][A-HJ-NP-Z]\\d{7})${NOT_AFTER}`,
  'g',
);
// GA 36 plates: the province's one-character abbreviation, the issuing office's letter,
// then 5 characters (6 for new-energy vehicles), with at least one digit among them.
const PLATE = new RegExp(
  `[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-HJ-NP-Z][·•・ ]?(?=[A-HJ-NP-Z0-9]{0,5}\\d)[A-HJ-NP-Z0-9]{5,6}${NOT_AFTER}`,
  'g',
);

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

function plausibleDate(year: number, month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= 31 && year >= 1900 && year <= 2100;
}

/** GB 11643 checksum and a plausible birth date. */
export function isIdCardNumber(candidate: string): boolean {
  const id = candidate.replace(/[ -]/g, '').toUpperCase();
  if (id.length === 15) {
    return (
      /^\d{15}$/.test(id) &&
      plausibleDate(
        1900 + Number(id.slice(6, 8)),
        Number(id.slice(8, 10)),
        Number(id.slice(10, 12)),
      )
    );
  }
  if (!/^\d{17}[\dX]$/.test(id)) return false;
  if (!plausibleDate(Number(id.slice(6, 10)), Number(id.slice(10, 12)), Number(id.slice(12, 14))))
    return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(id[i]) * ID_WEIGHTS[i]!;
  return ID_CHECK[sum % 11] === id[17];
}

/** The Luhn (mod 10) check of card numbers, on 16–19 digits. */
export function isBankCardNumber(candidate: string): boolean {
  const digits = candidate.replace(/[ -]/g, '');
  if (!/^\d{16,19}$/.test(digits)) return false;
  let sum = 0;
  for (let i = digits.length - 1, double = false; i >= 0; i--, double = !double) {
    let d = Number(digits[i]);
    if (double) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

/** Full-width ASCII (U+FF01–U+FF5E) to ASCII, one UTF-16 unit for one, so offsets stay put. */
function foldFullWidth(text: string): string {
  return text
    .replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/\u3000/g, ' ');
}

/** A pattern, the placeholder it masks with and the check a match must pass. */
type Rule = [RegExp, string, ((match: string) => boolean)?];

// Order matters: the first rule to claim a span keeps it (an ID number is not a card).
const RULES: Rule[] = [
  [EMAIL, MASKS.email],
  [ID_CARD_18, MASKS.idCard, isIdCardNumber],
  [BANK_CARD, MASKS.bankCard, isBankCardNumber],
  [ID_CARD_15, MASKS.idCard, isIdCardNumber],
  [MOBILE, MASKS.phone],
  [LANDLINE, MASKS.phone],
  [PASSPORT, MASKS.passport],
  [PLATE, MASKS.plate],
];

/** Matches of a global pattern, trying every start (a failed check must not hide a later match). */
function* candidates(
  pattern: RegExp,
  text: string,
): Generator<{ start: number; end: number; text: string }> {
  pattern.lastIndex = 0;
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
    yield { start: m.index, end: m.index + m[0].length, text: m[0].replace(/[ -]+$/, '') };
  }
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
  for (const [pattern, mask, check] of RULES) {
    for (const m of candidates(pattern, folded)) {
      const end = m.start + m.text.length;
      if (check && !check(m.text)) continue;
      if (!taken(m.start, end)) spans.push({ start: m.start, end, mask });
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
