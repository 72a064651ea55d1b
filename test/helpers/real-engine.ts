/**
 * The real answering engine for integration tests: corpus/ ingested once per test file
 * into a temporary INDEX_DIR (vitest runs each file in its own process, so "once per
 * file" is a module-level promise). Call removeRealIndex() in afterAll.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig, PROJECT_ROOT } from '../../src/config.js';
import { ensureIndex, loadEngine } from '../../src/engine.js';
import type { Engine } from '../../src/engine-types.js';

/** Questions about the seed report with the figure each answer must hold. */
export const KNOWN = {
  proposals: { question: '2021年山西办理了多少件人大代表建议？', figure: '811' },
  legalAdvice: { question: '免费提供法律咨询多少人次？', figure: '46.4万' },
  /** Something the reports do not cover. */
  notFound: { question: '公积金怎么提取？' },
} as const;

let indexDir: string | null = null;
let engine: Promise<Engine> | null = null;

/** The engine over a fresh index of corpus/ (built on first use in this file). */
export function realEngine(): Promise<Engine> {
  engine ??= (async () => {
    indexDir = mkdtempSync(path.join(tmpdir(), 'wenzheng-test-index-'));
    const config = loadConfig({
      root: PROJECT_ROOT,
      env: { LOG_LEVEL: 'silent', INDEX_DIR: indexDir },
    });
    await ensureIndex(config);
    return loadEngine(config);
  })();
  return engine;
}

/** Deletes the temporary index. */
export function removeRealIndex(): void {
  if (indexDir) rmSync(indexDir, { recursive: true, force: true });
  indexDir = null;
  engine = null;
}
