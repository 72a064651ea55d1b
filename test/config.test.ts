import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configSchema, loadConfig } from '../src/config.js';

describe('config', () => {
  it('documents every setting in .env.example with a comment, and nothing else', () => {
    const lines = readFileSync(new URL('../.env.example', import.meta.url), 'utf8').split('\n');
    const keys = lines.filter((l) => /^[A-Z_]+=/.test(l)).map((l) => l.split('=')[0]);
    expect(new Set(keys)).toEqual(new Set(Object.keys(configSchema.shape)));
    lines.forEach((l, i) => {
      if (/^[A-Z_]+=/.test(l)) expect(lines[i - 1], `comment above ${l}`).toMatch(/^# /);
    });
  });

  it('has working defaults and resolves folders against the project root', () => {
    const c = loadConfig({ env: {}, root: '/srv/wz' });
    expect(c).toMatchObject({ PORT: 3000, CORPUS_DIR: '/srv/wz/corpus', INDEX_DIR: '/srv/wz/vectorstore', LLM_PROVIDER: 'none' });
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('lists every invalid setting in one error', () => {
    expect(() => loadConfig({ env: { PORT: 'abc', LLM_PROVIDER: 'gpt' } })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID', message: expect.stringMatching(/PORT[\s\S]*LLM_PROVIDER/) }),
    );
  });
});
