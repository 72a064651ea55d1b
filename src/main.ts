/**
 * The composition root, and the only place that listens, handles signals or exits:
 * config → storage (SQLite, or PostgreSQL with its migrations) → question log → operator
 * console → app → listen → index → ready.
 * The server listens while the index loads, so /healthz answers and /readyz says 503
 * until questions can be answered. The index on disk serves at once; a changed corpus
 * (or a missing index) is built in the ingest child process and swapped in when done.
 *
 * WORKERS=N (default: one per core) makes this process the cluster primary
 * (src/cluster/workers.ts), which forks N workers that each run serve() on the shared
 * port; WORKERS=1 serves in this process. What replicas and workers share (REDIS_URL, the
 * ingest lock, index versions) is composed in src/shared-state/replica.ts.
 */
import cluster from 'node:cluster';
import type { AddressInfo } from 'node:net';
import { availableParallelism } from 'node:os';
import { startPrimary } from './cluster/workers.js';
import { createReplicaState, type ReplicaState } from './shared-state/replica.js';
import { withLlm } from './answer/llm-engine.js';
import { loadConfig, type Config } from './config.js';
import { createOperatorConsole, type OperatorConsole } from './admin/console.js';
import { toAppError } from './errors.js';
import { createApp, type WenzhengApp } from './server/app.js';
import { openStorage, type Storage } from './store/storage.js';
import { createLogger, type Logger } from './server/logger.js';
import { generalIdf } from './text/idf.js';
import { cutWords } from './text/tokenize.js';

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
  replica: ReplicaState,
  logger: Logger,
): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      // A worker gets Ctrl-C (or systemd's SIGTERM) and then the primary's SIGTERM: that is
      // one request to stop; the primary kills a worker that takes too long.
      if (cluster.isWorker) return;
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'shutting down');
    wenzheng
      .shutdown({ timeoutMs: SHUTDOWN_TIMEOUT_MS })
      // The question log has written what is pending; then the storage (the pool) closes.
      .then(() => operatorConsole.close())
      .then(() => replica.close())
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

/** The cluster primary: forks the workers, restarts the ones that die, stops them on a signal. */
function runPrimary(workers: number, logger: Logger): void {
  const primary = startPrimary({ workers, logger: logger.child({ component: 'cluster' }) });
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'shutting down the workers');
    primary.shutdown().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

async function main(): Promise<void> {
  const config = readConfig();
  const logger = createLogger({ level: config.LOG_LEVEL });
  const workers = config.WORKERS === 0 ? availableParallelism() : config.WORKERS;
  if (workers > 1 && cluster.isPrimary) return runPrimary(workers, logger);
  await serve(config, logger);
}

/** One serving process: the whole server (alone, or as one of the cluster's workers). */
async function serve(config: Readonly<Config>, logger: Logger): Promise<void> {
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
  // Several workers may write one SQLite file: WAL mode lets them, one write at a time, each
  // waiting (better-sqlite3's 5 s busy timeout) for the other's short transaction.
  const store = storage.createLog({
    maxPending: config.LOG_STORE_MAX_PENDING,
    retryMaxMs: config.LOG_STORE_RETRY_MAX_MS,
    batchMs: config.LOG_STORE_BATCH_MS,
    logger: logger.child({ component: 'log-store' }),
  });
  const replica = createReplicaState({ config, logger: logger.child({ component: 'replica' }) });
  if (config.REDIS_URL)
    logger.info(
      { replicaId: replica.replicaId },
      'REDIS_URL set: limits, answer cache and announcements shared with the other replicas',
    );
  let wenzheng: WenzhengApp | null = null;
  let announced = false;
  const operatorConsole = createOperatorConsole({
    config,
    storage,
    replica,
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
    shared: {
      budget: replica.budget,
      socketSlots: replica.socketSlots,
      ...(replica.answers ? { answers: replica.answers } : {}),
      engineScope: (engine) => operatorConsole.holder.scope(engine),
      status: () => replica.status(),
    },
  });
  wenzheng = app;
  handleSignals(app, operatorConsole, replica, logger);

  // The word-rarity table and the word segmenter load in one piece, about 0.4 s: before
  // the server listens, so that no /healthz or question waits behind them.
  generalIdf('');
  cutWords('预热');
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
    await replica.close();
    process.exit(1);
  }
  if (!announced)
    logger.info('building the index in the ingest process; /readyz answers 503 until it is ready');
  process.once('exit', () => void operatorConsole.close());
}

await main();
