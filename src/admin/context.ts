/** What the console's route modules share: the stores, services and the engine holder. */
import type { Response } from 'express';
import type { Engine } from '../engine-types.js';
import type { Auth } from './auth.js';
import type { ChangeKind } from './changes.js';
import { principalOf } from './auth.js';
import type { CorpusFiles } from './corpus-files.js';
import type { IndexHolder } from './index-holder.js';
import type { JobRunner } from './jobs.js';
import type { LogReader } from './log-reader.js';
import type { SettingsService } from './settings.js';
import type { AdminStores } from './store.js';

export interface AdminContext {
  stores: AdminStores;
  reader: LogReader;
  auth: Auth;
  jobs: JobRunner;
  holder: IndexHolder;
  corpus: CorpusFiles;
  settings: SettingsService;
  /** The engine answering now (null while the first index loads). */
  engine: () => Engine | null;
  /** Largest upload in bytes. */
  maxUploadBytes: number;
  /**
   * Called after the settings, synonyms or curated answers were stored: reads them again,
   * rebuilds the engine when needed, and announces the change (changes.ts).
   */
  changed: (kind: ChangeKind) => Promise<void>;
  clock: () => number;
}

/** Writes one line of the audit log for the request's principal. */
export function audit(
  ctx: AdminContext,
  res: Response,
  action: string,
  target: string,
  detail: unknown = '',
): Promise<void> {
  const text = typeof detail === 'string' ? detail : JSON.stringify(detail);
  return ctx.stores.audit.record({
    actor: principalOf(res).name,
    action,
    target,
    detail: text.slice(0, 2000),
  });
}
