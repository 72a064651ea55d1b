/**
 * `.docx` → text through mammoth's raw-text extraction: one paragraph per line (mammoth
 * separates paragraphs with a blank line; table cells come out as paragraphs too).
 * Word documents have no fixed pages, so chunks from them carry no page number.
 */
import mammoth from 'mammoth';
import { DEFAULT_INGEST_LIMITS, type IngestLimits } from '../file-errors.js';
import { checkDocxExpansion } from './zip-limits.js';

/** Reads a Word document's paragraphs, after checking what it expands to (see zip-limits.ts). */
export async function parseDocx(
  bytes: Buffer,
  limits: IngestLimits = DEFAULT_INGEST_LIMITS,
): Promise<{ raw: string }> {
  checkDocxExpansion(bytes, limits);
  let value: string;
  try {
    ({ value } = await mammoth.extractRawText({ buffer: bytes }));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`无法解析 Word 文件（.docx 损坏，或是旧版 .doc 改了扩展名）：${message}`);
  }
  if (value.trim() === '') throw new Error('Word 文件中没有文字');
  return { raw: value.replace(/\n{2,}/g, '\n') };
}
