/** `npm run eval` called without a readable question file says what it needs (no stack trace). */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../src/config.js';

const run = promisify(execFile);

async function evalCli(...args: string[]): Promise<{ code: number; stderr: string }> {
  try {
    await run(process.execPath, ['--import', 'tsx', 'src/cli/eval.ts', ...args], {
      cwd: PROJECT_ROOT,
    });
    return { code: 0, stderr: '' };
  } catch (error) {
    const e = error as { code: number; stderr: string };
    return { code: e.code, stderr: e.stderr };
  }
}

describe('cli/eval', () => {
  it('names the file it could not read and what a question file is, without a stack trace', async () => {
    const { code, stderr } = await evalCli('../no-such-folder/eval/dev.jsonl');
    expect(code).toBe(1);
    expect(stderr).toContain('无法读取问题文件 ../no-such-folder/eval/dev.jsonl（文件不存在）');
    expect(stderr).toContain('usage: npm run eval -- FILE');
    expect(stderr).toContain('test/fixtures/seed-extra.jsonl');
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('asks for a file when none is given', async () => {
    const { code, stderr } = await evalCli('--json');
    expect(code).toBe(1);
    expect(stderr).toMatch(/^没有指定问题文件。\nusage:/);
  });
});
