/**
 * `npm run eval -- FILE [--json] [--verbose] [--llm]`: asks every question of a question file and
 * prints a per-kind table and a last line `N passed, M failed`. With --llm the answers come
 * from the configured model (LLM_PROVIDER), checked, with the extractive fallback.
 */
import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { withLlm } from '../answer/llm-engine.js';
import { loadConfig } from '../config.js';
import { ensureIndex, loadEngine } from '../engine.js';
import { isAppError } from '../errors.js';
import { formatTable, parseItems, scoreItem, summarize, type ItemResult } from '../eval/score.js';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const file = args.find((a) => !a.startsWith('--'));
  if (!file) throw new Error('usage: npm run eval -- FILE [--json] [--verbose] [--llm]');
  const json = args.includes('--json');
  const verbose = args.includes('--verbose');
  const items = parseItems(await readFile(file, 'utf8'));
  const config = loadConfig();
  await ensureIndex(config, { info: (m) => console.error(m) });
  const extractive = await loadEngine(config);
  const llm = args.includes('--llm');
  if (llm && config.LLM_PROVIDER === 'none') throw new Error('--llm needs LLM_PROVIDER (openai or ollama) in .env');
  const engine = llm
    ? withLlm(extractive, config, { logger: { info: () => {}, warn: (f, m) => {
      if (verbose) console.error(`  ${m}`, JSON.stringify(f));
    } } })
    : extractive;
  const modes = new Map<string, number>();
  const results: ItemResult[] = [];
  for (const item of items) {
    const t = performance.now();
    const answer = await engine.ask(item.question, { history: item.history ?? [] });
    const mode = answer.fallbackReason ? `${answer.mode} (${answer.fallbackReason})` : answer.mode;
    modes.set(mode, (modes.get(mode) ?? 0) + 1);
    const result = scoreItem(item, answer, performance.now() - t);
    results.push(result);
    if (verbose && !result.passed) {
      console.error(`✗ ${item.id} ${item.question} → ${answer.found ? '' : '[未找到] '}${answer.answer}\n    ${result.reasons.join('; ')}`);
    }
  }
  const rows = summarize(results);
  const passed = results.filter((r) => r.passed).length;
  if (json) {
    console.log(JSON.stringify({ rows, results, passed, failed: results.length - passed }, null, 2));
  } else {
    console.log(formatTable(rows));
    for (const r of results.filter((x) => !x.passed)) console.log(`✗ ${r.id} (${r.kind}): ${r.reasons.join('; ')}`);
  }
  if (llm) console.log(`modes: ${[...modes].map(([m, n]) => `${m} ${n}`).join(', ')}`);
  console.log(`${passed} passed, ${results.length - passed} failed`);
}

main().catch((error: unknown) => {
  console.error(isAppError(error) ? `[${error.code}] ${error.message}` : error);
  process.exit(1);
});
