/**
 * Temporary corpora for tests: the seed report plus, by symbolic link, the real reports in
 * ../shared/corpora (read in place, never copied into the project).
 */
import { existsSync, mkdtempSync, readdirSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/config.js';

export const SHARED = path.resolve(PROJECT_ROOT, '..', 'shared');
export const GOV_REPORTS = path.join(SHARED, 'corpora', 'gov-reports');
export const SEED = path.join(PROJECT_ROOT, 'corpus', 'shanxi-2021-law-based-government-report.txt');

export function hasSharedCorpora(): boolean {
  return existsSync(GOV_REPORTS);
}

/** A temp folder linking the seed and every government work report (.txt). */
export function pooledCorpus(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'wz-corpus-'));
  symlinkSync(SEED, path.join(dir, path.basename(SEED)));
  for (const f of readdirSync(GOV_REPORTS).filter((f) => f.endsWith('.txt'))) {
    symlinkSync(path.join(GOV_REPORTS, f), path.join(dir, f));
  }
  return dir;
}
