/**
 * `npm run faults`: the fault suite. Each case runs against real components (the compiled
 * server in its own process, real sockets, SQLite on a full or read-only tmpfs, real bad
 * files, a fake OpenAI-compatible server that plants instructions) and checks that the
 * service stays up, answers, loses nothing accepted and reports what is wrong. Measured
 * figures (RSS, /healthz latency) are printed and checked here, never in the unit tests.
 *   npm run faults                 every case
 *   npm run faults -- --only flood the cases whose name contains "flood"
 * Exits 1 when a check fails.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildIndex } from '../ingest/build-index.js';
import { loadConfig, PROJECT_ROOT } from '../src/config.js';
import { createEmbedder } from '../src/embeddings/index.js';
import { badFiles } from './bad-files.js';
import type { CaseResult, FaultCase } from './case.js';
import { damagedIndex } from './damaged-index.js';
import { connectionFlood, pingFlood } from './floods.js';
import { malformedPath, plantedInstruction } from './llm.js';
import { damagedDatabase, fullDisk, readOnly } from './store.js';

const CASES: FaultCase[] = [
  fullDisk,
  readOnly,
  damagedDatabase,
  pingFlood,
  connectionFlood,
  damagedIndex,
  plantedInstruction,
  malformedPath,
  badFiles,
];

const only = process.argv.includes('--only')
  ? (process.argv[process.argv.indexOf('--only') + 1] ?? '')
  : '';
const selected = CASES.filter((c) => c.name.includes(only));
const work = mkdtempSync(path.join(tmpdir(), 'wenzheng-faults-'));
const isRoot = process.getuid?.() === 0;
let failed = 0;

try {
  const indexDir = path.join(work, 'seed-index');
  const config = loadConfig({
    root: PROJECT_ROOT,
    env: { INDEX_DIR: indexDir, LOG_LEVEL: 'silent' },
  });
  await buildIndex({ corpusDir: config.CORPUS_DIR, indexDir, embedder: createEmbedder(config) });
  for (const fault of selected) {
    const started = Date.now();
    let result: CaseResult;
    try {
      result = await fault.run({ indexDir, work, isRoot });
    } catch (error) {
      result = {
        checks: [
          {
            what: 'the case ran',
            ok: false,
            detail: error instanceof Error ? (error.stack ?? error.message) : String(error),
          },
        ],
        figures: {},
      };
    }
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (result.skipped) {
      console.log(`\n○ ${fault.name}: SKIPPED (${result.skipped})`);
      continue;
    }
    const ok = result.checks.every((c) => c.ok);
    if (!ok) failed++;
    console.log(`\n${ok ? '✓' : '✗'} ${fault.name} (${seconds} s)`);
    for (const c of result.checks)
      console.log(
        `    ${c.ok ? 'ok  ' : 'FAIL'} ${c.what}${!c.ok && c.detail ? ` — ${c.detail.slice(0, 400)}` : ''}`,
      );
    for (const [name, value] of Object.entries(result.figures))
      console.log(`    · ${name}: ${value}`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
console.log(
  `\n${selected.length - failed} of ${selected.length} fault cases passed${failed ? `, ${failed} failed` : ''}`,
);
process.exit(failed ? 1 : 0);
