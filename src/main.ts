/**
 * The composition root, and the only place that listens, handles signals or exits:
 * config → question log → app → listen → (build the index if needed) → engine → ready.
 * The server listens while the index loads, so /healthz answers and /readyz says 503
 * until questions can be answered.
 */
import type { AddressInfo } from 'node:net';
import { withLlm } from './answer/llm-engine.js';
import { loadConfig, type Config } from './config.js';
import { ensureIndex, loadEngine } from './engine.js';
import { toAppError } from './errors.js';
import { createApp, type WenzhengApp } from './server/app.js';
import { createLogStore } from './server/log-store.js';
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

function handleSignals(wenzheng: WenzhengApp, logger: Logger): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'shutting down');
    wenzheng.shutdown({ timeoutMs: SHUTDOWN_TIMEOUT_MS }).then(
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
  if (config.ADMIN_TOKEN === '') logger.info('ADMIN_TOKEN is empty: /api/admin routes are disabled');

  // The store never throws: a database that cannot open leaves it degraded (see /readyz).
  const store = createLogStore({
    dir: config.DATA_DIR,
    maxPending: config.LOG_STORE_MAX_PENDING,
    retryMaxMs: config.LOG_STORE_RETRY_MAX_MS,
    logger: logger.child({ component: 'log-store' }),
  });
  const wenzheng = createApp({ config, store, logger });
  handleSignals(wenzheng, logger);

  await new Promise<void>((resolve, reject) => {
    wenzheng.server.once('error', reject);
    wenzheng.server.listen(config.PORT, config.HOST, () => resolve());
  });
  const { address, port } = wenzheng.server.address() as AddressInfo;
  logger.info({ address, port }, `listening on http://${address}:${port}`);

  try {
    await ensureIndex(config, { info: (message) => logger.info(message) });
    const engine = await loadEngine(config);
    // LLM answers are opt-in; the extractive engine stays underneath as the fallback.
    if (config.LLM_PROVIDER === 'none') wenzheng.setEngine(engine);
    else {
      wenzheng.setEngine(withLlm(engine, config, { logger: logger.child({ component: 'llm' }) }));
      logger.info({ provider: config.LLM_PROVIDER, model: config.LLM_MODEL }, 'answers written by the configured LLM, checked, with extractive fallback');
    }
  } catch (error) {
    const appError = toAppError(error);
    logger.fatal({ err: appError.cause ?? appError, code: appError.code }, appError.message);
    await wenzheng.shutdown({ timeoutMs: 0 });
    process.exit(1);
  }
  logger.info('ready: index loaded');
}

await main();
