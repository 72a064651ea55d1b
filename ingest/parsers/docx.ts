/**
 * `.docx` → text through mammoth's raw-text extraction: one paragraph per line (mammoth
 * separates paragraphs with a blank line; table cells come out as paragraphs too).
 * Word documents have no fixed pages, so chunks from them carry no page number.
 */
import mammoth from 'mammoth';

/** Reads a Word document's paragraphs. */
export async function parseDocx(bytes: Buffer): Promise<{ raw: string }> {
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
