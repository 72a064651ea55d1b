/**
 * `npm run ask -- "问题" [--json] [--history "earlier question"]…`: one answer, printed
 * readably (or as the answer object with --json).
 */
import { loadConfig } from '../config.js';
import { ensureIndex, loadEngine } from '../engine.js';
import { isAppError } from '../errors.js';
import type { Answer } from '../types.js';

export function formatAnswer(a: Answer): string {
  const lines = [a.found ? a.answer : `【未找到】${a.answer}`, ''];
  for (const c of a.citations) {
    lines.push(
      `[${c.n}] 《${c.title}》${c.section ? ` ${c.section}` : ''}（${c.start}–${c.end}，相关度 ${c.score}）`,
    );
    lines.push(`    ${c.text}`);
  }
  return lines.join('\n');
}

export function parseArgs(argv: string[]): { question: string; history: string[]; json: boolean } {
  const history: string[] = [];
  const rest: string[] = [];
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--json') json = true;
    else if (a === '--history') history.push(argv[++i] ?? '');
    else rest.push(a);
  }
  return { question: rest.join(' '), history, json };
}

async function main(): Promise<void> {
  const { question, history, json } = parseArgs(process.argv.slice(2));
  const config = loadConfig();
  await ensureIndex(config, { info: (m) => console.error(m) });
  const engine = await loadEngine(config);
  const answer = await engine.ask(question, { history });
  console.log(json ? JSON.stringify(answer, null, 2) : formatAnswer(answer));
}

main().catch((error: unknown) => {
  console.error(isAppError(error) ? `[${error.code}] ${error.message}` : error);
  process.exit(1);
});
