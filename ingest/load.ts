/**
 * Loading: lists the corpus folder and reads each report into raw text, one file at a
 * time (a generator, so large corpora are streamed). The only file reader of ingest.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { DocumentMeta } from '../src/types.js';
import { htmlToText, markdownToText } from './clean.js';
import { DEFAULT_INGEST_LIMITS, type IngestLimits } from './file-errors.js';
import { BINARY_PARSERS } from './parsers/index.js';
import { decodeText } from './parsers/text-encoding.js';

export const SUPPORTED_EXTENSIONS = ['.txt', '.md', '.html', '.htm'];

export interface LoadedFile {
  docId: string;
  absPath: string;
  /** Raw text as plain lines (HTML and Markdown already reduced to text). */
  raw: string;
  hash: string;
  overrides?: Partial<DocumentMeta>;
  /** Page start offsets into `raw`, for paged formats. */
  pages?: number[];
}

export interface ListedFile {
  docId: string;
  absPath: string;
}

/** Every supported file under `dir`, sorted, as docIds relative to `dir` with `/` separators. */
export async function listCorpus(
  dir: string,
  extensions = SUPPORTED_EXTENSIONS,
): Promise<ListedFile[]> {
  const out: ListedFile[] = [];
  const walk = async (sub: string) => {
    const entries = await readdir(path.join(dir, sub), { withFileTypes: true });
    for (const e of entries) {
      if (e.name.startsWith('.')) continue;
      const rel = sub ? `${sub}/${e.name}` : e.name;
      if (e.isDirectory()) await walk(rel);
      else if (
        extensions.includes(path.extname(e.name).toLowerCase()) &&
        !e.name.endsWith('.meta.json')
      ) {
        out.push({ docId: rel, absPath: path.join(dir, rel) });
      }
    }
  };
  await walk('');
  return out.sort((a, b) => a.docId.localeCompare(b.docId));
}

export function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

async function readSidecar(absPath: string): Promise<Partial<DocumentMeta> | undefined> {
  const sidecar = absPath.replace(/\.[^.]+$/, '.meta.json');
  if (!existsSync(sidecar)) return undefined;
  try {
    return JSON.parse(await readFile(sidecar, 'utf8')) as Partial<DocumentMeta>;
  } catch (error) {
    throw new Error(
      `元数据文件 ${path.basename(sidecar)} 不是有效的 JSON：${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/** Bytes → raw text; a refused file throws IngestFileError (see file-errors.ts) with the reason. */
export type Parser = (
  bytes: Buffer,
  limits: IngestLimits,
) => Promise<{ raw: string; pages?: number[] }>;

// Text formats are decoded by what their bytes are (UTF-8, UTF-16, GBK/GB18030), binaries refused.
const PARSERS: Record<string, Parser> = {
  '.txt': async (b) => ({ raw: decodeText(b) }),
  '.md': async (b) => ({ raw: markdownToText(decodeText(b)) }),
  '.html': async (b) => ({ raw: htmlToText(decodeText(b)) }),
  '.htm': async (b) => ({ raw: htmlToText(decodeText(b)) }),
};

export function registerParser(ext: string, parser: Parser): void {
  PARSERS[ext] = parser;
  if (!SUPPORTED_EXTENSIONS.includes(ext)) SUPPORTED_EXTENSIONS.push(ext);
}

for (const [ext, parser] of Object.entries(BINARY_PARSERS)) registerParser(ext, parser);

/** A file's bytes, its sidecar metadata and the content hash of both (no parsing). */
export interface SourceFile {
  bytes: Buffer;
  sidecar: Partial<DocumentMeta> | undefined;
  hash: string;
}

/** Reads a file and its sidecar and hashes them; cheap enough to run on every start. */
export async function readSource(file: ListedFile): Promise<SourceFile> {
  const bytes = await readFile(file.absPath);
  const sidecar = await readSidecar(file.absPath);
  const hash = sha256(
    sidecar ? Buffer.concat([bytes, Buffer.from(JSON.stringify(sidecar))]) : bytes,
  );
  return { bytes, sidecar, hash };
}

/**
 * Parses a file into raw text (reusing an already read source when given). A file that is
 * not text, not decodable or too large throws IngestFileError: the per-file error the
 * ingest report lists under `failed`.
 */
export async function loadFile(
  file: ListedFile,
  source?: SourceFile,
  limits: IngestLimits = DEFAULT_INGEST_LIMITS,
): Promise<LoadedFile> {
  const parser = PARSERS[path.extname(file.absPath).toLowerCase()];
  if (!parser) throw new Error(`unsupported file type: ${file.docId}`);
  const { bytes, sidecar, hash } = source ?? (await readSource(file));
  const { raw, pages } = await parser(bytes, limits);
  const loaded: LoadedFile = { docId: file.docId, absPath: file.absPath, raw, hash };
  if (sidecar) loaded.overrides = sidecar;
  if (pages) loaded.pages = pages;
  return loaded;
}
