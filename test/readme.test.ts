import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  scripts: Record<string, string>;
};

describe('README', () => {
  it('only shows npm commands that exist', () => {
    const used = [...readme.matchAll(/npm (?:run ([a-z:]+)|(start|test))\b/g)].map(
      (m) => m[1] ?? m[2]!,
    );
    expect(used.length).toBeGreaterThan(5);
    for (const script of new Set(used)) expect(pkg.scripts, script).toHaveProperty(script);
  });

  it('names every setting of .env.example', () => {
    const keys =
      readFileSync(new URL('../.env.example', import.meta.url), 'utf8').match(/^[A-Z_]+(?==)/gm) ??
      [];
    const missing = keys.filter((k) => !readme.includes(`\`${k}\``));
    expect(missing).toEqual([]);
  });
});
