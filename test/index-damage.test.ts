/**
 * A damaged index is named file by file, in Chinese, with the command that rebuilds it,
 * instead of 「服务内部错误」; and /readyz is 200 only when a question can really be
 * answered (the self-test), so an index with no passages is not reported ready.
 */
import { cpSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildIndex } from '../ingest/build-index.js';
import { loadConfig, PROJECT_ROOT } from '../src/config.js';
import { createEmbedder } from '../src/embeddings/index.js';
import { createEngine, loadEngine } from '../src/engine.js';
import { currentDir, loadIndex } from '../src/index-store.js';
import { selfTest } from '../src/self-test.js';
import { removeDataDirs, serversClosedAfterEach } from './helpers/server.js';

const serve = serversClosedAfterEach();
let work: string;
let good: string;
const config = (indexDir: string) =>
  loadConfig({ root: PROJECT_ROOT, env: { LOG_LEVEL: 'silent', INDEX_DIR: indexDir } });

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'wenzheng-damage-'));
  good = path.join(work, 'good');
  const c = config(good);
  await buildIndex({ corpusDir: c.CORPUS_DIR, indexDir: good, embedder: createEmbedder(c) });
}, 60_000);
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  removeDataDirs();
});

let copies = 0;
/** A copy of the good index with `damage` applied to its live folder. */
function damagedCopy(damage: (dir: string) => void): string {
  const indexDir = path.join(work, `copy-${++copies}`);
  // verbatimSymlinks: `current` links to a version folder of the copy, not of the original.
  cpSync(good, indexDir, { recursive: true, verbatimSymlinks: true });
  damage(currentDir(indexDir));
  return indexDir;
}

async function loadError(indexDir: string): Promise<{ code: string; message: string }> {
  const embedder = createEmbedder(config(indexDir));
  try {
    await loadIndex(indexDir, { embeddings: embedder.embeddings, embedderId: embedder.id });
  } catch (error) {
    return error as { code: string; message: string };
  }
  throw new Error('the damaged index loaded');
}

describe('damaged index files', () => {
  const cases: Array<[string, (dir: string) => void, string[]]> = [
    [
      'an empty keyword.json',
      (d) => writeFileSync(path.join(d, 'keyword.json'), ''),
      ['keyword.json 为空'],
    ],
    [
      'an empty chunks.json',
      (d) => writeFileSync(path.join(d, 'chunks.json'), ''),
      ['chunks.json 为空'],
    ],
    [
      'a chunks.json with no passages',
      (d) => writeFileSync(path.join(d, 'chunks.json'), '[]'),
      ['chunks.json 有 0 个段落'],
    ],
    [
      'a half-written documents.json',
      (d) => truncateSync(path.join(d, 'documents.json'), 100),
      ['documents.json 不是有效的 JSON'],
    ],
    [
      'a truncated vectors.bin',
      (d) => truncateSync(path.join(d, 'vectors.bin'), 1000),
      ['vectors.bin 大小 1000 字节'],
    ],
    [
      'a missing hnswlib.index',
      (d) => rmSync(path.join(d, 'hnswlib.index')),
      ['hnswlib.index 缺失'],
    ],
    [
      'a damaged manifest.json',
      (d) => writeFileSync(path.join(d, 'manifest.json'), '{"version":'),
      ['manifest.json 不是有效的 JSON'],
    ],
    [
      'two files at once',
      (d) => {
        writeFileSync(path.join(d, 'keyword.json'), '');
        writeFileSync(path.join(d, 'documents.json'), '{}');
      },
      ['keyword.json 为空', 'documents.json 内容不是文档列表'],
    ],
  ];
  for (const [name, damage, expected] of cases) {
    it(`names ${name} and says to run npm run ingest`, async () => {
      const error = await loadError(damagedCopy(damage));
      expect(error.code).toBe('INDEX_DAMAGED');
      for (const text of expected) expect(error.message).toContain(text);
      expect(error.message).toContain('npm run ingest');
      expect(error.message).not.toContain('服务内部错误');
    });
  }

  it('loads the good index and passes the self-test', async () => {
    const engine = await loadEngine(config(good));
    expect(await selfTest(engine)).toMatchObject({ ok: true });
  });

  it('is not ready when the self-test question finds nothing', async () => {
    const embedder = createEmbedder(config(good));
    const index = await loadIndex(good, {
      embeddings: embedder.embeddings,
      embedderId: embedder.id,
    });
    // An index that loads but holds no passages: every question would come back empty.
    const empty = createEngine(config(good), {
      ...index,
      chunks: [],
      keyword: { k1: 1.2, b: 0.75, docCount: 0, avgLength: 0, lengths: [], postings: {} },
      store: null,
      embedder,
    });
    const server = await serve({ engine: empty });
    const res = await fetch(`${server.url}/readyz`);
    expect(res.status).toBe(503);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('INDEX_DAMAGED');
    expect(body.error.message).toContain('npm run ingest');
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);

    expect((await server.wenzheng.setEngine(await loadEngine(config(good)))).ok).toBe(true);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
  });
});
