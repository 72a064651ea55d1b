/**
 * The one owner of the on-disk index format, both directions. Layout of INDEX_DIR:
 *   current/  manifest.json · documents.json · chunks.json · keyword.json · vectors.bin
 *             · facts.json (the staff console's figures, read by readFacts)
 *             + HNSWLib's hnswlib.index · args.json · docstore.json
 * Writing is atomic: everything is built in a temporary sibling folder, then swapped in
 * with renames, so a failed ingest leaves the previous index serving.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { HNSWLib } from '@langchain/community/vectorstores/hnswlib';
import type { Embeddings } from '@langchain/core/embeddings';
import type { Manifest } from './engine-types.js';
import { AppError } from './errors.js';
import type { Fact } from './facts/fact.js';
import type { KeywordIndexData } from './retrieval/keyword.js';
import type { Chunk, DocumentMeta } from './types.js';

export const INDEX_FORMAT_VERSION = 1;

export interface StoredDocument {
  meta: DocumentMeta;
  /** The cleaned text that chunk offsets point into. */
  text: string;
}

export interface IndexFiles {
  manifest: Manifest;
  documents: StoredDocument[];
  chunks: Chunk[];
  keyword: KeywordIndexData;
  /** One vector per chunk (title chunks included), in chunk order, flattened. */
  vectors: Float32Array;
  /** Quantitative statements for the staff console (ingest/facts.ts). */
  facts?: Fact[];
}

export interface LoadedIndex extends IndexFiles {
  store: HNSWLib;
}

export function currentDir(indexDir: string): string {
  return path.join(indexDir, 'current');
}

export function hasIndex(indexDir: string): boolean {
  return existsSync(path.join(currentDir(indexDir), 'manifest.json'));
}

export async function readManifest(indexDir: string): Promise<Manifest | null> {
  const file = path.join(currentDir(indexDir), 'manifest.json');
  if (!existsSync(file)) return null;
  return JSON.parse(await readFile(file, 'utf8')) as Manifest;
}

/** Writes a complete index into a temporary folder, then swaps it in. */
export async function saveIndex(indexDir: string, files: IndexFiles, store: HNSWLib | null): Promise<void> {
  await mkdir(indexDir, { recursive: true });
  const stamp = `${Date.now()}-${process.pid}`;
  const tmp = path.join(indexDir, `.build-${stamp}`);
  const old = path.join(indexDir, `.old-${stamp}`);
  try {
    await mkdir(tmp, { recursive: true });
    if (store) await store.save(tmp);
    await Promise.all([
      writeFile(path.join(tmp, 'documents.json'), JSON.stringify(files.documents)),
      writeFile(path.join(tmp, 'chunks.json'), JSON.stringify(files.chunks)),
      writeFile(path.join(tmp, 'keyword.json'), JSON.stringify(files.keyword)),
      writeFile(path.join(tmp, 'vectors.bin'), Buffer.from(files.vectors.buffer, files.vectors.byteOffset, files.vectors.byteLength)),
      ...(files.facts ? [writeFile(path.join(tmp, 'facts.json'), JSON.stringify(files.facts))] : []),
    ]);
    // The manifest goes last: a folder without one is never treated as an index.
    await writeFile(path.join(tmp, 'manifest.json'), JSON.stringify(files.manifest, null, 2));
    const live = currentDir(indexDir);
    if (existsSync(live)) await rename(live, old);
    await rename(tmp, live);
  } catch (error) {
    await rm(tmp, { recursive: true, force: true });
    throw error;
  } finally {
    await rm(old, { recursive: true, force: true });
  }
}

export interface LoadIndexOptions {
  embeddings: Embeddings;
  embedderId: string;
}

/** Loads the index; fails with INDEX_MISSING or INDEX_MISMATCH (both say to run npm run ingest). */
export async function loadIndex(indexDir: string, options: LoadIndexOptions): Promise<LoadedIndex> {
  const dir = currentDir(indexDir);
  const manifest = await readManifest(indexDir);
  if (!manifest) {
    throw new AppError('INDEX_MISSING', { message: `索引不存在（${dir}），请先运行 npm run ingest。` });
  }
  if (manifest.version !== INDEX_FORMAT_VERSION) {
    throw new AppError('INDEX_MISMATCH', {
      message: `索引格式版本 ${manifest.version} 与程序要求的 ${INDEX_FORMAT_VERSION} 不一致，请运行 npm run ingest 重建索引。`,
    });
  }
  if (manifest.embedder.id !== options.embedderId) {
    throw new AppError('INDEX_MISMATCH', {
      message: `索引由向量模型「${manifest.embedder.id}」构建，而当前配置的是「${options.embedderId}」。请运行 npm run ingest 重建索引。`,
      detail: `manifest embedder ${manifest.embedder.id} != configured ${options.embedderId}`,
    });
  }
  const read = (name: string) => readFile(path.join(dir, name), 'utf8').then((s) => JSON.parse(s) as unknown);
  const [documents, chunks, keyword, vectorBytes] = await Promise.all([
    read('documents.json') as Promise<StoredDocument[]>,
    read('chunks.json') as Promise<Chunk[]>,
    read('keyword.json') as Promise<KeywordIndexData>,
    readFile(path.join(dir, 'vectors.bin')),
  ]);
  const vectors = new Float32Array(vectorBytes.buffer, vectorBytes.byteOffset, vectorBytes.byteLength / 4);
  const store = existsSync(path.join(dir, 'hnswlib.index'))
    ? await HNSWLib.load(dir, options.embeddings)
    : new HNSWLib(options.embeddings, { space: 'cosine', numDimensions: manifest.embedder.dimensions });
  return { manifest, documents, chunks, keyword, vectors, store };
}

/** The facts of the live index, or null when it has none (built before facts existed). */
export async function readFacts(indexDir: string): Promise<Fact[] | null> {
  const file = path.join(currentDir(indexDir), 'facts.json');
  if (!existsSync(file)) return null;
  return JSON.parse(await readFile(file, 'utf8')) as Fact[];
}
