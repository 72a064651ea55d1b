/**
 * Question and text normalisation: NFKC (full-width digits and letters), traditional →
 * simplified Chinese, markup and control characters stripped, white space collapsed.
 * Pure functions; `normalizeQuestion` checks the question first (question-check.ts).
 */
import * as OpenCC from 'opencc-js';
import { AppError } from '../errors.js';
import { checkQuestion } from './question-check.js';

const toSimplified = OpenCC.Converter({ from: 'tw', to: 'cn' });

const TAG = /<\/?[a-zA-Z][^<>]*>/g;
const ENTITY = /&(?:nbsp|amp|lt|gt|quot|#39|#x27);/g;
const ENTITIES: Record<string, string> = {
  '&nbsp;': ' ',
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
  '&#x27;': "'",
};
// Control characters (C0, DEL, C1), the soft hyphen, zero-width characters and every bidi
// control (Unicode TR9: ALM U+061C, LRM/RLM, the embeddings and overrides U+202A–E, and the
// isolates U+2066–9, which NFKC keeps), the Mongolian vowel separator and the BOM.
const CONTROL =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u00AD\u061C\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/g;

export interface NormalizeTextOptions {
  /**
   * Also remove spaces between Chinese characters, before the traditional → simplified
   * conversion: OpenCC converts by phrase, so 「怎 么」 would become 「怎幺」 (么 alone is
   * taken for the traditional 幺) where 「怎么」 stays. @default false
   */
  squeezeCjk?: boolean;
}

/** NFKC + simplified Chinese + no markup/control characters + collapsed white space. */
export function normalizeText(input: string, options: NormalizeTextOptions = {}): string {
  let text = input.replace(TAG, ' ').replace(ENTITY, (e) => ENTITIES[e] ?? ' ');
  text = text.normalize('NFKC').replace(CONTROL, '');
  if (options.squeezeCjk) text = squeezeCjkSpaces(text);
  text = toSimplified(text);
  return text.replace(/\s+/g, ' ').trim();
}

/** Removes spaces between CJK characters (「法律 援助」→「法律援助」), keeps them between Latin words. */
export function squeezeCjkSpaces(text: string): string {
  return text.replace(
    /(?<=[\u3400-\u9fff，。？！、；：“”（）])\s+|\s+(?=[\u3400-\u9fff，。？！、；：“”（）])/g,
    '',
  );
}

export interface NormalizeQuestionOptions {
  maxChars: number;
}

/** Normalises a user's question; throws EMPTY_QUESTION or QUESTION_TOO_LONG (checkQuestion). */
export function normalizeQuestion(input: unknown, options: NormalizeQuestionOptions): string {
  const question = squeezeCjkSpaces(
    normalizeText(checkQuestion(input, options.maxChars), { squeezeCjk: true }),
  );
  if (!/[\p{L}\p{N}]/u.test(question)) throw new AppError('EMPTY_QUESTION');
  return question;
}
