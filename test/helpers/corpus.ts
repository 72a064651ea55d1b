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
export const SEED = path.join(
  PROJECT_ROOT,
  'corpus',
  'shanxi-2021-law-based-government-report.txt',
);

/** What a test that needs the shared work reports says when it is skipped. */
export const NEEDS_GOV_REPORTS =
  'needs ../shared/corpora/gov-reports beside the checkout (real work reports)';

/**
 * The eight work reports the shared folder held when the first multi-report tests were written
 * (it has grown since): tests that count or rank over a corpus pin these.
 */
export const FIRST_WORK_REPORTS = [
  '2024_国务院_政府工作报告.txt',
  '2025_四川省政府工作报告.txt',
  '2025_广东省政府工作报告.txt',
  '2025_江苏省政府工作报告.txt',
  '2026_上海市_政府工作报告.txt',
  '2026_北京市_政府工作报告.txt',
  '2026_广东省_政府工作报告.txt',
  '2026_浙江省_政府工作报告.txt',
];

/** A temp folder linking the named work reports (from ../shared/corpora/gov-reports). */
export function workReportsCorpus(names: readonly string[]): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'wz-reports-'));
  for (const f of names) symlinkSync(path.join(GOV_REPORTS, f), path.join(dir, f));
  return dir;
}

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
