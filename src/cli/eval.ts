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

const USAGE = [
  'usage: npm run eval -- FILE [--json] [--verbose] [--llm]',
  '  FILE: a question file, one JSON object a line ({"id","question","kind",…}), e.g.',
  '        test/fixtures/seed-extra.jsonl (in this repository, for the seed report) or',
  '        ../shared/eval/dev.jsonl (the shared development set, beside the checkout)',
].join('\n');

/** A mistake in how the command was called: printed as it is, without a stack trace. */
class UsageError extends Error {}

/** The question file's text, or a UsageError saying what is needed. */
async function readQuestions(file: string | undefined): Promise<string> {
  if (!file) throw new UsageError(`没有指定问题文件。\n${USAGE}`);
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? '文件不存在'
        : code === 'EACCES'
          ? '没有读取权限'
          : code === 'EISDIR'
            ? '这是一个文件夹'
            : String(code ?? error);
    throw new UsageError(`无法读取问题文件 ${file}（${why}）。\n${USAGE}`);
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const json = args.includes('--json');
  const verbose = args.includes('--verbose');
  const items = parseItems(await readQuestions(args.find((a) => !a.startsWith('--'))));
  const config = loadConfig();
  await ensureIndex(config, { info: (m) => console.error(m) });
  const extractive = await loadEngine(config);
  const llm = args.includes('--llm');
  if (llm && config.LLM_PROVIDER === 'none')
    throw new UsageError('--llm needs LLM_PROVIDER (openai or ollama) in .env');
  const engine = llm
    ? withLlm(extractive, config, {
        logger: {
          info: () => {},
          warn: (f, m) => {
            if (verbose) console.error(`  ${m}`, JSON.stringify(f));
          },
        },
      })
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
      console.error(
        `✗ ${item.id} ${item.question} → ${answer.found ? '' : '[未找到] '}${answer.answer}\n    ${result.reasons.join('; ')}`,
      );
    }
  }
  const rows = summarize(results);
  const passed = results.filter((r) => r.passed).length;
  if (json) {
    console.log(
      JSON.stringify({ rows, results, passed, failed: results.length - passed }, null, 2),
    );
  } else {
    console.log(formatTable(rows));
    for (const r of results.filter((x) => !x.passed))
      console.log(`✗ ${r.id} (${r.kind}): ${r.reasons.join('; ')}`);
  }
  if (llm) console.log(`modes: ${[...modes].map(([m, n]) => `${m} ${n}`).join(', ')}`);
  console.log(`${passed} passed, ${results.length - passed} failed`);
}

main().catch((error: unknown) => {
  if (error instanceof UsageError) console.error(error.message);
  else console.error(isAppError(error) ? `[${error.code}] ${error.message}` : error);
  process.exit(1);
});
