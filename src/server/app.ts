/**
 * The app factory: builds the Express app, the HTTP server and the WebSocket endpoint
 * without listening, so tests start it on port 0 and src/main.ts on PORT.
 */
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import cors from 'cors';
import express, { type Express, type RequestHandler, type Router } from 'express';
import helmet from 'helmet';
import type { Config } from '../config.js';
import { AppError, ERROR_CODES } from '../errors.js';
import type { Engine } from '../engine-types.js';
import { selfTest, type SelfTestResult } from '../self-test.js';
import { createFactsService } from '../facts/service.js';
import { adminPages, adminRoutes } from './admin.js';
import { apiRoutes } from './api-routes.js';
import { createAskService, type AskService } from './ask-service.js';
import { httpErrorHandler, notFound } from './errors-http.js';
import {
  capConnectionsPerIp,
  clientIp,
  createQuestionBudget,
  httpQuestionLimit,
  trustProxySetting,
  type QuestionBudget,
  type SocketSlots,
  type TrustFn,
} from './limits.js';
import type { SharedAnswers } from './answer-cache.js';
import type { LogStore } from './log-store.js';
import { requestLog, type Logger } from './logger.js';
import { createOriginPolicy } from './origins.js';
import { siteSettingsFromConfig, type SiteSettings } from './site-settings.js';
import { precomputedHeaders } from './security-headers.js';
import { staticRoutes } from './static.js';
import { attachWebSocket, type WsEndpoint } from './ws.js';

export interface AppDeps {
  config: Readonly<Config>;
  /** The loaded engine; omit it and call setEngine() once the index is loaded. */
  engine?: Engine;
  store: LogStore;
  logger: Logger;
  /** @default `<ROOT_DIR>/web` */
  webDir?: string;
  /** @default Date.now */
  clock?: () => number;
  /** Message and request ids. @default randomUUID */
  newId?: () => string;
  /** @default 15000 */
  ssePingMs?: number;
  /** The operator console's /api/admin router (src/admin/console.ts); without it only the token-only gaps route. */
  adminApi?: Router;
  /**
   * The operator's settings (greeting, hand-off line, suggestions, allowed origins), read on
   * every use so the console can change them at runtime. @default siteSettingsFromConfig(config), read once
   */
  settings?: () => SiteSettings;
  /**
   * State shared with the other replicas (src/shared-state/replica.ts): the question budget,
   * WebSocket slots, the answer cache's second level, the engines' scopes and the Redis
   * link's state for /readyz. @default all per process
   */
  shared?: SharedDeps;
}

export interface SharedDeps {
  budget?: QuestionBudget;
  socketSlots?: SocketSlots;
  answers?: SharedAnswers;
  engineScope?: (engine: Engine) => string | undefined;
  /** The Redis link's state; null when there is none. */
  status?: () => { status: 'ok' | 'degraded'; message?: string } | null;
}

export interface ShutdownOptions {
  /** How long to wait for answers in flight. @default 10000 */
  timeoutMs?: number;
}

export interface WenzhengApp {
  app: Express;
  /** Not listening yet: call `server.listen()`. */
  server: Server;
  ws: WsEndpoint;
  askService: AskService;
  /**
   * Serves questions from `engine` and runs the self-test; /readyz is 200 only once it
   * passed. Resolves with the self-test's result.
   */
  setEngine(engine: Engine): Promise<SelfTestResult>;
  /**
   * Stops accepting, finishes answers in flight, closes sockets with 1001, closes the
   * HTTP server and the database.
   */
  shutdown(options?: ShutdownOptions): Promise<void>;
}

/** Builds the app from its dependencies. */
export function createApp(deps: AppDeps): WenzhengApp {
  const { config, store, logger } = deps;
  let engine: Engine | null = deps.engine ?? null;
  let shuttingDown = false;
  let checked: Promise<SelfTestResult> | null = engine ? selfTest(engine) : null;
  const getEngine = () => engine;
  const startSettings = deps.settings ? null : siteSettingsFromConfig(config);
  const settings = deps.settings ?? (() => startSettings as SiteSettings);
  const originPolicy = createOriginPolicy(() => settings().allowedOrigins);
  const askService = createAskService({
    engine: getEngine,
    store,
    logger,
    maxQuestionChars: config.MAX_QUESTION_CHARS,
    cacheSize: config.ANSWER_CACHE_SIZE,
    ...(deps.shared?.answers ? { sharedAnswers: deps.shared.answers } : {}),
    ...(deps.shared?.engineScope ? { engineScope: deps.shared.engineScope } : {}),
    ...(deps.clock ? { clock: deps.clock } : {}),
    ...(deps.newId ? { newId: deps.newId } : {}),
  });

  // One budget for every transport: a client asks RATE_LIMIT_PER_MINUTE questions, however it asks.
  const budget =
    deps.shared?.budget ??
    createQuestionBudget({
      perIpPerMinute: config.RATE_LIMIT_PER_MINUTE,
      perSessionPerMinute: config.SESSION_RATE_LIMIT_PER_MINUTE,
      ...(deps.clock ? { clock: deps.clock } : {}),
    });

  const app = express();
  // Answers are never the same twice for long (message ids): hashing each body for an ETag is wasted work.
  app.set('etag', false);
  app.set('trust proxy', trustProxySetting(config.TRUST_PROXY));
  app.use(requestLog(logger, deps.newId ? { newId: deps.newId } : {}));
  // No upgrade-insecure-requests: a plain-HTTP intranet deployment (http://10.x:3000/)
  // would have its own /widget.js rewritten to https and fail. TLS is the proxy's job.
  app.use(
    precomputedHeaders(
      helmet({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } }),
    ),
  );

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  // Ready once the self-test question of the current engine was answered. A degraded
  // question log or Redis link is reported (200, status "degraded", with the operator's
  // message): the service still answers, so it stays in the load balancer.
  app.get('/readyz', async (_req, res) => {
    if (shuttingDown) throw new AppError('SHUTTING_DOWN');
    const current = engine;
    if (!current || !checked) throw new AppError('INDEX_NOT_READY');
    const check = await checked;
    if (!check.ok)
      throw new AppError('INDEX_DAMAGED', {
        message: check.message ?? ERROR_CODES.INDEX_DAMAGED.message,
      });
    const { counts, builtAt } = current.manifest;
    const storeStatus = store.status();
    const redis = deps.shared?.status?.() ?? null;
    const degraded = storeStatus.status !== 'ok' || redis?.status === 'degraded';
    res.json({
      status: degraded ? 'degraded' : 'ready',
      documents: counts.documents,
      chunks: counts.chunks,
      builtAt,
      store: storeStatus,
      ...(redis ? { redis } : {}),
    });
  });

  // A foreign Origin is refused outright, not merely left without CORS headers: a
  // "simple" cross-site POST would otherwise still run (and count against the limits).
  // The refusal itself carries CORS headers (every origin is reflected; nothing but the
  // 403 is ever sent to a refused one), so the widget can read ORIGIN_NOT_ALLOWED and say
  // so, instead of seeing what looks like a network failure.
  const enforceOrigin: RequestHandler = (req, _res, next) => {
    if (originPolicy.allows(req)) return next();
    const origin = String(req.headers.origin).slice(0, 200);
    next(
      new AppError('ORIGIN_NOT_ALLOWED', { detail: `origin ${origin} is not in ALLOWED_ORIGINS` }),
    );
  };
  app.use(
    '/api',
    cors({
      origin: true,
      exposedHeaders: ['X-Request-Id', 'RateLimit', 'RateLimit-Policy', 'Retry-After'],
      maxAge: 600,
    }),
    enforceOrigin,
  );
  app.use('/api/admin', deps.adminApi ?? adminRoutes({ adminToken: config.ADMIN_TOKEN, store }));
  app.use(
    '/api',
    apiRoutes({
      engine: getEngine,
      askService,
      store,
      maxBodyBytes: config.MAX_BODY_BYTES,
      bodyTimeoutMs: config.HTTP_BODY_TIMEOUT_MS,
      maxQuestionChars: config.MAX_QUESTION_CHARS,
      maxUnsentBytes: config.MAX_UNSENT_BYTES,
      questionLimits: [httpQuestionLimit(budget)],
      ...(deps.ssePingMs !== undefined ? { ssePingMs: deps.ssePingMs } : {}),
      facts: createFactsService({
        indexDir: config.INDEX_DIR,
        engine: getEngine,
        lexiconFile: config.LEXICON_FILE,
      }),
      settings,
    }),
  );
  app.use(adminPages(deps.webDir ?? path.join(config.ROOT_DIR, 'web')));
  app.use(
    staticRoutes({
      webDir: deps.webDir ?? path.join(config.ROOT_DIR, 'web'),
      frameAncestors: originPolicy.frameAncestors,
    }),
  );
  app.use(notFound());
  app.use(httpErrorHandler(logger));

  // Every door has a time limit: a client that trickles its headers or body, or holds an
  // idle connection, is cut off (Node's defaults leave a slow body for 300 s). Node checks
  // the request timeouts every connectionsCheckingInterval.
  const server = createServer(
    {
      requestTimeout: config.HTTP_REQUEST_TIMEOUT_MS,
      headersTimeout: Math.min(config.HTTP_HEADERS_TIMEOUT_MS, config.HTTP_REQUEST_TIMEOUT_MS),
      keepAliveTimeout: config.HTTP_KEEP_ALIVE_TIMEOUT_MS,
      connectionsCheckingInterval: Math.min(1000, config.HTTP_HEADERS_TIMEOUT_MS),
    },
    app,
  );
  server.timeout = config.HTTP_IDLE_TIMEOUT_MS;
  capConnectionsPerIp(server, {
    maxPerIp: config.HTTP_MAX_CONNECTIONS_PER_IP,
    onRefused: (ip) => logger.debug({ ip }, 'connection refused: too many from this address'),
  });
  const trust = app.get('trust proxy fn') as TrustFn;
  const ws = attachWebSocket({
    server,
    askService,
    originPolicy,
    clientIp: (req) => clientIp(req, trust),
    logger,
    maxPerIp: config.WS_MAX_PER_IP,
    ...(deps.shared?.socketSlots ? { socketSlots: deps.shared.socketSlots } : {}),
    maxPayload: config.WS_MAX_PAYLOAD,
    heartbeatMs: config.WS_HEARTBEAT_MS,
    budget,
    pingsPerMinute: config.WS_PINGS_PER_MINUTE,
    maxUnsentBytes: config.MAX_UNSENT_BYTES,
    ...(deps.clock ? { clock: deps.clock } : {}),
  });

  let shutdownPromise: Promise<void> | null = null;
  async function shutdown(options: ShutdownOptions = {}): Promise<void> {
    shuttingDown = true;
    askService.stopAccepting();
    ws.stopAccepting();
    const closed = new Promise<void>((resolve) => {
      if (!server.listening) return resolve();
      server.close(() => resolve());
    });
    server.closeIdleConnections();
    const drained = await askService.drain(options.timeoutMs ?? 10_000);
    if (!drained)
      logger.warn({ inFlight: askService.inFlight }, 'shutdown: answers still in flight');
    await ws.close(1001, 'server shutting down');
    server.closeAllConnections();
    await closed;
    await store.close();
    logger.info('shutdown complete');
  }

  return {
    app,
    server,
    ws,
    askService,
    setEngine(loaded) {
      engine = loaded;
      checked = selfTest(loaded);
      return checked;
    },
    shutdown(options) {
      shutdownPromise ??= shutdown(options);
      return shutdownPromise;
    },
  };
}
