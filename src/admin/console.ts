/**
 * The operator console, composed: stores on the question log's database, the index
 * holder (which swaps engines), the job runner (builds in the ingest child), sign-in, the
 * /api/admin routes and the /admin page. src/main.ts and the tests build it the same way.
 */
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { Router, type RequestHandler } from 'express';
import type { Config } from '../config.js';
import type { Engine } from '../engine-types.js';
import { toAppError } from '../errors.js';
import { hasIndex } from '../index-store.js';
import { currentVersion, pruneVersions } from '../shared-state/index-versions.js';
import type { ReplicaState } from '../shared-state/replica.js';
import { jsonBody } from '../server/json-body.js';
import type { Logger } from '../server/logger.js';
import {
  siteSettingsFromConfig,
  smallTalkReplies,
  type SiteSettings,
} from '../server/site-settings.js';
import { createAuth } from './auth.js';
import { createCorpusFiles } from './corpus-files.js';
import { withCurated, type CuratedAnswer } from './curated.js';
import type { AdminContext } from './context.js';
import { createIndexHolder, type IndexHolder } from './index-holder.js';
import { buildInChild } from './ingest-child.js';
import { createJobRunner, type JobRunner } from './jobs.js';
import { createLogReader } from './log-reader.js';
import { answerRoutes } from './routes-answers.js';
import { documentRoutes } from './routes-documents.js';
import { insightRoutes } from './routes-insights.js';
import { sessionRoutes } from './routes-session.js';
import { createSettingsService, type SettingsService } from './settings.js';
import { openSqliteAdminStores } from './sqlite-store.js';
import type { AdminStores } from './store.js';

const DAY = 86_400_000;

export interface ConsoleOptions {
  config: Readonly<Config>;
  logger: Logger;
  /** Receives each new engine (the app's setEngine). */
  publish: (engine: Engine) => void;
  /** Wraps the extractive engine before curated answers (the LLM). @default identity */
  wrap?: (engine: Engine) => Engine;
  /** @default Date.now */
  clock?: () => number;
  /**
   * The state shared with the other replicas and workers (src/shared-state/replica.ts):
   * jobs run holding the deployment's ingest lock, new index versions and console changes
   * are announced and followed. @default none (one process, as a test builds it)
   */
  replica?: ReplicaState;
}

export interface OperatorConsole {
  /** Mount at /api/admin. */
  api: Router;
  holder: IndexHolder;
  jobs: JobRunner;
  stores: AdminStores;
  settings: SettingsService;
  /** The widget's settings as the operator set them. */
  siteSettings(): SiteSettings;
  /**
   * Removes leftovers of interrupted builds, serves the index on disk (when there is one)
   * and starts a background job that rebuilds it if the corpus changed (or builds the
   * first one). Rejects only for an index that cannot serve this configuration
   * (INDEX_MISMATCH: the operator must run npm run ingest).
   */
  start(): Promise<void>;
  /** Deletes questions older than the retention period; returns how many. */
  purge(): number;
  close(): void;
}

/** Removes `.build-*` and `.old-*` folders a killed build left in INDEX_DIR; returns their names. */
export async function removeBuildLeftovers(indexDir: string): Promise<string[]> {
  let names: string[];
  try {
    names = (await readdir(indexDir)).filter(
      (n) => n.startsWith('.build-') || n.startsWith('.old-'),
    );
  } catch {
    return [];
  }
  await Promise.all(names.map((n) => rm(path.join(indexDir, n), { recursive: true, force: true })));
  return names;
}

/** Builds the console over the config. */
export function createOperatorConsole(options: ConsoleOptions): OperatorConsole {
  const { config, logger } = options;
  const clock = options.clock ?? Date.now;
  const stores = openSqliteAdminStores({ dir: config.DATA_DIR, clock });
  const reader = createLogReader(stores.db);
  const { replica } = options;
  const newSettingsService = () =>
    createSettingsService(stores.settings, {
      ...siteSettingsFromConfig(config),
      retentionDays: config.LOG_RETENTION_DAYS,
    });
  let settingsService = newSettingsService();
  // The settings as the routes see them: a change is announced to the other replicas.
  const settings: SettingsService = {
    current: () => settingsService.current(),
    update(input) {
      const after = settingsService.update(input);
      holder.refresh(); // the replies and the engine's scope follow the settings
      replica?.announcer.announce({ kind: 'console', what: 'settings' });
      return after;
    },
  };
  let curated: CuratedAnswer[] = stores.curated.list();
  const holder = createIndexHolder({
    config,
    fingerprint: () => JSON.stringify([curated, settingsService.current()]),
    synonyms: () => stores.synonyms.list(),
    replies: () => {
      const { retentionDays: _, ...site } = settings.current();
      return smallTalkReplies(site);
    },
    wrap: (engine, lexicon) =>
      withCurated(options.wrap ? options.wrap(engine) : engine, {
        entries: () => curated,
        lexicon,
      }),
    publish: options.publish,
  });
  /** Loads the index on disk, records the version served, tells the others, removes unused versions. */
  const publishIndex = async (announce: boolean) => {
    await holder.load();
    const version = holder.version();
    if (!replica || !version) return;
    await replica.serving(version);
    if (announce) replica.announcer.announce({ kind: 'index', version });
    const removed = await pruneVersions(config.INDEX_DIR).catch(() => []);
    if (removed.length > 0)
      logger.info({ removed }, `removed ${removed.length} index version(s) no replica serves`);
  };
  const jobs = createJobRunner({
    store: stores.jobs,
    clock,
    needsLoad: () => holder.current() === null,
    publish: () => publishIndex(true),
    ...(replica
      ? {
          exclusive: <T>(work: () => Promise<T>, onWait: () => void) =>
            replica.lock.run(async () => {
              // Holding the deployment's lock, no build runs anywhere: any .build-* is a leftover.
              await removeBuildLeftovers(config.INDEX_DIR);
              return work();
            }, onWait),
        }
      : {}),
    build: (build) =>
      buildInChild(
        {
          corpusDir: config.CORPUS_DIR,
          indexDir: config.INDEX_DIR,
          embedder: config,
          batchSize: config.EMBEDDINGS_BATCH_SIZE,
          requireDocs: build.requireDocs,
          onlyIfStale: build.onlyIfStale,
          limits: {
            maxUncompressedBytes: config.INGEST_MAX_UNCOMPRESSED_BYTES,
            maxParagraphs: config.INGEST_MAX_PARAGRAPHS,
            maxPdfPages: config.INGEST_MAX_PDF_PAGES,
          },
        },
        { maxOldSpaceMb: config.INGEST_MAX_OLD_SPACE_MB, onProgress: build.onProgress },
      ),
    onBuilt(job) {
      logger.info({ jobId: job.jobId, kind: job.kind }, 'job built: loading the new index');
    },
    onFinished(job) {
      const log = {
        jobId: job.jobId,
        kind: job.kind,
        docId: job.docId,
        state: job.state,
        failures: job.failures.length,
      };
      if (job.state === 'failed')
        logger.warn({ ...log, error: job.error }, `job failed: ${job.error}`);
      else
        logger.info(
          { ...log, result: job.result },
          job.result ? 'job done: new index serving' : 'job done: index unchanged',
        );
      for (const f of job.failures)
        logger.warn({ jobId: job.jobId, docId: f.docId }, `file not indexed: ${f.reason}`);
    },
  });
  const auth = createAuth({
    users: stores.users,
    sessions: stores.sessions,
    audit: stores.audit,
    adminToken: config.ADMIN_TOKEN,
    sessionHours: config.ADMIN_SESSION_HOURS,
    lockoutAttempts: config.ADMIN_LOCKOUT_ATTEMPTS,
    lockoutMinutes: config.ADMIN_LOCKOUT_MINUTES,
    failuresPerMinute: config.ADMIN_TOKEN_FAILURES_PER_MINUTE,
    clock,
  });
  const ctx: AdminContext = {
    stores,
    reader,
    auth,
    jobs,
    holder,
    corpus: createCorpusFiles({
      corpusDir: config.CORPUS_DIR,
      workDir: path.join(config.DATA_DIR, 'console'),
    }),
    settings,
    engine: () => holder.current(),
    maxUploadBytes: config.ADMIN_UPLOAD_MAX_MB * 1024 * 1024,
    refreshEngine() {
      curated = stores.curated.list();
      holder.refresh();
      replica?.announcer.announce({ kind: 'console', what: 'curated' });
    },
    clock,
  };

  const api = Router();
  const json: RequestHandler = jsonBody(Math.max(config.MAX_BODY_BYTES, 64 * 1024));
  // Nothing the console answers may be cached by a browser or a proxy.
  api.use((_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  api.use(json);
  const session = sessionRoutes(ctx);
  api.use(session.open);
  api.use(auth.authenticate);
  api.use(session.signedIn, documentRoutes(ctx), answerRoutes(ctx), insightRoutes(ctx));

  const purge = () => {
    const days = settings.current().retentionDays;
    const removed = reader.purgeBefore(new Date(clock() - days * DAY).toISOString());
    if (removed > 0)
      logger.info(
        { removed, days },
        `log retention: ${removed} questions older than ${days} days deleted`,
      );
    return removed;
  };
  const purgeTimer = setInterval(() => {
    try {
      purge();
    } catch (error) {
      logger.warn({ err: error }, 'log retention purge failed');
    }
  }, DAY);
  purgeTimer.unref();

  // Following the other replicas: an announced (or, missed, a polled) index version is
  // loaded; an announced console change is read back from the stores.
  let catchingUp: Promise<void> | null = null;
  const catchUpIndex = () => {
    if (catchingUp || holder.current() === null) return;
    const onDisk = currentVersion(config.INDEX_DIR);
    if (!onDisk || onDisk === holder.version()) return;
    catchingUp = publishIndex(false)
      .then(() => logger.info({ version: holder.version() }, 'new index version serving'))
      .catch((error: unknown) =>
        logger.warn({ err: error }, `new index version not loaded: ${toAppError(error).message}`),
      )
      .finally(() => {
        catchingUp = null;
      });
  };
  const reloadConsole = () => {
    settingsService = newSettingsService();
    curated = stores.curated.list();
    holder.refresh();
  };
  let pollTimer: NodeJS.Timeout | null = null;
  if (replica) {
    replica.announcer.onAnnouncement((a) => {
      if (a.kind === 'index') catchUpIndex();
      else reloadConsole();
    });
    replica.onReconnect(() => {
      reloadConsole();
      catchUpIndex();
    });
    if (replica.shared) {
      pollTimer = setInterval(catchUpIndex, config.INDEX_POLL_MS);
      pollTimer.unref();
    }
  }

  return {
    api,
    holder,
    jobs,
    stores,
    settings,
    siteSettings: () => {
      const { retentionDays: _, ...site } = settings.current();
      return site;
    },
    async start() {
      // With other replicas, only when no build is running anywhere (else the next job does it).
      const leftovers = replica
        ? ((await replica.lock.tryRun(() => removeBuildLeftovers(config.INDEX_DIR))) ?? [])
        : await removeBuildLeftovers(config.INDEX_DIR);
      if (leftovers.length > 0)
        logger.info(
          { leftovers },
          `removed ${leftovers.length} leftover build folder(s) of an interrupted ingest`,
        );
      let damaged = false;
      if (hasIndex(config.INDEX_DIR)) {
        try {
          await publishIndex(false);
        } catch (error) {
          const appError = toAppError(error);
          if (appError.code === 'INDEX_MISMATCH') throw appError;
          damaged = true;
          logger.error(
            { err: error },
            `索引无法读取，正在从语料重建：${error instanceof Error ? error.message : String(error)}`,
          );
        }
      }
      try {
        purge();
      } catch (error) {
        logger.warn({ err: error }, 'log retention purge failed');
      }
      jobs.submit({ kind: damaged ? 'reindex' : 'startup', actor: 'system' });
    },
    purge,
    close() {
      clearInterval(purgeTimer);
      if (pollTimer) clearInterval(pollTimer);
      stores.close();
    },
  };
}
