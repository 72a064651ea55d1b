/**
 * The server the widget's browser tests talk to: the real app (createApp) on port 0 serving
 * web/, answering with the real engine over an index ingested from corpus/ into a temp dir.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig, PROJECT_ROOT } from '../../src/config.js';
import { ensureIndex, loadEngine } from '../../src/engine.js';
import type { Engine } from '../../src/engine-types.js';
import { removeDataDirs, startServer, type TestServer } from './server.js';

export interface WidgetServer {
  url: string;
  server: TestServer;
  close(): Promise<void>;
}

/** Settings that keep a browser run from hitting the limits meant for the public. */
const TEST_ENV = { RATE_LIMIT_PER_MINUTE: '0', SESSION_RATE_LIMIT_PER_MINUTE: '0', WS_MAX_PER_IP: '0' };

/** Ingests corpus/ into a temp dir and loads the real engine. */
async function realEngine(): Promise<{ engine: Engine; cleanup: () => void }> {
  const indexDir = mkdtempSync(path.join(tmpdir(), 'wenzheng-widget-index-'));
  const config = loadConfig({ root: PROJECT_ROOT, env: { LOG_LEVEL: 'silent', INDEX_DIR: indexDir } });
  await ensureIndex(config);
  const engine = await loadEngine(config);
  return { engine, cleanup: () => rmSync(indexDir, { recursive: true, force: true }) };
}

/** Starts the app for the widget tests; `await close()` in afterAll. */
export async function startWidgetServer(): Promise<WidgetServer> {
  const real = await realEngine();
  const server = await startServer({ engine: real.engine, env: TEST_ENV }).catch((error: unknown) => {
    real.cleanup();
    throw error;
  });
  return {
    url: server.url,
    server,
    async close() {
      await server.close();
      real.cleanup();
      removeDataDirs();
    },
  };
}
