/**
 * WORKERS=N: the cluster primary. It serves nothing itself: it forks N serving processes
 * that share the port (node:cluster hands connections out in turn), restarts one that
 * dies (after a pause that grows while it keeps dying at once), relays the workers'
 * change announcements to each other when there is no Redis, and on shutdown asks every
 * worker to finish its answers and waits for it. Each worker is a whole server
 * (src/main.ts serve()); what they share is in src/shared-state/.
 */
import cluster, { type Worker } from 'node:cluster';
import { isClusterAnnouncement } from '../shared-state/announcer.js';

export interface PrimaryLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface PrimaryOptions {
  workers: number;
  logger: PrimaryLogger;
  /** How long shutdown waits for a worker before killing it. @default 15000 */
  shutdownTimeoutMs?: number;
  /** A worker living shorter than this counts as crashing at start. @default 10000 */
  stableMs?: number;
}

export interface Primary {
  /** Stops every worker gracefully (SIGTERM, then SIGKILL after the timeout). */
  shutdown(): Promise<void>;
  /** Pids of the workers now running. */
  pids(): number[];
}

/** Forks the workers and looks after them. */
export function startPrimary(options: PrimaryOptions): Primary {
  const { logger } = options;
  const stableMs = options.stableMs ?? 10_000;
  const shutdownTimeoutMs = options.shutdownTimeoutMs ?? 15_000;
  let stopping = false;
  let backoffMs = 500;
  const started = new Map<number, number>();

  const fork = () => {
    const worker = cluster.fork();
    started.set(worker.id, Date.now());
    worker.on('message', (message: unknown) => {
      if (!isClusterAnnouncement(message)) return;
      for (const other of Object.values(cluster.workers ?? {}))
        if (other && other !== worker && other.isConnected()) other.send(message);
    });
  };

  cluster.on('exit', (worker: Worker, code, signal) => {
    const lived = Date.now() - (started.get(worker.id) ?? 0);
    started.delete(worker.id);
    if (stopping) return;
    // A worker that dies at once again and again (bad config, port taken) is retried ever more slowly.
    backoffMs = lived < stableMs ? Math.min(backoffMs * 2, 30_000) : 500;
    logger.error(
      { pid: worker.process.pid, code, signal, restartInMs: backoffMs },
      `worker ${worker.process.pid} died (${signal ?? `exit ${code}`}): restarting`,
    );
    setTimeout(() => {
      if (!stopping) fork();
    }, backoffMs).unref();
  });

  for (let i = 0; i < options.workers; i++) fork();
  logger.info({ workers: options.workers }, `${options.workers} serving processes share the port`);

  return {
    pids: () =>
      Object.values(cluster.workers ?? {}).flatMap((w) => (w?.process.pid ? [w.process.pid] : [])),
    async shutdown() {
      stopping = true;
      const running = Object.values(cluster.workers ?? {}).filter((w): w is Worker => !!w);
      await Promise.all(
        running.map(
          (worker) =>
            new Promise<void>((resolve) => {
              if (worker.isDead()) return resolve();
              const timer = setTimeout(() => {
                logger.warn({ pid: worker.process.pid }, 'worker did not stop in time: killed');
                worker.process.kill('SIGKILL');
              }, shutdownTimeoutMs);
              worker.once('exit', () => {
                clearTimeout(timer);
                resolve();
              });
              worker.process.kill('SIGTERM');
            }),
        ),
      );
    },
  };
}
