/**
 * The composition root, and the only place that listens, handles signals or exits:
 * config → storage (SQLite, or PostgreSQL with its migrations) → question log → operator
 * console → app → listen → index → ready.
 * The server listens while the index loads, so /healthz answers and /readyz says 503
 * until questions can be answered. The index on disk serves at once; a changed corpus
 * (or a missing index) is built in the ingest child process and swapped in when done.
 */
import type { AddressInfo } from 'node:net';
import { withLlm } from './answer/llm-engine.js';
import { loadConfig, type Config } from './config.js';
import { createOperatorConsole, type OperatorConsole } from './admin/console.js';
import { toAppError } from './errors.js';
import { createApp, type WenzhengApp } from './server/app.js';
import { openStorage, type Storage } from './store/storage.js';
import { createLogger, type Logger } from './server/logger.js';

/** How long a graceful shutdown waits for answers in flight before closing anyway. */
const SHUTDOWN_TIMEOUT_MS = 10_000;

function readConfig(): Readonly<Config> {
  try {
    return loadConfig();
  } catch (error) {
    // No logger yet: the config decides the log level. The message lists every problem.
    console.error(toAppError(error).message);
    process.exit(1);
  }
}

function handleSignals(
  wenzheng: WenzhengApp,
  operatorConsole: OperatorConsole,
  logger: Logger,
): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'shutting down');
    // The question log writes what is pending, then the storage (the pool) closes.
    wenzheng
      .shutdown({ timeoutMs: SHUTDOWN_TIMEOUT_MS })
      .then(() => operatorConsole.close())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

async function main(): Promise<void> {
  const config = readConfig();
  const logger = createLogger({ level: config.LOG_LEVEL });
  process.on('uncaughtException', (error) => {
    logger.fatal({ err: error }, 'uncaught exception');
    process.exit(1);
  });
  if (config.ALLOWED_ORIGINS.length === 0 && config.NODE_ENV === 'production') {
    logger.warn('ALLOWED_ORIGINS is empty: any website may embed the widget and call the API');
  }
  if (config.ADMIN_TOKEN === '')
    logger.info('ADMIN_TOKEN is empty: /api/admin routes are disabled');

  // PostgreSQL (DATABASE_URL) must be reachable at start: the migrations run before
  // anything reads the schema. Once running, an outage only degrades the question log.
  let storage: Storage;
  try {
    storage = await openStorage({ config, logger: logger.child({ component: 'database' }) });
  } catch (error) {
    const appError = toAppError(error);
    logger.fatal(
      { err: appError.cause ?? appError, code: appError.code, detail: appError.detail },
      `无法打开数据库：${appError.detail ?? appError.message}。请检查 DATABASE_URL 和数据库服务（不设置 DATABASE_URL 则使用 DATA_DIR 中的 SQLite 文件）。`,
    );
    process.exit(1);
  }
  if (storage.kind === 'postgres') logger.info({ where: storage.where }, 'state in PostgreSQL');
  // The store never throws: a database that cannot be written leaves it degraded (see /readyz).
  const store = storage.createLog({
    maxPending: config.LOG_STORE_MAX_PENDING,
    retryMaxMs: config.LOG_STORE_RETRY_MAX_MS,
    logger: logger.child({ component: 'log-store' }),
  });
  let wenzheng: WenzhengApp | null = null;
  let announced = false;
  const operatorConsole = createOperatorConsole({
    config,
    storage,
    logger: logger.child({ component: 'console' }),
    // LLM answers are opt-in; the extractive engine stays underneath as the fallback.
    ...(config.LLM_PROVIDER === 'none'
      ? {}
      : {
          wrap: (engine) => withLlm(engine, config, { logger: logger.child({ component: 'llm' }) }),
        }),
    publish(engine) {
      // The app runs its self-test on the new engine and reports readiness from it.
      void wenzheng?.setEngine(engine);
      if (!announced)
        logger.info(
          { documents: engine.manifest.counts.documents, chunks: engine.manifest.counts.chunks },
          'ready: index loaded',
        );
      announced = true;
    },
  });
  if (config.LLM_PROVIDER !== 'none') {
    logger.info(
      { provider: config.LLM_PROVIDER, model: config.LLM_MODEL },
      'answers written by the configured LLM, checked, with extractive fallback',
    );
  }
  const app = createApp({
    config,
    store,
    logger,
    adminApi: operatorConsole.api,
    settings: () => operatorConsole.siteSettings(),
  });
  wenzheng = app;
  handleSignals(app, operatorConsole, logger);

  await new Promise<void>((resolve, reject) => {
    app.server.once('error', reject);
    app.server.listen(config.PORT, config.HOST, () => resolve());
  });
  const { address, port } = app.server.address() as AddressInfo;
  logger.info({ address, port }, `listening on http://${address}:${port}`);
  if ((await operatorConsole.stores.users.list()).length === 0)
    logger.info(
      'no console user yet: create one with npm run admin -- add NAME, then sign in at /admin',
    );

  try {
    await operatorConsole.start();
  } catch (error) {
    const appError = toAppError(error);
    logger.fatal({ err: appError.cause ?? appError, code: appError.code }, appError.message);
    await app.shutdown({ timeoutMs: 0 });
    await operatorConsole.close();
    process.exit(1);
  }
  if (!announced)
    logger.info('building the index in the ingest process; /readyz answers 503 until it is ready');
  process.once('exit', () => void operatorConsole.close());
}

await main();
