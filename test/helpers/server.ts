/**
 * Starts the real app on 127.0.0.1 port 0 with a temporary DATA_DIR, and closes it (and
 * every socket the test opened) afterwards.
 */
import { afterEach } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { WebSocket, type ClientOptions } from 'ws';
import { loadConfig, PROJECT_ROOT, type Config } from '../../src/config.js';
import type { Engine } from '../../src/engine-types.js';
import { createApp, type AppDeps, type WenzhengApp } from '../../src/server/app.js';
import { createLogStore } from '../../src/server/log-store.js';
import { createLogger } from '../../src/server/logger.js';

export interface TestServer {
  url: string;
  wsUrl: string;
  config: Readonly<Config>;
  wenzheng: WenzhengApp;
  dataDir: string;
  /** Opens a client socket that close() terminates. */
  connect(options?: ClientOptions): WebSocket;
  /** Shuts the server down (keeps DATA_DIR for a restart). */
  close(): Promise<void>;
}

export interface StartServerOptions {
  engine?: Engine;
  /** Settings as environment strings, e.g. { RATE_LIMIT_PER_MINUTE: '2' }. */
  env?: Record<string, string>;
  /** Reuse a DATA_DIR (to test a restart). */
  dataDir?: string;
  webDir?: string;
  ssePingMs?: number;
  settings?: AppDeps['settings'];
  /** The question log. @default SQLite in the DATA_DIR */
  store?: AppDeps['store'];
}

const dataDirs: string[] = [];

/** Starts a server; remember to `await server.close()` (and `removeDataDirs()` in afterAll). */
export async function startServer(options: StartServerOptions = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? mkdtempSync(path.join(tmpdir(), 'wenzheng-data-'));
  if (!options.dataDir) dataDirs.push(dataDir);
  const config = loadConfig({
    root: PROJECT_ROOT,
    env: { LOG_LEVEL: 'silent', DATA_DIR: dataDir, HOST: '127.0.0.1', ...options.env },
  });
  const logger = createLogger({ level: config.LOG_LEVEL });
  const deps: AppDeps = {
    config,
    store: options.store ?? createLogStore({ dir: config.DATA_DIR }),
    logger,
    ...(options.engine ? { engine: options.engine } : {}),
    ...(options.webDir ? { webDir: options.webDir } : {}),
    ...(options.ssePingMs !== undefined ? { ssePingMs: options.ssePingMs } : {}),
    ...(options.settings ? { settings: options.settings } : {}),
  };
  const wenzheng = createApp(deps);
  await new Promise<void>((resolve) => wenzheng.server.listen(0, '127.0.0.1', resolve));
  const { port } = wenzheng.server.address() as AddressInfo;
  const clients = new Set<WebSocket>();
  let closed = false;
  return {
    url: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}/ws`,
    config,
    wenzheng,
    dataDir,
    connect(clientOptions) {
      const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, clientOptions);
      ws.on('error', () => {});
      clients.add(ws);
      return ws;
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const ws of clients) ws.terminate();
      await wenzheng.shutdown({ timeoutMs: 2000 });
    },
  };
}

/** Deletes the DATA_DIRs startServer created. */
/** A `startServer` whose servers are closed after each test of the calling file. */
export function serversClosedAfterEach(): (options?: StartServerOptions) => Promise<TestServer> {
  const open: TestServer[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
  });
  return async (options) => {
    const server = await startServer(options);
    open.push(server);
    return server;
  };
}

export function removeDataDirs(): void {
  for (const dir of dataDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}
