/**
 * Damaged index files under the real server process: the error names the file and the
 * command that rebuilds it, in Chinese, instead of 「服务内部错误」; the damaged index is never
 * reported ready, and the server rebuilds it from the corpus and then answers.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { results, type CaseResult, type FaultCase } from './case.js';
import { ask, jsonLines, sleep, startServerProcess } from './server-process.js';

interface Damage {
  file: string;
  what: string;
  /** The damaged file's content, from the intact one. */
  content: (intact: string) => string;
  /** What the error says of it. */
  expected: string;
}

const DAMAGES: Damage[] = [
  { file: 'keyword.json', what: 'empty', content: () => '', expected: 'keyword.json 为空' },
  { file: 'chunks.json', what: 'empty', content: () => '', expected: 'chunks.json 为空' },
  { file: 'chunks.json', what: '"[]"', content: () => '[]', expected: 'chunks.json 有 0 个段落' },
  {
    file: 'documents.json',
    what: '"{\\"truncated"',
    content: () => '{"truncated',
    expected: 'documents.json 不是有效的 JSON',
  },
  {
    file: 'chunks.json',
    what: 'cut in half (one passage a line)',
    content: (intact) => intact.slice(0, Math.floor(intact.length / 2)),
    expected: 'chunks.json 不是有效的 JSON',
  },
];

export const damagedIndex: FaultCase = {
  name: 'damaged index files',
  async run(ctx): Promise<CaseResult> {
    const r = results();
    const damagedBuilt = (
      JSON.parse(readFileSync(path.join(ctx.indexDir, 'current', 'manifest.json'), 'utf8')) as {
        builtAt: string;
      }
    ).builtAt;
    let n = 0;
    for (const { file, what: how, content, expected } of DAMAGES) {
      const what = `${file} ${how}`;
      const indexDir = path.join(ctx.work, `damaged-index-${++n}`);
      cpSync(ctx.indexDir, indexDir, { recursive: true, verbatimSymlinks: true });
      const target = path.join(indexDir, 'current', file);
      writeFileSync(target, content(readFileSync(target, 'utf8')));
      const server = await startServerProcess({
        env: { INDEX_DIR: indexDir, DATA_DIR: path.join(ctx.work, `damaged-index-data-${n}`) },
        ready: false,
      });
      try {
        // /readyz until it says ready (or 60 s): the index it then reports must be a new one.
        let servedBuiltAt: string | null = null;
        for (let i = 0; i < 600 && server.child.exitCode === null && !servedBuiltAt; i++) {
          const res = await fetch(`${server.url}/readyz`).catch(() => null);
          if (res?.status === 200)
            servedBuiltAt = ((await res.json()) as { builtAt: string }).builtAt;
          else await sleep(100);
        }
        const logged = jsonLines(server.lines).find(
          (l) => Number(l['level']) >= 50 && String(l['msg']).includes(expected),
        );
        const message = String(logged?.['msg'] ?? '');
        r.check(
          `${what}: the damaged index is never reported ready`,
          servedBuiltAt !== damagedBuilt,
        );
        r.check(
          `${what}: the error names the file and npm run ingest`,
          message.includes('npm run ingest') && !message.includes('服务内部错误'),
          message || server.lines.slice(-5).join('\n'),
        );
        r.check(
          `${what}: rebuilt from the corpus, then ready and answering`,
          servedBuiltAt !== null &&
            String(
              (await ask(server.url, '2021年山西办理了多少件人大代表建议？')).body['answer'],
            ).includes('811'),
          servedBuiltAt ?? 'never ready',
        );
      } finally {
        await server.stop();
      }
    }
    return r;
  },
};
