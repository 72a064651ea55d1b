/**
 * Builds the index from the corpus folder, incrementally: documents are hashed, unchanged
 * ones keep their chunks and vectors, changed ones are re-chunked and re-embedded, removed
 * ones leave the index. Files that cannot be parsed are reported by name and skipped.
 * Documents are read one at a time, so memory grows with the index, not twice the corpus.
 */
import type { Manifest } from '../src/engine-types.js';
import type { Embedder } from '../src/embeddings/index.js';
import { AppError } from '../src/errors.js';
import {
  hasIndex,
  INDEX_FORMAT_VERSION,
  loadIndex,
  saveIndex,
  type StoredDocument,
} from '../src/index-store.js';
import { buildKeywordIndex } from '../src/retrieval/keyword.js';
import type { Chunk } from '../src/types.js';
import { DEFAULT_CHUNKING, type ChunkOptions } from './chunk.js';
import {
  DEFAULT_INGEST_LIMITS,
  IngestFileError,
  type FileErrorCode,
  type IngestLimits,
} from './file-errors.js';
import { extractFacts } from './facts.js';
import { listCorpus, loadFile, readSource, sha256 } from './load.js';
import { prepareDocument } from './prepare.js';
import { searchText } from '../src/retrieval/search-text.js';
import { buildVectorStore } from '../src/retrieval/vector-store.js';

export interface BuildIndexOptions {
  corpusDir: string;
  indexDir: string;
  embedder: Embedder;
  chunking?: ChunkOptions;
  batchSize?: number;
  /** Rebuild everything even when documents are unchanged. */
  full?: boolean;
  /** What one file may expand to. @default DEFAULT_INGEST_LIMITS */
  limits?: Partial<IngestLimits>;
  now?: () => Date;
  /** Called as files are read and passages embedded (the console's job progress, the CLI's bar). */
  onProgress?: (progress: IngestProgress) => void;
  /**
   * Documents this build exists for (an upload, a metadata edit): when one of them fails,
   * nothing is written and the build fails with INGEST_FAILED naming each file's reason.
   */
  requireDocs?: string[];
}

/** How far a build has got. */
export interface IngestProgress {
  phase: 'reading' | 'embedding' | 'saving';
  /** Files read so far, of filesTotal. */
  files: number;
  filesTotal: number;
  /** The file being read. */
  file?: string;
  /** Passages of the documents read so far. */
  passages: number;
  /** New vectors computed so far, of embedTotal. */
  embedded: number;
  embedTotal: number;
}

/** A build refused because a document it was for could not be read. */
export class RequiredDocumentError extends AppError {
  readonly failures: Array<{ docId: string; reason: string }>;
  constructor(failures: Array<{ docId: string; reason: string }>) {
    super('INGEST_FAILED', {
      message: `文档未能导入，原索引继续服务：${failures.map((f) => `${f.docId}：${f.reason}`).join('；')}`,
      detail: failures.map((f) => `${f.docId}: ${f.reason}`).join('; '),
    });
    this.failures = failures;
  }
}

export interface IngestReport {
  added: string[];
  changed: string[];
  removed: string[];
  unchanged: string[];
  /** Files refused or unreadable, each with its reason (and a code when the pipeline refused it, see file-errors.ts). */
  failed: Array<{ docId: string; reason: string; code?: FileErrorCode }>;
  documents: number;
  chunks: number;
  embedded: number;
  ms: number;
}

interface Previous {
  byDoc: Map<string, { doc: StoredDocument; chunks: Chunk[]; vectors: number[][] }>;
}

async function readPrevious(options: BuildIndexOptions): Promise<Previous | null> {
  if (options.full || !hasIndex(options.indexDir)) return null;
  try {
    const prev = await loadIndex(options.indexDir, {
      embeddings: options.embedder.embeddings,
      embedderId: options.embedder.id,
    });
    const dims = prev.manifest.embedder.dimensions;
    const chunking = options.chunking ?? DEFAULT_CHUNKING;
    if (prev.manifest.chunking.maxChars !== chunking.maxChars) return null;
    if (prev.manifest.pipelineVersion !== PIPELINE_VERSION) return null;
    const byDoc: Previous['byDoc'] = new Map();
    for (const doc of prev.documents) byDoc.set(doc.meta.docId, { doc, chunks: [], vectors: [] });
    prev.chunks.forEach((chunk, i) => {
      const entry = byDoc.get(chunk.docId);
      if (!entry) return;
      entry.chunks.push(chunk);
      entry.vectors.push(Array.from(prev.vectors.subarray(i * dims, (i + 1) * dims)));
    });
    return { byDoc };
  } catch {
    return null; // a different embedder or a damaged index: rebuild in full
  }
}

/** Embeds texts in batches, retrying a failed batch twice before giving up. */
async function embedAll(
  embedder: Embedder,
  texts: string[],
  batchSize: number,
  onBatch: (done: number) => void,
): Promise<number[][]> {
  const out: number[][] = [];
  for (let i = 0; i < texts.length; i += batchSize) {
    onBatch(i);
    const batch = texts.slice(i, i + batchSize);
    let attempt = 0;
    for (;;) {
      try {
        out.push(...(await embedder.embeddings.embedDocuments(batch)));
        break;
      } catch (error) {
        if (++attempt >= 3) {
          throw new AppError('INGEST_FAILED', {
            message: `向量服务调用失败（第 ${i + 1}–${i + batch.length} 段），已保留原索引。`,
            detail: error instanceof Error ? error.message : String(error),
            cause: error,
          });
        }
        await new Promise((r) => setTimeout(r, 200 * attempt));
      }
    }
  }
  return out;
}

export async function buildIndex(options: BuildIndexOptions): Promise<IngestReport> {
  const started = Date.now();
  const now = options.now ?? (() => new Date());
  const chunking = options.chunking ?? DEFAULT_CHUNKING;
  const previous = await readPrevious(options);
  const limits: IngestLimits = { ...DEFAULT_INGEST_LIMITS, ...options.limits };
  const failed = (docId: string, error: unknown) =>
    report.failed.push({
      docId,
      reason: error instanceof Error ? error.message : String(error),
      ...(error instanceof IngestFileError ? { code: error.code } : {}),
    });
  // Loops, not push(...many): a 50 MB report has 130,000 chunks, more arguments than the stack holds.
  const append = <T>(to: T[], items: T[]) => {
    for (const item of items) to.push(item);
  };
  const report: IngestReport = {
    added: [],
    changed: [],
    removed: [],
    unchanged: [],
    failed: [],
    documents: 0,
    chunks: 0,
    embedded: 0,
    ms: 0,
  };
  const documents: StoredDocument[] = [];
  const chunks: Chunk[] = [];
  const vectors: Array<number[] | null> = [];
  const seen = new Set<string>();
  const hashes: Array<[string, string]> = [];

  const files = await listCorpus(options.corpusDir);
  const progress: IngestProgress = {
    phase: 'reading',
    files: 0,
    filesTotal: files.length,
    passages: 0,
    embedded: 0,
    embedTotal: 0,
  };
  const tell = (change: Partial<IngestProgress>) =>
    options.onProgress?.(Object.assign(progress, change));
  for (const file of files) {
    tell({ files: progress.files, file: file.docId, passages: chunks.length });
    progress.files++;
    seen.add(file.docId);
    let source;
    try {
      source = await readSource(file);
    } catch (error) {
      const kept = previous?.byDoc.get(file.docId);
      // A bad sidecar (or a file that cannot be read just now) never removes a document
      // that is already indexed: its previous version stays, and the reason is reported.
      if (kept) {
        const reason = error instanceof Error ? error.message : String(error);
        report.failed.push({ docId: file.docId, reason: `${reason}（已保留上一版本）` });
        report.unchanged.push(file.docId);
        documents.push(kept.doc);
        append(chunks, kept.chunks);
        append(vectors, kept.vectors);
      } else failed(file.docId, error);
      continue;
    }
    hashes.push([file.docId, source.hash]);
    const prev = previous?.byDoc.get(file.docId);
    // An unchanged document is not parsed again (PDFs and Word files are slow to read).
    if (prev && prev.doc.meta.hash === source.hash) {
      report.unchanged.push(file.docId);
      documents.push(prev.doc);
      append(chunks, prev.chunks);
      append(vectors, prev.vectors);
      continue;
    }
    try {
      const prepared = prepareDocument(await loadFile(file, source, limits), chunking);
      if (prepared.chunks.length === 0) throw new Error('文件中没有可用的文字');
      (prev ? report.changed : report.added).push(file.docId);
      documents.push({ meta: prepared.meta, text: prepared.text });
      append(chunks, prepared.chunks);
      for (let i = 0; i < prepared.chunks.length; i++) vectors.push(null);
    } catch (error) {
      failed(file.docId, error);
    }
  }
  for (const docId of previous?.byDoc.keys() ?? [])
    if (!seen.has(docId)) report.removed.push(docId);
  const required = new Set(options.requireDocs ?? []);
  const refused = report.failed.filter((f) => required.has(f.docId));
  if (refused.length > 0) throw new RequiredDocumentError(refused);

  const titles = new Map(documents.map((d) => [d.meta.docId, d.meta.title]));
  const indexText = (c: Chunk) => searchText(c, titles.get(c.docId));
  const pending = chunks.map((c, i) => (vectors[i] ? -1 : i)).filter((i) => i >= 0);
  tell({
    phase: 'embedding',
    files: files.length,
    file: undefined,
    passages: chunks.length,
    embedTotal: pending.length,
  });
  const fresh = await embedAll(
    options.embedder,
    pending.map((i) => indexText(chunks[i]!)),
    options.batchSize ?? 64,
    (done) => tell({ embedded: done }),
  );
  pending.forEach((chunkIndex, j) => (vectors[chunkIndex] = fresh[j]!));
  report.embedded = pending.length;
  tell({ phase: 'saving', embedded: pending.length });

  const dims = vectors.find((v) => v)?.length ?? options.embedder.dimensions;
  const flat = new Float32Array(chunks.length * dims);
  vectors.forEach((v, i) => flat.set(v!, i * dims));

  const searchable = chunks.map((c, i) => ({ c, i })).filter(({ c }) => c.kind !== 'title');
  const store =
    searchable.length > 0
      ? await buildVectorStore(
          options.embedder.embeddings,
          dims,
          searchable.map(({ c, i }) => ({ vector: vectors[i]!, chunkId: c.id, text: c.text })),
        )
      : null;
  const keyword = buildKeywordIndex(chunks.map((c) => (c.kind === 'title' ? '' : indexText(c))));
  const sentences = chunks.reduce((n, c) => n + c.sentences.length, 0);
  const manifest: Manifest = {
    version: INDEX_FORMAT_VERSION,
    pipelineVersion: PIPELINE_VERSION,
    builtAt: now().toISOString(),
    corpusHash: corpusHash(hashes),
    embedder: { id: options.embedder.id, dimensions: dims },
    chunking: { maxChars: chunking.maxChars, overlapSentences: 0 },
    counts: { documents: documents.length, chunks: chunks.length, sentences },
    documents: documents.map((d) => ({
      docId: d.meta.docId,
      hash: d.meta.hash,
      title: d.meta.title,
    })),
  };
  const facts = extractFacts(documents, chunks);
  await saveIndex(
    options.indexDir,
    { manifest, documents, chunks, keyword, vectors: flat, facts },
    store,
  );
  report.documents = documents.length;
  report.chunks = chunks.length;
  report.ms = Date.now() - started;
  return report;
}

/**
 * Version of the document pipeline (cleaning, metadata, sections, chunking). Bump it when
 * their output changes: documents are then prepared again even when their files did not
 * change, and `npm start` sees the index as stale.
 */
export const PIPELINE_VERSION = 24;

/** Hash of the corpus: the pipeline version and every document's id and content hash, in order. */
export function corpusHash(entries: Array<[string, string]>): string {
  return sha256(
    [`pipeline ${PIPELINE_VERSION}`, ...entries.map(([id, hash]) => `${id}\t${hash}`)].join('\n'),
  );
}

/** The corpus hash of the files on disk now (to tell whether the index is stale). */
export async function currentCorpusHash(corpusDir: string): Promise<string> {
  const entries: Array<[string, string]> = [];
  for (const file of await listCorpus(corpusDir)) {
    try {
      entries.push([file.docId, (await readSource(file)).hash]);
    } catch {
      // unreadable files are skipped by ingest too
    }
  }
  return corpusHash(entries);
}
