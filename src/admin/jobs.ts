/**
 * Background jobs: each document change (upload, metadata edit, delete) and each
 * re-index runs as one job, one at a time, in order. A job changes the corpus folder,
 * builds the index in the ingest child process, and swaps the new index in. A failed job
 * undoes its change to the corpus, leaves the old index serving, and says why, per file.
 * Across replicas and workers a job runs holding the deployment's ingest lock (`exclusive`,
 * src/shared-state/ingest-lock.ts): a job waiting for another replica's shows the phase
 * `waiting`, and its corpus change is applied only once it holds the lock.
 */
import { randomUUID } from 'node:crypto';
import { toAppError } from '../errors.js';
import type { IngestProgress, IngestReport } from './ingest-child.js';
import { BuildFailedError } from './ingest-child.js';
import type { JobRecord, JobStore } from './store.js';

/** A change to the corpus folder that can be undone. */
export interface CorpusChange {
  /** Puts the corpus back as it was. */
  undo(): Promise<void>;
  /** Makes the change final (e.g. deletes a removed file's backup). */
  commit(): Promise<void>;
}

export interface JobSpec {
  kind: JobRecord['kind'];
  docId?: string;
  actor: string;
  /** Applied when the job starts (jobs run in order, so changes never interleave). */
  change?: () => Promise<CorpusChange>;
}

export interface BuildOptions {
  requireDocs: string[];
  onlyIfStale: boolean;
  onProgress: (progress: IngestProgress) => void;
}

export interface JobRunnerOptions {
  store: JobStore;
  /** Builds the index (in the child process); null when nothing had to be built. */
  build: (options: BuildOptions) => Promise<IngestReport | null>;
  /** Loads the index just built and swaps it in. */
  publish: () => Promise<void>;
  /** True when no index is being served (the build result must then be loaded even if unchanged). */
  needsLoad: () => boolean;
  /** Called when a job's build is done and its index is about to be loaded (the server log). */
  onBuilt?: (job: JobRecord) => void;
  /**
   * Runs a job's work (corpus change, build, publish) holding the deployment's lock; calls
   * `onWait` if it has to wait for it. @default runs it at once (one process)
   */
  exclusive?: <T>(work: () => Promise<T>, onWait: () => void) => Promise<T>;
  /** Called when a job ends (the audit log, the server log). */
  onFinished?: (job: JobRecord) => void;
  /** @default randomUUID */
  newId?: () => string;
  /** @default Date.now */
  clock?: () => number;
  /** Hears of a job record the store could not save (the job runs on). */
  onSaveError?: (error: unknown, job: JobRecord) => void;
}

export interface JobRunner {
  submit(spec: JobSpec): JobRecord;
  /** A job of this replica (live) or of the store (any replica, or finished). */
  get(jobId: string): Promise<JobRecord | null>;
  /** Jobs not finished yet, oldest first. */
  pending(): JobRecord[];
  /** Resolves when every submitted job has finished. */
  idle(): Promise<void>;
  /** Resolves when every job record saved so far is in the store (before the store closes). */
  flush(): Promise<void>;
}

const EMPTY_PROGRESS: JobRecord['progress'] = {
  phase: 'queued',
  files: 0,
  filesTotal: 0,
  passages: 0,
  embedded: 0,
  embedTotal: 0,
};

/** Builds the runner. */
export function createJobRunner(options: JobRunnerOptions): JobRunner {
  const newId = options.newId ?? randomUUID;
  const clock = options.clock ?? Date.now;
  const iso = () => new Date(clock()).toISOString();
  const live = new Map<string, JobRecord>();
  let chain: Promise<void> = Promise.resolve();
  // Saves go out one at a time, in order, each with the record as it was then: progress
  // saves never overtake each other, and a store that fails does not stop the job.
  let saving: Promise<void> = Promise.resolve();
  const save = (job: JobRecord): Promise<void> => {
    const snapshot = structuredClone(job);
    saving = saving.then(() =>
      options.store
        .save(snapshot)
        .catch((error: unknown) => options.onSaveError?.(error, snapshot)),
    );
    return saving;
  };

  const exclusive =
    options.exclusive ?? (<T>(work: () => Promise<T>, _onWait: () => void) => work());

  async function run(job: JobRecord, spec: JobSpec): Promise<void> {
    await exclusive(
      () => runHolding(job, spec),
      () => {
        job.progress = { ...job.progress, phase: 'waiting' };
        void save(job);
      },
    ).catch(async (error: unknown) => {
      // The lock itself failed (INDEX_DIR not writable): the job fails, the runner goes on.
      Object.assign(job, {
        state: 'failed',
        finishedAt: iso(),
        error: toAppError(error).message,
        progress: { ...job.progress, phase: 'failed' },
      });
      await save(job);
      live.delete(job.jobId);
      options.onFinished?.(job);
    });
  }

  async function runHolding(job: JobRecord, spec: JobSpec): Promise<void> {
    Object.assign(job, {
      state: 'running',
      startedAt: iso(),
      progress: { ...EMPTY_PROGRESS, phase: 'starting' },
    });
    void save(job);
    let change: CorpusChange | null = null;
    try {
      change = spec.change ? await spec.change() : null;
      const requireDocs = spec.docId && spec.kind !== 'delete' ? [spec.docId] : [];
      const report = await options.build({
        requireDocs,
        onlyIfStale: spec.kind === 'startup',
        onProgress(progress) {
          job.progress = {
            phase: progress.phase,
            files: progress.files,
            filesTotal: progress.filesTotal,
            passages: progress.passages,
            embedded: progress.embedded,
            embedTotal: progress.embedTotal,
          };
          void save(job);
        },
      });
      if (report || options.needsLoad()) {
        options.onBuilt?.(job);
        await options.publish();
      }
      await change?.commit();
      Object.assign(job, {
        state: 'done',
        finishedAt: iso(),
        progress: { ...job.progress, phase: 'done' },
      });
      if (report) {
        job.failures = report.failed;
        job.result = {
          documents: report.documents,
          chunks: report.chunks,
          added: report.added.length,
          changed: report.changed.length,
          removed: report.removed.length,
          ms: report.ms,
        };
      }
    } catch (error) {
      if (change) await change.undo().catch(() => {});
      Object.assign(job, {
        state: 'failed',
        finishedAt: iso(),
        error: toAppError(error).message,
        progress: { ...job.progress, phase: 'failed' },
      });
      if (error instanceof BuildFailedError) job.failures = error.failures;
    }
    await save(job);
    live.delete(job.jobId);
    options.onFinished?.(job);
  }

  return {
    submit(spec) {
      const job: JobRecord = {
        jobId: newId(),
        kind: spec.kind,
        state: 'queued',
        actor: spec.actor,
        createdAt: iso(),
        progress: { ...EMPTY_PROGRESS },
        failures: [],
      };
      if (spec.docId !== undefined) job.docId = spec.docId;
      live.set(job.jobId, job);
      void save(job);
      chain = chain.then(() => run(job, spec));
      return { ...job };
    },
    get: async (jobId) => {
      const job = live.get(jobId) ?? (await options.store.get(jobId));
      return job ? { ...job } : null;
    },
    pending: () => [...live.values()].map((j) => ({ ...j })),
    idle: async () => {
      for (let last: Promise<void> | null = null; last !== chain;) {
        last = chain;
        await chain;
      }
    },
    flush: async () => {
      for (let last: Promise<void> | null = null; last !== saving;) {
        last = saving;
        await saving;
      }
    },
  };
}
