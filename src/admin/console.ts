/**
 * The operator console, composed: stores on the question log's database (SQLite, or
 * PostgreSQL shared by every replica; src/store/storage.ts), the index
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
import { answerRoutes } from './routes-answers.js';
import { documentRoutes } from './routes-documents.js';
import { insightRoutes } from './routes-insights.js';
import { sessionRoutes } from './routes-session.js';
import { createSettingsService, type SettingsService } from './settings.js';
import type { AdminStores, SynonymRecord } from './store.js';
import { createChangeFeed, type ChangeKind } from './changes.js';
import { openSqliteStorage, type Storage } from '../store/storage.js';

const DAY = 86_400_000;
/** How long closing waits for a job in progress to record its end before the store closes. */
const CLOSE_JOB_WAIT_MS = 5_000;

export interface ConsoleOptions {
  config: Readonly<Config>;
  logger: Logger;
  /** Receives each new engine (the app's setEngine). */
  publish: (engine: Engine) => void;
  /** Wraps the extractive engine before curated answers (the LLM). @default identity */
  wrap?: (engine: Engine) => Engine;
  /** Where the state lives. @default the SQLite file in DATA_DIR */
  storage?: Storage;
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
   * Listens to changes of settings, synonyms or curated answers made on this replica (after
   * they are stored and applied here); returns the unsubscribe.
   */
  onChange(listener: (kind: ChangeKind) => void): () => void;
  /** Reads one kind again from the store and applies it (a change another replica announced). */
  applyChange(kind: ChangeKind): Promise<void>;
  /**
   * Removes leftovers of interrupted builds, serves the index on disk (when there is one)
   * and starts a background job that rebuilds it if the corpus changed (or builds the
   * first one). Rejects only for an index that cannot serve this configuration
   * (INDEX_MISMATCH: the operator must run npm run ingest).
   */
  start(): Promise<void>;
  /** Deletes questions older than the retention period; returns how many. */
  purge(): Promise<number>;
  /** Stops the timers and closes the storage. */
  close(): Promise<void>;
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
  const storage = options.storage ?? openSqliteStorage({ config, clock });
  const { stores, reader } = storage;
  const { replica } = options;
  const settings = createSettingsService(stores.settings, {
    ...siteSettingsFromConfig(config),
    retentionDays: config.LOG_RETENTION_DAYS,
  });
  // The engine reads these on every question: kept in memory, read again when they change.
  let curated: CuratedAnswer[] = [];
  let synonyms: SynonymRecord[] = [];
  const holder = createIndexHolder({
    config,
    fingerprint: () => JSON.stringify([curated, settings.current()]),
    synonyms: () => synonyms,
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
    onSaveError: (error, job) =>
      logger.warn({ err: error, jobId: job.jobId, state: job.state }, 'job record not saved'),
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
        {
          maxOldSpaceMb: config.INGEST_MAX_OLD_SPACE_MB,
          niceness: config.INGEST_NICENESS,
          onProgress: build.onProgress,
        },
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
  const changes = createChangeFeed((error, kind) =>
    logger.warn({ err: error, kind }, 'a change listener failed'),
  );
  // The other replicas hear of a change made here (REDIS_URL) and read it back.
  changes.onChange((what) => replica?.announcer.announce({ kind: 'console', what }));
  /** Reads one kind again from the store; the engine is rebuilt (its scope follows all three). */
  const applyChange = async (kind: ChangeKind | 'all'): Promise<void> => {
    if (kind === 'settings' || kind === 'all') await settings.load();
    if (kind === 'curated' || kind === 'all') curated = await stores.curated.list();
    if (kind === 'synonyms' || kind === 'all') synonyms = await stores.synonyms.list();
    holder.refresh();
  };
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
    async changed(kind) {
      await applyChange(kind);
      changes.emit(kind);
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

  const purge = async () => {
    const days = settings.current().retentionDays;
    const removed = await reader.purgeBefore(new Date(clock() - days * DAY).toISOString());
    if (removed > 0)
      logger.info(
        { removed, days },
        `log retention: ${removed} questions older than ${days} days deleted`,
      );
    return removed;
  };
  const purgeTimer = setInterval(() => {
    purge().catch((error: unknown) => logger.warn({ err: error }, 'log retention purge failed'));
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
  const reloadConsole = (what: ChangeKind | 'all' = 'all') => {
    applyChange(what).catch((error: unknown) =>
      logger.warn({ err: error, what }, 'console change not read back from the store'),
    );
  };
  let pollTimer: NodeJS.Timeout | null = null;
  if (replica) {
    replica.announcer.onAnnouncement((a) => {
      if (a.kind === 'index') catchUpIndex();
      else reloadConsole(a.what);
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
    onChange: (listener) => changes.onChange(listener),
    applyChange,
    async start() {
      // The stored settings, synonyms and curated answers, before the first engine is built.
      [, synonyms, curated] = await Promise.all([
        settings.load(),
        stores.synonyms.list(),
        stores.curated.list(),
      ]);
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
      await purge().catch((error: unknown) =>
        logger.warn({ err: error }, 'log retention purge failed'),
      );
      jobs.submit({ kind: damaged ? 'reindex' : 'startup', actor: 'system' });
    },
    purge,
    async close() {
      clearInterval(purgeTimer);
      if (pollTimer) clearInterval(pollTimer);
      // A job about to finish records its end; one still building is left as the store has it.
      let waited: NodeJS.Timeout | undefined;
      await Promise.race([
        jobs.idle(),
        new Promise<void>((resolve) => (waited = setTimeout(resolve, CLOSE_JOB_WAIT_MS))),
      ]);
      clearTimeout(waited);
      await jobs.flush();
      await storage.close();
    },
  };
}
