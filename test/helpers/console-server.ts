/**
 * The real server with the operator console, as src/main.ts composes it: a temporary
 * corpus (the seed report), INDEX_DIR and DATA_DIR, the ingest child process, port 0.
 * Also a small client that signs in and sends the CSRF token, as the console page does.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createOperatorConsole, type OperatorConsole } from '../../src/admin/console.js';
import { hashPassword } from '../../src/admin/passwords.js';
import type { Role } from '../../src/admin/store.js';
import { loadConfig, PROJECT_ROOT, type Config } from '../../src/config.js';
import { createApp, type WenzhengApp } from '../../src/server/app.js';
import { createLogger } from '../../src/server/logger.js';
import { openStorage } from '../../src/store/storage.js';
import { SEED } from './corpus.js';

export interface ConsoleServer {
  url: string;
  config: Readonly<Config>;
  wenzheng: WenzhengApp;
  operatorConsole: OperatorConsole;
  corpusDir: string;
  /** Adds a console account (what npm run admin -- add does). */
  addUser(name: string, password: string, role?: Role): Promise<void>;
  close(): Promise<void>;
}

export interface ConsoleServerOptions {
  env?: Record<string, string>;
  /** Files copied into the corpus. @default the seed report */
  corpus?: string[];
  /** Use these folders (a restart); they are not removed on close. */
  dirs?: { corpusDir: string; indexDir: string; dataDir: string };
  /** Wait for the start-up job (the index build) before returning. @default true */
  waitForJobs?: boolean;
}

/** Starts the server and waits for its start-up job (the first index build). */
export async function startConsoleServer(
  options: ConsoleServerOptions = {},
): Promise<ConsoleServer> {
  const dirs = options.dirs ?? {
    corpusDir: mkdtempSync(path.join(tmpdir(), 'wz-console-corpus-')),
    indexDir: mkdtempSync(path.join(tmpdir(), 'wz-console-index-')),
    dataDir: mkdtempSync(path.join(tmpdir(), 'wz-console-data-')),
  };
  if (!options.dirs)
    for (const f of options.corpus ?? [SEED])
      copyFileSync(f, path.join(dirs.corpusDir, path.basename(f)));
  const config = loadConfig({
    root: PROJECT_ROOT,
    env: {
      LOG_LEVEL: 'silent',
      HOST: '127.0.0.1',
      CORPUS_DIR: dirs.corpusDir,
      INDEX_DIR: dirs.indexDir,
      DATA_DIR: dirs.dataDir,
      RATE_LIMIT_PER_MINUTE: '0',
      SESSION_RATE_LIMIT_PER_MINUTE: '0',
      ANSWER_CACHE_SIZE: '100',
      // Builds at the test's own priority: the suite runs many processes on two cores, and a
      // lowered build could wait minutes (the priority itself is tested in ingest-child.test).
      INGEST_NICENESS: '0',
      ...options.env,
    },
  });
  const logger = createLogger({ level: config.LOG_LEVEL });
  // DATABASE_URL in env: PostgreSQL, as src/main.ts opens it; otherwise SQLite in DATA_DIR.
  const storage = await openStorage({ config });
  let app: WenzhengApp | null = null;
  const operatorConsole = createOperatorConsole({
    config,
    storage,
    logger,
    publish: (engine) => void app?.setEngine(engine),
  });
  app = createApp({
    config,
    store: storage.createLog(),
    logger,
    adminApi: operatorConsole.api,
    settings: () => operatorConsole.siteSettings(),
  });
  const wenzheng = app;
  await new Promise<void>((resolve) => wenzheng.server.listen(0, '127.0.0.1', resolve));
  await operatorConsole.start();
  if (options.waitForJobs !== false) await operatorConsole.jobs.idle();
  const { port } = wenzheng.server.address() as AddressInfo;
  let closed = false;
  return {
    url: `http://127.0.0.1:${port}`,
    config,
    wenzheng,
    operatorConsole,
    corpusDir: dirs.corpusDir,
    async addUser(name, password, role = 'editor') {
      await operatorConsole.stores.users.add(name, role, await hashPassword(password));
    },
    async close() {
      if (closed) return;
      closed = true;
      await operatorConsole.jobs.idle();
      await wenzheng.shutdown({ timeoutMs: 2000 });
      await operatorConsole.close();
      if (!options.dirs)
        for (const d of Object.values(dirs)) rmSync(d, { recursive: true, force: true });
    },
  };
}

/** A signed-in console client: keeps the cookie and sends X-CSRF-Token on changes. */
export interface ConsoleClient {
  csrfToken: string;
  cookie: string;
  request(method: string, route: string, body?: unknown): Promise<Response>;
  json<T = Record<string, unknown>>(method: string, route: string, body?: unknown): Promise<T>;
  /** Polls a job until it finishes (jobs run in the child process; no fixed wait). */
  waitForJob(jobId: string): Promise<Record<string, unknown>>;
}

export async function signIn(url: string, name: string, password: string): Promise<ConsoleClient> {
  const res = await fetch(`${url}/api/admin/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, password }),
  });
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  const client: ConsoleClient = {
    csrfToken,
    cookie,
    request(method, route, body) {
      const headers: Record<string, string> = { cookie, 'x-csrf-token': csrfToken };
      let payload: BodyInit | undefined;
      if (body instanceof FormData) payload = body;
      else if (body !== undefined) {
        headers['content-type'] = 'application/json';
        payload = JSON.stringify(body);
      }
      return fetch(`${url}/api/admin${route}`, {
        method,
        headers,
        ...(payload ? { body: payload } : {}),
      });
    },
    async json(method, route, body) {
      const res = await client.request(method, route, body);
      return (await res.json()) as never;
    },
    async waitForJob(jobId) {
      for (;;) {
        const job = await client.json('GET', `/jobs/${jobId}`);
        if (job['state'] === 'done' || job['state'] === 'failed') return job;
        await new Promise((r) => setTimeout(r, 100));
      }
    },
  };
  return client;
}
