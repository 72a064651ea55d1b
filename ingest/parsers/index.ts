/**
 * The parsers of binary formats, by extension; load.ts registers them (this module does
 * not import load.ts at run time, so there is no import cycle).
 */
import type { Parser } from '../load.js';
import { parseDocx } from './docx.js';
import { parsePdf } from './pdf.js';

/** `.docx` (mammoth) and `.pdf` (unpdf, with page starts). */
export const BINARY_PARSERS: Readonly<Record<string, Parser>> = {
  '.docx': parseDocx,
  '.pdf': parsePdf,
};
