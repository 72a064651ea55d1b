/**
 * The server the widget's browser tests talk to: the real app (createApp) on port 0 serving
 * web/. It answers with the real engine over an index ingested from corpus/ into a temp dir;
 * WIDGET_ENGINE=canned swaps in the canned engine (UI work without the answering core).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig, PROJECT_ROOT } from '../../src/config.js';
import { ensureIndex, loadEngine } from '../../src/engine.js';
import type { Engine } from '../../src/engine-types.js';
import { removeDataDirs, startServer, type TestServer } from './server.js';
import { createCannedEngine } from './widget-canned-engine.js';

export interface WidgetServer {
  url: string;
  /** 'real' (src/engine.ts over an index ingested from corpus/) or 'canned'. */
  engineKind: 'real' | 'canned';
  server: TestServer;
  close(): Promise<void>;
}

/** Settings that keep a browser run from hitting the limits meant for the public. */
const TEST_ENV = { RATE_LIMIT_PER_MINUTE: '0', SESSION_RATE_LIMIT_PER_MINUTE: '0', WS_MAX_PER_IP: '0' };

/** Ingests corpus/ into a temp dir and loads the real engine (skipped with WIDGET_ENGINE=canned). */
async function realEngine(): Promise<{ engine: Engine; cleanup: () => void } | null> {
  if (process.env['WIDGET_ENGINE'] === 'canned') return null;
  const indexDir = mkdtempSync(path.join(tmpdir(), 'wenzheng-widget-index-'));
  const config = loadConfig({ root: PROJECT_ROOT, env: { LOG_LEVEL: 'silent', INDEX_DIR: indexDir } });
  await ensureIndex(config);
  const engine = await loadEngine(config);
  return { engine, cleanup: () => rmSync(indexDir, { recursive: true, force: true }) };
}

/** Starts the app for the widget tests; `await close()` in afterAll. */
export async function startWidgetServer(): Promise<WidgetServer> {
  const real = await realEngine();
  const engine = real?.engine ?? createCannedEngine();
  const server = await startServer({ engine, env: TEST_ENV });
  return {
    url: server.url,
    engineKind: real ? 'real' : 'canned',
    server,
    async close() {
      await server.close();
      real?.cleanup();
      removeDataDirs();
    },
  };
}
