/**
 * Runs one index build in a child process (ingest/worker.ts) with its own heap limit and a
 * lower scheduling priority, so parsing, embedding and saving never block, crash or crowd
 * out the serving process. The result is
 * a promise; progress arrives through a callback.
 */
import { fork } from 'node:child_process';
import { getPriority, setPriority } from 'node:os';
import { fileURLToPath } from 'node:url';
import { AppError } from '../errors.js';
import type { IngestProgress, IngestReport } from '../../ingest/build-index.js';
import type { BuildRequest, WorkerMessage } from '../../ingest/worker.js';

export type { BuildRequest, IngestProgress, IngestReport };

/** A build that failed: the reason, and each file that made it fail. */
export class BuildFailedError extends AppError {
  readonly failures: Array<{ docId: string; reason: string }>;
  constructor(message: string, failures: Array<{ docId: string; reason: string }> = []) {
    super('INGEST_FAILED', { message });
    this.failures = failures;
  }
}

export interface IngestChildOptions {
  /** Heap limit of the child in MB (--max-old-space-size). @default 2048 */
  maxOldSpaceMb?: number;
  /**
   * Added to the server's nice value for the child (capped at 19). A build is background
   * work: when it and the answers compete for a core, the answers go first. @default 10
   */
  niceness?: number;
  onProgress?: (progress: IngestProgress) => void;
}

/** The worker's file beside this module's tree: .ts under tsx/vitest, .js once compiled. */
function workerPath(): { file: string; execArgv: string[] } {
  const ts = fileURLToPath(import.meta.url).endsWith('.ts');
  const file = fileURLToPath(new URL(`../../ingest/worker.${ts ? 'ts' : 'js'}`, import.meta.url));
  return { file, execArgv: ts ? ['--import', 'tsx'] : [] };
}

/**
 * Builds the index in a child process. Resolves with the report (null when onlyIfStale
 * found nothing to do); rejects with BuildFailedError, also when the child dies (out of
 * memory, killed), and the index on disk is then the one that was there before.
 */
export function buildInChild(
  request: BuildRequest,
  options: IngestChildOptions = {},
): Promise<IngestReport | null> {
  const { file, execArgv } = workerPath();
  const child = fork(file, [], {
    execArgv: [...execArgv, `--max-old-space-size=${options.maxOldSpaceMb ?? 2048}`],
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  try {
    if (child.pid !== undefined)
      setPriority(child.pid, Math.min(19, getPriority() + (options.niceness ?? 10)));
  } catch {
    // Not permitted here: the build runs at the server's priority.
  }
  // A build must not outlive the server that asked for it.
  const killChild = () => child.kill();
  process.once('exit', killChild);
  child.once('exit', () => process.off('exit', killChild));
  let stderr = '';
  child.stderr?.on('data', (data: Buffer) => {
    stderr = (stderr + data.toString()).slice(-2000);
  });
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      fn();
    };
    child.on('message', (message: WorkerMessage) => {
      if (message.type === 'progress') options.onProgress?.(message.progress);
      else if (message.type === 'done') settle(() => resolve(message.report));
      else settle(() => reject(new BuildFailedError(message.message, message.failures)));
    });
    child.once('error', (error) =>
      settle(() => reject(new BuildFailedError(`无法启动导入进程：${error.message}`))),
    );
    child.once('exit', (code, signal) => {
      const oom = /heap out of memory|Allocation failed/i.test(stderr);
      const why = oom
        ? '内存不足，文件展开后过大'
        : signal
          ? `被信号 ${signal} 终止`
          : `退出码 ${code}`;
      settle(() => reject(new BuildFailedError(`导入进程意外退出（${why}），原索引继续服务。`)));
    });
    child.send(request);
  });
}
