/**
 * One document through the pure stages: clean → metadata → structure → chunks.
 */
import type { Chunk, DocumentMeta } from '../src/types.js';
import { cleanText } from './clean.js';
import { chunkDocument, DEFAULT_CHUNKING, type ChunkOptions } from './chunk.js';
import type { LoadedFile } from './load.js';
import { extractMetadata } from './metadata.js';
import { insertPageBreaks, pageAt } from './pages.js';
import { findStructure } from './sections.js';

export interface PreparedDocument {
  meta: DocumentMeta;
  text: string;
  chunks: Chunk[];
  dropped: string[];
}

export function prepareDocument(
  file: LoadedFile,
  chunking: ChunkOptions = DEFAULT_CHUNKING,
): PreparedDocument {
  const raw = file.pages ? insertPageBreaks(file.raw, file.pages) : file.raw;
  const { text, dropped, metaLines, pageStarts } = cleanText(raw);
  const meta = extractMetadata({
    docId: file.docId,
    text,
    metaLines,
    hash: file.hash,
    overrides: file.overrides,
  });
  const structure = findStructure(text, {
    title: meta.title,
    defaultPeriod: meta.docType === '法治政府建设年度报告' ? 'review' : 'other',
  });
  const chunks = chunkDocument(file.docId, text, structure, chunking);
  // A chunk is cited on the page where it starts (paged formats only).
  if (file.pages) for (const c of chunks) c.page = pageAt(pageStarts ?? [0], c.start);
  return { meta, text, chunks, dropped };
}
