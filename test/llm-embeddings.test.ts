/**
 * Remote embeddings through the fake OpenAI-compatible /v1/embeddings: ingest builds a
 * working index, the manifest records the embedder, and another embedder is refused.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { OpenAIEmbeddings } from '@langchain/openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildIndex } from '../ingest/build-index.js';
import { loadConfig, PROJECT_ROOT } from '../src/config.js';
import { ensureIndex, loadEngine } from '../src/engine.js';
import { readManifest } from '../src/index-store.js';
import { FAKE_DIMENSIONS, startFakeOpenAI, type FakeOpenAI } from './helpers/fake-openai.js';
import { KNOWN } from './helpers/real-engine.js';

let fake: FakeOpenAI;
let indexDir: string;

function remoteConfig(env: Record<string, string> = {}) {
  return loadConfig({
    root: PROJECT_ROOT,
    env: {
      INDEX_DIR: indexDir,
      EMBEDDINGS_PROVIDER: 'openai',
      EMBEDDINGS_BASE_URL: fake.url,
      EMBEDDINGS_MODEL: 'fake-embed',
      EMBEDDINGS_API_KEY: 'sk-embed',
      EMBEDDINGS_BATCH_SIZE: '8',
      ...env,
    },
  });
}

beforeAll(async () => {
  fake = await startFakeOpenAI();
  indexDir = mkdtempSync(path.join(tmpdir(), 'wenzheng-remote-index-'));
});
afterAll(async () => {
  await fake.close();
  rmSync(indexDir, { recursive: true, force: true });
});

describe('remote embeddings', () => {
  it('ingest through the embeddings endpoint builds a working index, in batches, retrying a failed call', async () => {
    fake.failEmbeddings(1);
    await ensureIndex(remoteConfig());
    const manifest = (await readManifest(indexDir))!;
    expect(manifest.embedder).toEqual({ id: 'openai:fake-embed', dimensions: FAKE_DIMENSIONS });
    const calls = fake.requests.filter((r) => r.path === '/v1/embeddings');
    // One failed call, retried; every call carries at most EMBEDDINGS_BATCH_SIZE texts.
    expect(calls.length).toBeGreaterThanOrEqual(Math.ceil(manifest.counts.chunks / 8));
    expect(calls.every((c) => (c.body['input'] as string[]).length <= 8)).toBe(true);
    expect(calls[0]!.authorization).toBe('Bearer sk-embed');
    expect(calls[0]!.body['model']).toBe('fake-embed');

    const engine = await loadEngine(remoteConfig());
    const before = fake.embeddingCalls;
    const answer = await engine.ask(KNOWN.proposals.question);
    expect(fake.embeddingCalls).toBeGreaterThan(before); // the question is embedded remotely too
    expect(answer.found).toBe(true);
    expect(answer.answer).toContain(KNOWN.proposals.figure);
  });

  it('refuses to load the index with another embedder, saying to re-ingest', async () => {
    const local = loadConfig({ root: PROJECT_ROOT, env: { INDEX_DIR: indexDir } });
    await expect(loadEngine(local)).rejects.toMatchObject({
      code: 'INDEX_MISMATCH',
      message: expect.stringMatching(/openai:fake-embed[\s\S]*local[\s\S]*npm run ingest/),
    });
    await expect(
      loadEngine(remoteConfig({ EMBEDDINGS_MODEL: 'other-embed' })),
    ).rejects.toMatchObject({
      code: 'INDEX_MISMATCH',
      message: expect.stringContaining('openai:other-embed'),
    });
  });

  it('keeps the previous index serving when the embeddings service fails during ingest', async () => {
    const before = (await readManifest(indexDir))!;
    fake.failEmbeddings(100);
    // Client retries off, so only ingest's own retry (3 attempts per batch) is exercised.
    const embeddings = new OpenAIEmbeddings({
      model: 'fake-embed',
      apiKey: 'x',
      maxRetries: 0,
      configuration: { baseURL: fake.url },
    });
    await expect(
      buildIndex({
        corpusDir: remoteConfig().CORPUS_DIR,
        indexDir,
        embedder: { embeddings, id: 'openai:fake-embed', dimensions: 0 },
        full: true,
      }),
    ).rejects.toMatchObject({ code: 'INGEST_FAILED' });
    fake.failEmbeddings(0);
    expect((await readManifest(indexDir))!.builtAt).toBe(before.builtAt);
    const answer = await (await loadEngine(remoteConfig())).ask(KNOWN.legalAdvice.question);
    expect(answer.answer).toContain(KNOWN.legalAdvice.figure);
  });
});
