/**
 * `.pdf` → text with page starts, through unpdf (PDF.js built for servers, no worker, no
 * canvas). Text-less PDFs (scans) and damaged or encrypted files fail with a reason that
 * the ingest report prints next to the file name.
 */
import { getDocumentProxy } from 'unpdf';
import { DEFAULT_INGEST_LIMITS, IngestFileError, type IngestLimits } from '../file-errors.js';
import { layoutToText, type PdfRun, type PdfText } from './pdf-layout.js';

/** Reads a PDF's text, page by page, as report paragraphs (at most `limits.maxPdfPages` pages). */
export async function parsePdf(
  bytes: Buffer,
  limits: IngestLimits = DEFAULT_INGEST_LIMITS,
): Promise<PdfText> {
  let pdf;
  try {
    // PDF.js takes ownership of the array it is given: pass a copy, not the file buffer.
    pdf = await getDocumentProxy(new Uint8Array(bytes), { verbosity: 0, isEvalSupported: false });
  } catch (error) {
    throw new Error(`无法解析 PDF 文件（文件损坏、加密或不是 PDF）：${reason(error)}`);
  }
  try {
    if (pdf.numPages > limits.maxPdfPages) {
      throw new IngestFileError(
        'FILE_TOO_LARGE',
        `PDF 有 ${pdf.numPages} 页，超过 ${limits.maxPdfPages} 页（INGEST_MAX_PDF_PAGES），已跳过`,
      );
    }
    const pages: PdfRun[][] = [];
    for (let n = 1; n <= pdf.numPages; n++) {
      const page = await pdf.getPage(n);
      const content = await page.getTextContent();
      const runs: PdfRun[] = [];
      for (const item of content.items) {
        if (!('str' in item)) continue; // marked-content boundaries
        const [, , , d = 0, x = 0, y = 0] = item.transform as number[];
        runs.push({
          str: item.str,
          x,
          y,
          width: item.width,
          size: Math.abs(d) || item.height,
          eol: item.hasEOL,
        });
      }
      pages.push(runs);
      page.cleanup();
    }
    const text = layoutToText(pages);
    if (text.raw.trim() === '') {
      throw new Error(
        `PDF 中没有可提取的文字（共 ${pdf.numPages} 页，可能是扫描件，需要先做文字识别）`,
      );
    }
    return text;
  } catch (error) {
    if (
      error instanceof IngestFileError ||
      (error instanceof Error && error.message.startsWith('PDF 中没有'))
    )
      throw error;
    throw new Error(`无法读取 PDF 文件内容：${reason(error)}`);
  } finally {
    await pdf.destroy();
  }
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
