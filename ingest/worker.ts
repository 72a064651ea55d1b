/**
 * The ingest child process: src/admin/ingest-child.ts forks this file with its own heap
 * limit, sends one BuildRequest over IPC, and gets progress messages and one result back.
 * Parsing Word and PDF files, embedding and writing the index never run in the serving
 * process, so a file that blows up the heap kills this child, never the answers.
 */
import type { EmbedderConfig } from '../src/embeddings/index.js';
import { createEmbedder } from '../src/embeddings/index.js';
import { toAppError } from '../src/errors.js';
import { hasIndex, readManifest } from '../src/index-store.js';
import type { IngestLimits } from './file-errors.js';
import {
  buildIndex,
  currentCorpusHash,
  RequiredDocumentError,
  type IngestProgress,
  type IngestReport,
} from './build-index.js';

/** What the parent asks the child to build. */
export interface BuildRequest {
  corpusDir: string;
  indexDir: string;
  embedder: EmbedderConfig;
  batchSize: number;
  full?: boolean;
  requireDocs?: string[];
  /** Build only when the corpus changed since the index was built (start-up). */
  onlyIfStale?: boolean;
  /** What a file may expand to (INGEST_MAX_*). @default DEFAULT_INGEST_LIMITS */
  limits?: IngestLimits;
}

/** What the child sends back. */
export type WorkerMessage =
  | { type: 'progress'; progress: IngestProgress }
  | { type: 'done'; report: IngestReport | null }
  | {
      type: 'failed';
      code: string;
      message: string;
      failures: Array<{ docId: string; reason: string }>;
    };

/** Progress is sent at most this often (a thousand files would be a thousand messages). */
const PROGRESS_EVERY_MS = 100;

/** Runs one build; `send` receives the messages the parent would. */
export async function runBuild(
  request: BuildRequest,
  send: (message: WorkerMessage) => void,
): Promise<void> {
  try {
    if (request.onlyIfStale && hasIndex(request.indexDir)) {
      const manifest = await readManifest(request.indexDir);
      if (manifest && manifest.corpusHash === (await currentCorpusHash(request.corpusDir))) {
        send({ type: 'done', report: null });
        return;
      }
    }
    let last = 0;
    const report = await buildIndex({
      corpusDir: request.corpusDir,
      indexDir: request.indexDir,
      embedder: createEmbedder(request.embedder),
      batchSize: request.batchSize,
      full: request.full ?? false,
      requireDocs: request.requireDocs ?? [],
      ...(request.limits ? { limits: request.limits } : {}),
      onProgress(progress) {
        const now = Date.now();
        if (now - last < PROGRESS_EVERY_MS && progress.phase !== 'saving') return;
        last = now;
        send({ type: 'progress', progress: { ...progress } });
      },
    });
    send({ type: 'done', report });
  } catch (error) {
    const appError = toAppError(error);
    const failures = error instanceof RequiredDocumentError ? error.failures : [];
    const message =
      appError.code === 'INTERNAL' && error instanceof Error
        ? `${appError.message}（${error.message}）`
        : appError.message;
    send({ type: 'failed', code: appError.code, message, failures });
  }
}

if (process.send) {
  process.once('message', (request: BuildRequest) => {
    void runBuild(request, (message) => process.send!(message)).finally(() => process.disconnect());
  });
}
