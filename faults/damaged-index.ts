/**
 * Damaged index files under the real server process: the start-up error names the file and
 * the command that rebuilds it, in Chinese, instead of 「服务内部错误」; an index that loads but
 * holds no passages is never reported ready.
 */
import { cpSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { results, type CaseResult, type FaultCase } from './case.js';
import { jsonLines, sleep, startServerProcess } from './server-process.js';

const DAMAGES: Array<[string, string, string]> = [
  ['keyword.json', '', 'keyword.json 为空'],
  ['chunks.json', '', 'chunks.json 为空'],
  ['chunks.json', '[]', 'chunks.json 有 0 个段落'],
  ['documents.json', '{"truncated', 'documents.json 不是有效的 JSON'],
];

export const damagedIndex: FaultCase = {
  name: 'damaged index files',
  async run(ctx): Promise<CaseResult> {
    const r = results();
    let n = 0;
    for (const [file, content, expected] of DAMAGES) {
      const indexDir = path.join(ctx.work, `damaged-index-${++n}`);
      cpSync(ctx.indexDir, indexDir, { recursive: true, verbatimSymlinks: true });
      writeFileSync(path.join(indexDir, 'current', file), content);
      const server = await startServerProcess({
        env: { INDEX_DIR: indexDir, DATA_DIR: path.join(ctx.work, `damaged-index-data-${n}`) },
        ready: false,
      });
      let ready = false;
      // Until the process gives up (it exits on a damaged index) or 10 s pass, /readyz must never say ready.
      for (let i = 0; i < 100 && server.child.exitCode === null; i++) {
        try {
          if ((await fetch(`${server.url}/readyz`)).status === 200) ready = true;
        } catch {
          break;
        }
        await sleep(100);
      }
      await server.stop();
      const fatal = jsonLines(server.lines).find((l) => l['level'] === 60);
      const message = String(fatal?.['msg'] ?? '');
      r.check(
        `${file} ${content === '' ? 'empty' : JSON.stringify(content)}: /readyz never 200`,
        !ready,
      );
      r.check(
        `${file} ${content === '' ? 'empty' : JSON.stringify(content)}: the error names the file and npm run ingest`,
        message.includes(expected) &&
          message.includes('npm run ingest') &&
          !message.includes('服务内部错误'),
        message,
      );
    }
    return r;
  },
};
