/**
 * The one owner of the on-disk index format, both directions. Layout of INDEX_DIR:
 *   current/  manifest.json · documents.json · chunks.json · keyword.json · vectors.bin
 *             · facts.json (the staff console's figures, read by readFacts)
 *             + HNSWLib's hnswlib.index · args.json · docstore.json
 * Writing is atomic: everything is built in a temporary sibling folder, published as a new
 * immutable version and `current` switched to it, so a failed ingest leaves the previous
 * index serving. Reading resolves `current` once, so one load never mixes two versions.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { HNSWLib } from '@langchain/community/vectorstores/hnswlib';
import type { Embeddings } from '@langchain/core/embeddings';
import type { Manifest } from './engine-types.js';
import { AppError } from './errors.js';
import type { Fact } from './facts/fact.js';
import type { KeywordIndexData } from './retrieval/keyword.js';
import type { Chunk, DocumentMeta } from './types.js';
import {
  liveDir,
  newVersionId,
  publishVersion,
  pruneVersions,
} from './shared-state/index-versions.js';

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
  /** The version folder it was read from (`current` for a plain folder of the older layout). */
  version: string;
}

export function currentDir(indexDir: string): string {
  return path.join(indexDir, 'current');
}

export function hasIndex(indexDir: string): boolean {
  return existsSync(path.join(currentDir(indexDir), 'manifest.json'));
}

const REBUILD = '请运行 npm run ingest 重建索引。';

/** INDEX_DAMAGED naming each damaged file of `dir` and the command that rebuilds them. */
function damaged(dir: string, problems: string[]): AppError {
  return new AppError('INDEX_DAMAGED', {
    message: `索引文件已损坏（${dir}）：${problems.join('；')}。${REBUILD}`,
    detail: problems.join('; '),
  });
}

/** A file's text, or why it cannot be used. */
async function readText(file: string): Promise<{ text: string } | { problem: string }> {
  const name = path.basename(file);
  try {
    const text = await readFile(file, 'utf8');
    return text.trim() === '' ? { problem: `${name} 为空` } : { text };
  } catch (error) {
    return {
      problem:
        (error as { code?: string }).code === 'ENOENT'
          ? `${name} 缺失`
          : `${name} 无法读取（${(error as Error).message}）`,
    };
  }
}

/** A JSON file, or why it cannot be used. */
async function readJson(file: string): Promise<{ value: unknown } | { problem: string }> {
  const read = await readText(file);
  if ('problem' in read) return read;
  try {
    return { value: JSON.parse(read.text) as unknown };
  } catch {
    return { problem: `${path.basename(file)} 不是有效的 JSON（文件不完整或已损坏）` };
  }
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export async function readManifest(indexDir: string): Promise<Manifest | null> {
  return readManifestIn(liveDir(indexDir));
}

async function readManifestIn(dir: string): Promise<Manifest | null> {
  const file = path.join(dir, 'manifest.json');
  if (!existsSync(file)) return null;
  const read = await readJson(file);
  if ('problem' in read) throw damaged(dir, [read.problem]);
  const m = read.value;
  if (
    !isObject(m) ||
    typeof m.version !== 'number' ||
    !isObject(m.embedder) ||
    !isObject(m.counts)
  ) {
    throw damaged(dir, ['manifest.json 缺少版本、向量模型或数量信息']);
  }
  return m as unknown as Manifest;
}

/** Stands for a file that could not be read at all (its problem is already listed). */
const UNREAD = Symbol('unread');

/**
 * What is wrong with each index file that could be read (empty when nothing is), checked
 * against the manifest's counts.
 */
function checkFiles(
  manifest: Manifest,
  documents: unknown,
  chunks: unknown,
  keyword: unknown,
  vectorBytes: number | null,
): string[] {
  const problems: string[] = [];
  const { counts } = manifest;
  if (documents === UNREAD) {
    // listed already
  } else if (
    !Array.isArray(documents) ||
    documents.some((d) => !isObject(d) || !isObject(d.meta) || typeof d.text !== 'string')
  ) {
    problems.push('documents.json 内容不是文档列表');
  } else if (documents.length !== counts.documents) {
    problems.push(`documents.json 有 ${documents.length} 篇文档，清单记录 ${counts.documents} 篇`);
  }
  const chunkList = Array.isArray(chunks) ? chunks : null;
  if (chunks === UNREAD) {
    // listed already
  } else if (
    !chunkList ||
    chunkList.some(
      (c) =>
        !isObject(c) ||
        typeof c.id !== 'string' ||
        typeof c.text !== 'string' ||
        !Array.isArray(c.sentences),
    )
  ) {
    problems.push('chunks.json 内容不是段落列表');
  } else if (chunkList.length !== counts.chunks) {
    problems.push(`chunks.json 有 ${chunkList.length} 个段落，清单记录 ${counts.chunks} 个`);
  }
  if (keyword === UNREAD) {
    // listed already
  } else if (!isObject(keyword) || !isObject(keyword.postings) || !Array.isArray(keyword.lengths)) {
    problems.push('keyword.json 内容不是关键词索引');
  } else if (keyword.lengths.length !== counts.chunks) {
    problems.push(
      `keyword.json 覆盖 ${keyword.lengths.length} 个段落，清单记录 ${counts.chunks} 个`,
    );
  }
  if (vectorBytes !== null && vectorBytes !== counts.chunks * manifest.embedder.dimensions * 4) {
    problems.push(
      `vectors.bin 大小 ${vectorBytes} 字节，应为 ${counts.chunks * manifest.embedder.dimensions * 4} 字节`,
    );
  }
  return problems;
}

/**
 * Writes a complete index into a temporary folder, publishes it as a new version, points
 * `current` at it and removes the versions no replica serves. Returns the version id.
 */
export async function saveIndex(
  indexDir: string,
  files: IndexFiles,
  store: HNSWLib | null,
): Promise<string> {
  await mkdir(indexDir, { recursive: true });
  const version = newVersionId();
  const tmp = path.join(indexDir, `.build-${version}`);
  try {
    await mkdir(tmp, { recursive: true });
    if (store) await store.save(tmp);
    await Promise.all([
      writeFile(path.join(tmp, 'documents.json'), JSON.stringify(files.documents)),
      writeFile(path.join(tmp, 'chunks.json'), JSON.stringify(files.chunks)),
      writeFile(path.join(tmp, 'keyword.json'), JSON.stringify(files.keyword)),
      writeFile(
        path.join(tmp, 'vectors.bin'),
        Buffer.from(files.vectors.buffer, files.vectors.byteOffset, files.vectors.byteLength),
      ),
      ...(files.facts
        ? [writeFile(path.join(tmp, 'facts.json'), JSON.stringify(files.facts))]
        : []),
    ]);
    // The manifest goes last: a folder without one is never treated as an index.
    await writeFile(path.join(tmp, 'manifest.json'), JSON.stringify(files.manifest, null, 2));
    await publishVersion(indexDir, tmp, version);
  } catch (error) {
    await rm(tmp, { recursive: true, force: true });
    throw error;
  }
  // Removing unused versions is housekeeping: the new index is published whatever happens.
  await pruneVersions(indexDir).catch(() => []);
  return version;
}

export interface LoadIndexOptions {
  embeddings: Embeddings;
  embedderId: string;
}

/**
 * Loads the index; fails with INDEX_MISSING, INDEX_MISMATCH or INDEX_DAMAGED (which names
 * every damaged file: missing, empty, not JSON, not matching the manifest's counts, an
 * HNSW index that will not load); all three say to run npm run ingest.
 */
export async function loadIndex(indexDir: string, options: LoadIndexOptions): Promise<LoadedIndex> {
  const dir = liveDir(indexDir);
  const manifest = await readManifestIn(dir);
  if (!manifest) {
    throw new AppError('INDEX_MISSING', {
      message: `索引不存在（${dir}），请先运行 npm run ingest。`,
    });
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
  // Every file is read and checked before any fails, so the message names all damaged ones.
  const [documents, chunks, keyword, vectorBytes] = await Promise.all([
    readJson(path.join(dir, 'documents.json')),
    readJson(path.join(dir, 'chunks.json')),
    readJson(path.join(dir, 'keyword.json')),
    readFile(path.join(dir, 'vectors.bin')).catch(() => null),
  ]);
  const problems: string[] = [];
  for (const read of [documents, chunks, keyword])
    if ('problem' in read) problems.push(read.problem);
  if (!vectorBytes) problems.push('vectors.bin 缺失或无法读取');
  const value = (read: { value: unknown } | { problem: string }) =>
    'value' in read ? read.value : UNREAD;
  problems.push(
    ...checkFiles(
      manifest,
      value(documents),
      value(chunks),
      value(keyword),
      vectorBytes?.byteLength ?? null,
    ),
  );
  const hasHnsw = existsSync(path.join(dir, 'hnswlib.index'));
  let store: HNSWLib | null = null;
  if (hasHnsw) {
    try {
      store = await HNSWLib.load(dir, options.embeddings);
    } catch (error) {
      problems.push(
        `向量索引（hnswlib.index、args.json、docstore.json）无法加载（${(error as Error).message}）`,
      );
    }
  } else if (
    Array.isArray(value(chunks)) &&
    (value(chunks) as Chunk[]).some((c) => c.kind !== 'title')
  ) {
    problems.push('hnswlib.index 缺失');
  }
  if (problems.length > 0) throw damaged(dir, problems);
  const bytes = vectorBytes!;
  const vectors = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  store ??= new HNSWLib(options.embeddings, {
    space: 'cosine',
    numDimensions: manifest.embedder.dimensions,
  });
  return {
    manifest,
    documents: value(documents) as StoredDocument[],
    chunks: value(chunks) as Chunk[],
    keyword: value(keyword) as KeywordIndexData,
    vectors,
    store,
    version: path.basename(dir),
  };
}

/** The facts of the live index, or null when it has none (built before facts existed). */
export async function readFacts(indexDir: string): Promise<Fact[] | null> {
  const file = path.join(currentDir(indexDir), 'facts.json');
  if (!existsSync(file)) return null;
  const read = await readJson(file);
  if ('problem' in read) throw damaged(currentDir(indexDir), [read.problem]);
  if (!Array.isArray(read.value))
    throw damaged(currentDir(indexDir), ['facts.json 内容不是数据列表']);
  return read.value as Fact[];
}
