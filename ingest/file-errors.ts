/**
 * Per-file ingest errors: why one file was refused, with a stable code and a Chinese
 * reason that the ingest report prints next to the file name. The rest of the corpus is
 * still indexed. Also the limits on what one file may expand to.
 */

/** Why a file was refused. */
export type FileErrorCode =
  /** Not text: an executable, an image, random bytes. */
  | 'FILE_BINARY'
  /** Text in an encoding that could not be recognised. */
  | 'FILE_ENCODING'
  /** It would expand past a limit (uncompressed size, paragraphs, pages). */
  | 'FILE_TOO_LARGE'
  /** A damaged or unreadable container (zip, PDF). */
  | 'FILE_DAMAGED';

/** A file the pipeline refused; `message` is the reason in Chinese. */
export class IngestFileError extends Error {
  readonly code: FileErrorCode;

  constructor(code: FileErrorCode, message: string) {
    super(message);
    this.name = 'IngestFileError';
    this.code = code;
  }
}

/** What one file may expand to. */
export interface IngestLimits {
  /** Uncompressed bytes of all parts of a .docx together. @default 52428800 (50 MB) */
  maxUncompressedBytes: number;
  /** Paragraphs of a .docx. @default 100000 */
  maxParagraphs: number;
  /** Pages of a PDF. @default 2000 */
  maxPdfPages: number;
}

/** The defaults; INGEST_MAX_* settings override them. */
export const DEFAULT_INGEST_LIMITS: Readonly<IngestLimits> = Object.freeze({
  maxUncompressedBytes: 50 * 1024 * 1024,
  maxParagraphs: 100_000,
  maxPdfPages: 2000,
});

/** The limits from the INGEST_MAX_* settings. */
export function ingestLimits(config: {
  INGEST_MAX_UNCOMPRESSED_BYTES: number;
  INGEST_MAX_PARAGRAPHS: number;
  INGEST_MAX_PDF_PAGES: number;
}): IngestLimits {
  return {
    maxUncompressedBytes: config.INGEST_MAX_UNCOMPRESSED_BYTES,
    maxParagraphs: config.INGEST_MAX_PARAGRAPHS,
    maxPdfPages: config.INGEST_MAX_PDF_PAGES,
  };
}

/** Megabytes, for messages. */
export function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
