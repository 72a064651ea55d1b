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
    expect(c).toMatchObject({
      PORT: 3000,
      CORPUS_DIR: '/srv/wz/corpus',
      INDEX_DIR: '/srv/wz/vectorstore',
      LLM_PROVIDER: 'none',
    });
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('lists every invalid setting in one error', () => {
    expect(() => loadConfig({ env: { PORT: 'abc', LLM_PROVIDER: 'gpt' } })).toThrow(
      expect.objectContaining({
        code: 'CONFIG_INVALID',
        message: expect.stringMatching(/PORT[\s\S]*LLM_PROVIDER/),
      }),
    );
  });

  it('refuses a provider without the settings it needs, naming each of them', () => {
    const fails = (env: Record<string, string>) => {
      try {
        loadConfig({ env, root: '/srv/wz' });
      } catch (error) {
        return (error as Error).message;
      }
      return 'accepted';
    };
    expect(fails({ LLM_PROVIDER: 'openai' })).toMatch(
      /LLM_MODEL: LLM_PROVIDER=openai 时必须设置[\s\S]*LLM_BASE_URL: LLM_PROVIDER=openai 时必须设置/,
    );
    expect(fails({ LLM_PROVIDER: 'ollama' })).toMatch(/LLM_MODEL: LLM_PROVIDER=ollama 时必须设置/);
    expect(fails({ LLM_PROVIDER: 'ollama' })).not.toMatch(/LLM_BASE_URL/);
    expect(fails({ EMBEDDINGS_PROVIDER: 'openai', EMBEDDINGS_MODEL: 'bge-m3' })).toMatch(
      /^配置有误（1 项）：\nEMBEDDINGS_BASE_URL: EMBEDDINGS_PROVIDER=openai 时必须设置$/,
    );
    expect(fails({ EMBEDDINGS_PROVIDER: 'ollama' })).toMatch(
      /EMBEDDINGS_MODEL: EMBEDDINGS_PROVIDER=ollama 时必须设置/,
    );
    expect(
      fails({ LLM_PROVIDER: 'openai', LLM_MODEL: 'm', LLM_BASE_URL: '10.0.0.5:8000/v1' }),
    ).toMatch(/LLM_BASE_URL: 应为 http/);
  });

  it('lists provider problems together with malformed values', () => {
    expect(() =>
      loadConfig({
        env: { PORT: 'abc', LLM_PROVIDER: 'openai', LLM_BASE_URL: 'http://h/v1' },
        root: '/srv/wz',
      }),
    ).toThrow(
      expect.objectContaining({
        code: 'CONFIG_INVALID',
        message: expect.stringMatching(/（2 项）[\s\S]*PORT[\s\S]*LLM_MODEL/),
      }),
    );
  });

  it('accepts each provider with its settings', () => {
    expect(
      loadConfig({
        env: { LLM_PROVIDER: 'openai', LLM_MODEL: 'm', LLM_BASE_URL: 'http://10.0.0.5:8000/v1' },
        root: '/srv/wz',
      }).LLM_MODEL,
    ).toBe('m');
    expect(
      loadConfig({ env: { LLM_PROVIDER: 'ollama', LLM_MODEL: 'qwen2.5:7b' }, root: '/srv/wz' })
        .LLM_BASE_URL,
    ).toBe('');
    expect(
      loadConfig({
        env: { EMBEDDINGS_PROVIDER: 'ollama', EMBEDDINGS_MODEL: 'bge-m3' },
        root: '/srv/wz',
      }).EMBEDDINGS_PROVIDER,
    ).toBe('ollama');
  });
});
