/** package.json lists what the code uses: every dependency is imported by the code it is listed for. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../src/config.js';

const pkg = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  scripts: Record<string, string>;
};

function sources(dir: string): string[] {
  return readdirSync(path.join(PROJECT_ROOT, dir)).flatMap((name) => {
    const rel = path.join(dir, name);
    if (name === 'node_modules' || name === 'dist') return [];
    if (statSync(path.join(PROJECT_ROOT, rel)).isDirectory()) return sources(rel);
    return /\.(ts|js|cjs)$/.test(name) ? [rel] : [];
  });
}

/** Packages a set of files imports (static, dynamic, or through require). */
function importedBy(files: string[]): Set<string> {
  const out = new Set<string>();
  const spec =
    /(?:from\s+|import\(\s*|require\(\s*|\)\(\s*)'((?:@[\w.-]+\/)?[\w.-]+)(?:\/[^']*)?'/g;
  for (const file of files) {
    for (const m of readFileSync(path.join(PROJECT_ROOT, file), 'utf8').matchAll(spec))
      if (!m[1]!.startsWith('.')) out.add(m[1]!);
  }
  return out;
}

/** What the service runs and serves: the server, ingest, and the browser code bundled from web/src. */
const runtime = importedBy([...sources('src'), ...sources('ingest'), ...sources('web/src')]);
const tooling = importedBy([
  ...sources('test'),
  ...sources('bench'),
  'web/build.ts',
  'eslint.config.js',
  '.dependency-cruiser.cjs',
  'vitest.config.ts',
]);
const scripts = Object.values(pkg.scripts).join(' ');

/** Loaded by a dependency rather than imported: HNSWLib (@langchain/community) requires hnswlib-node, its peer. */
const PEERS: Record<string, string> = { 'hnswlib-node': '@langchain/community' };
/** Command-line tools the scripts run, by package (typescript: the compiler API typescript-eslint loads). */
const CLIS: Record<string, string> = {
  '@typescript/native': 'tsc',
  typescript: 'eslint',
  tsx: 'tsx',
  prettier: 'prettier',
  eslint: 'eslint',
  'dependency-cruiser': 'depcruise',
  vitest: 'vitest',
};

describe('package.json', () => {
  it('lists no runtime dependency the service does not import', () => {
    const unused = Object.keys(pkg.dependencies).filter(
      (d) => !runtime.has(d) && !(PEERS[d] && runtime.has(PEERS[d])),
    );
    expect(unused).toEqual([]);
  });

  it('lists every package the service imports as a runtime dependency', () => {
    const missing = [...runtime].filter((d) => !d.startsWith('node:') && !(d in pkg.dependencies));
    expect(missing).toEqual([]);
  });

  it('lists no development dependency that no test, benchmark, build, config or script uses', () => {
    const unused = Object.keys(pkg.devDependencies).filter((d) => {
      if (tooling.has(d) || runtime.has(d)) return false;
      if (CLIS[d] && scripts.includes(CLIS[d])) return false;
      if (d.startsWith('@types/'))
        return !(
          d.slice('@types/'.length) in pkg.dependencies ||
          d === '@types/node' ||
          tooling.has(d.slice(7))
        );
      return true;
    });
    expect(unused).toEqual([]);
  });
});
