/** Console settings: stored over the config, validated, applied at once (allowed origins), and the log retention purge. */
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOperatorConsole, type OperatorConsole } from '../src/admin/console.js';
import { hashPassword } from '../src/admin/passwords.js';
import { loadConfig, PROJECT_ROOT } from '../src/config.js';
import { createApp, type WenzhengApp } from '../src/server/app.js';
import { createLogStore, type LogStore } from '../src/server/log-store.js';
import { createLogger } from '../src/server/logger.js';
import { signIn, type ConsoleClient } from './helpers/console-server.js';

const DAY = 86_400_000;
const dataDir = mkdtempSync(path.join(tmpdir(), 'wz-settings-'));
let url = '';
let app: WenzhengApp;
let operatorConsole: OperatorConsole;
let store: LogStore;
let editor: ConsoleClient;

beforeAll(async () => {
  const config = loadConfig({
    root: PROJECT_ROOT,
    env: {
      LOG_LEVEL: 'silent',
      DATA_DIR: dataDir,
      INDEX_DIR: path.join(dataDir, 'index'),
      HANDOFF_PHONE: '12345',
    },
  });
  const logger = createLogger({ level: 'silent' });
  operatorConsole = createOperatorConsole({ config, logger, publish: () => {} });
  store = createLogStore({ dir: dataDir, batchMs: 0 });
  app = createApp({
    config,
    store,
    logger,
    adminApi: operatorConsole.api,
    settings: () => operatorConsole.siteSettings(),
  });
  await new Promise<void>((resolve) => app.server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  await operatorConsole.stores.users.add(
    'editor1',
    'editor',
    await hashPassword('editor password 1'),
  );
  editor = await signIn(url, 'editor1', 'editor password 1');
});
afterAll(async () => {
  await app.shutdown({ timeoutMs: 0 });
  await operatorConsole.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('console settings', () => {
  it('starts from the configuration, with 180 days of log retention', async () => {
    const settings = await editor.json<{
      handoff: { phone: string };
      retentionDays: number;
      allowedOrigins: string[];
    }>('GET', '/settings');
    expect(settings).toMatchObject({
      handoff: { phone: '12345' },
      retentionDays: 180,
      allowedOrigins: [],
    });
  });

  it('refuses invalid values, naming the field', async () => {
    const res = await editor.request('PUT', '/settings', {
      retentionDays: 0,
      allowedOrigins: ['not a url'],
    });
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as { error: { message: string } };
    expect(error.message).toContain('retentionDays');
    expect(error.message).toContain('allowedOrigins');
  });

  it('applies allowed origins to the next request, without a restart', async () => {
    const fromOther = () =>
      fetch(`${url}/api/suggestions`, { headers: { origin: 'https://other.example' } });
    expect((await fromOther()).status).not.toBe(403);
    const saved = await editor.json<{ allowedOrigins: string[]; greeting: string }>(
      'PUT',
      '/settings',
      { allowedOrigins: ['https://www.example.gov.cn'], greeting: '您好，这里是示例政府网站。' },
    );
    expect(saved).toMatchObject({
      allowedOrigins: ['https://www.example.gov.cn'],
      greeting: '您好，这里是示例政府网站。',
    });
    expect(operatorConsole.siteSettings().greeting).toBe('您好，这里是示例政府网站。');
    expect((await fromOther()).status).toBe(403);
    const allowed = await fetch(`${url}/api/suggestions`, {
      headers: { origin: 'https://www.example.gov.cn' },
    });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://www.example.gov.cn');
    expect((await operatorConsole.stores.audit.list(10)).map((a) => a.action)).toContain(
      'settings.update',
    );
  });

  it('deletes questions older than the retention period and keeps newer ones', async () => {
    const record = (messageId: string, at: number) =>
      store.recordQuestion({
        messageId,
        at,
        sessionId: null,
        transport: 'http',
        question: '问题',
        found: false,
        citedChunkIds: [],
        latencyMs: 1,
        mode: 'extractive',
      });
    record('old', Date.now() - 200 * DAY);
    record('recent', Date.now() - 10 * DAY);
    expect(await store.get('old')).not.toBeNull(); // written
    expect(await operatorConsole.purge()).toBe(1);
    expect(await store.get('old')).toBeNull();
    expect(await store.get('recent')).not.toBeNull();
    await editor.request('PUT', '/settings', { retentionDays: 5 });
    expect(await operatorConsole.purge()).toBe(1);
    expect(await store.get('recent')).toBeNull();
  });
});
