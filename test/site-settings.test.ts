import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import {
  parseSuggestions,
  siteSettingsFromConfig,
  widgetSettings,
  type SiteSettings,
} from '../src/server/site-settings.js';
import { createFakeEngine } from './helpers/fake-engine.js';
import { removeDataDirs, serversClosedAfterEach } from './helpers/server.js';

const dir = mkdtempSync(path.join(tmpdir(), 'wz-settings-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  removeDataDirs();
});

describe('site-settings', () => {
  const serve = serversClosedAfterEach();

  it('reads the greeting, the hand-off line and the suggestions file from config', () => {
    const file = path.join(dir, 'suggestions.txt');
    writeFileSync(file, '# 常见问题\n法律援助怎么申请？\n\n  行政复议办了多少件？  \n');
    const config = loadConfig({
      root: dir,
      env: {
        GREETING: '您好，请提问',
        HANDOFF_PHONE: '12345',
        HANDOFF_HOURS: '工作日 9:00–17:00',
        HANDOFF_URL: 'https://www.example.gov.cn/hd',
        SUGGESTIONS_FILE: 'suggestions.txt',
        ALLOWED_ORIGINS: 'https://a.example',
      },
    });
    expect(siteSettingsFromConfig(config)).toEqual({
      greeting: '您好，请提问',
      handoff: { phone: '12345', hours: '工作日 9:00–17:00', url: 'https://www.example.gov.cn/hd' },
      suggestions: ['法律援助怎么申请？', '行政复议办了多少件？'],
      allowedOrigins: ['https://a.example'],
    });
  });

  it('refuses a hand-off link that is not http(s)', () => {
    expect(() => loadConfig({ root: dir, env: { HANDOFF_URL: 'javascript:alert(1)' } })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID' }),
    );
  });

  it('falls back to the generated questions when the file is missing or empty', () => {
    const settings = siteSettingsFromConfig(
      loadConfig({ root: dir, env: { SUGGESTIONS_FILE: 'missing.txt' } }),
    );
    expect(settings.suggestions).toEqual([]);
    expect(widgetSettings(settings, () => ['生成的问题？']).suggestions).toEqual(['生成的问题？']);
    expect(widgetSettings(settings, () => []).handoff).toBeNull();
    expect(parseSuggestions('# 只有注释\n\n')).toEqual([]);
  });

  it('serves /api/widget-config from the current settings, which the console may swap', async () => {
    let settings: SiteSettings = {
      greeting: '',
      handoff: { phone: '', hours: '', url: '' },
      suggestions: [],
      allowedOrigins: [],
    };
    const server = await serve({ engine: createFakeEngine(), settings: () => settings });
    const first = await (await fetch(`${server.url}/api/widget-config`)).json();
    expect(first).toEqual({
      greeting: '',
      handoff: null,
      suggestions: ['2021年办理了多少件行政复议案件？', '新建了多少个公共法律服务站点？'],
    });
    settings = {
      greeting: '您好',
      handoff: { phone: '12345', hours: '', url: '' },
      suggestions: ['问题一？'],
      allowedOrigins: ['https://a.example'],
    };
    const second = await (await fetch(`${server.url}/api/widget-config`)).json();
    expect(second).toEqual({
      greeting: '您好',
      handoff: { phone: '12345', hours: '', url: '' },
      suggestions: ['问题一？'],
    });
    expect((await (await fetch(`${server.url}/api/suggestions`)).json()).suggestions).toEqual([
      '问题一？',
    ]);
    const refused = await fetch(`${server.url}/api/widget-config`, {
      headers: { origin: 'https://b.example' },
    });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('access-control-allow-origin')).toBe('https://b.example');
    const body = (await refused.json()) as { error: { code: string; detail: string } };
    expect(body.error.code).toBe('ORIGIN_NOT_ALLOWED');
    expect(body.error.detail).toContain('https://b.example');
  });
});
