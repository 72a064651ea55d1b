/**
 * The server the widget's browser tests talk to: the real app (createApp) on port 0 serving
 * web/, answering with the real engine over an index ingested from a copy of corpus/ (with a
 * sidecar giving the seed report an original address) into a temp dir.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig, PROJECT_ROOT } from '../../src/config.js';
import { ensureIndex, loadEngine, type SmallTalkReplies } from '../../src/engine.js';
import type { Engine } from '../../src/engine-types.js';
import { smallTalkReplies, type SiteSettings } from '../../src/server/site-settings.js';
import { removeDataDirs, startServer, type TestServer } from './server.js';

export interface WidgetServer {
  url: string;
  server: TestServer;
  close(): Promise<void>;
}

export interface WidgetServerOptions {
  /** The operator's settings, read per request. @default from config */
  settings?: () => SiteSettings;
}

/** The original address the fixture's sidecar gives the seed report (a test address). */
export const SEED_SOURCE_URL = 'https://www.example.gov.cn/shanxi/2021-fzzf-report.html';

/** Settings that keep a browser run from hitting the limits meant for the public. */
const TEST_ENV = {
  RATE_LIMIT_PER_MINUTE: '0',
  SESSION_RATE_LIMIT_PER_MINUTE: '0',
  WS_MAX_PER_IP: '0',
};

/** Ingests a copy of corpus/ (plus a sidecar with sourceUrl) into a temp dir and loads the real engine. */
async function realEngine(
  replies?: () => SmallTalkReplies,
): Promise<{ engine: Engine; cleanup: () => void }> {
  const work = mkdtempSync(path.join(tmpdir(), 'wenzheng-widget-'));
  const corpusDir = path.join(work, 'corpus');
  cpSync(path.join(PROJECT_ROOT, 'corpus'), corpusDir, { recursive: true });
  writeFileSync(
    path.join(corpusDir, 'shanxi-2021-law-based-government-report.meta.json'),
    JSON.stringify({ sourceUrl: SEED_SOURCE_URL }),
  );
  const config = loadConfig({
    root: PROJECT_ROOT,
    env: { LOG_LEVEL: 'silent', INDEX_DIR: path.join(work, 'index'), CORPUS_DIR: corpusDir },
  });
  await ensureIndex(config);
  const engine = await loadEngine(config, replies ? { replies } : {});
  return { engine, cleanup: () => rmSync(work, { recursive: true, force: true }) };
}

/** Starts the app for the widget tests; `await close()` in afterAll. */
export async function startWidgetServer(options: WidgetServerOptions = {}): Promise<WidgetServer> {
  const settings = options.settings;
  // The engine answers small talk with the same settings the server reads (as the console wires it).
  const real = await realEngine(settings ? () => smallTalkReplies(settings()) : undefined);
  const server = await startServer({
    engine: real.engine,
    env: TEST_ENV,
    ...(options.settings ? { settings: options.settings } : {}),
  }).catch((error: unknown) => {
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
