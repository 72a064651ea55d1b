/**
 * What `npm start` does on a fresh clone: build, then the compiled entry point builds the
 * missing index, listens, answers, and stops cleanly on SIGTERM.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../src/config.js';
import { KNOWN } from './helpers/real-engine.js';

const work = mkdtempSync(path.join(tmpdir(), 'wz-start-'));
let child: ChildProcess | null = null;

afterAll(() => {
  child?.kill('SIGKILL');
  rmSync(work, { recursive: true, force: true });
});

/** The first http://host:port the server logs. */
function listeningUrl(proc: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    proc.stdout!.on('data', (data: Buffer) => {
      out += data.toString();
      const m = /listening on (http:\/\/[\d.]+:\d+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    proc.once('exit', (code) =>
      reject(new Error(`server exited with ${code}: ${out.slice(-500)}`)),
    );
  });
}

describe('npm start (compiled server)', () => {
  it('builds, indexes the corpus on first start, answers, and exits 0 on SIGTERM', async () => {
    // The server half of `npm run build` (npm test has built the widget already).
    execFileSync('npm', ['run', '--silent', 'build:server'], { cwd: PROJECT_ROOT, stdio: 'pipe' });
    child = spawn(process.execPath, ['dist/src/main.js'], {
      cwd: PROJECT_ROOT,
      env: {
        ...process.env,
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'info',
        INDEX_DIR: path.join(work, 'index'),
        DATA_DIR: path.join(work, 'data'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const url = await listeningUrl(child);
    let ready = false;
    for (let i = 0; i < 100 && !ready; i++) {
      ready = (await fetch(`${url}/readyz`)).ok;
      if (!ready) await new Promise((r) => setTimeout(r, 100));
    }
    expect(ready).toBe(true);
    // Every serving process (WORKERS defaults to the cores) loads the index on its own: a
    // question may reach one still loading (503) for a moment after another says ready.
    const ask = () =>
      fetch(`${url}/api/ask`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ question: KNOWN.legalAdvice.question }),
      });
    let res = await ask();
    for (let i = 0; i < 100 && res.status === 503; i++) {
      await new Promise((r) => setTimeout(r, 100));
      res = await ask();
    }
    expect(res.status).toBe(200);
    const answer = (await res.json()) as { found: boolean; answer: string };
    expect(answer.found).toBe(true);
    expect(answer.answer).toContain(KNOWN.legalAdvice.figure);
    expect((await fetch(`${url}/widget.js`)).status).toBe(200);

    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const [code] = (await exited) as [number];
    expect(code).toBe(0);
    child = null;
  }, 60_000);
});
