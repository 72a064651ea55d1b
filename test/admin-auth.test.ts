/**
 * Sign-in to the console: scrypt passwords, the session cookie's flags, CSRF, lockout,
 * roles, the audit log, and ADMIN_TOKEN for programs (constant time, throttled).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOperatorConsole, type OperatorConsole } from '../src/admin/console.js';
import { hashPassword, verifyPassword } from '../src/admin/passwords.js';
import { loadConfig, PROJECT_ROOT } from '../src/config.js';
import { createApp, type WenzhengApp } from '../src/server/app.js';
import { createLogStore } from '../src/server/log-store.js';
import { createLogger } from '../src/server/logger.js';
import { signIn } from './helpers/console-server.js';

const dataDir = mkdtempSync(path.join(tmpdir(), 'wz-auth-'));
let url = '';
let app: WenzhengApp;
let operatorConsole: OperatorConsole;

const post = (route: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${url}/api/admin${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
const codeOf = async (res: Response) =>
  ((await res.json()) as { error: { code: string } }).error.code;

beforeAll(async () => {
  const config = loadConfig({
    root: PROJECT_ROOT,
    env: {
      LOG_LEVEL: 'silent',
      DATA_DIR: dataDir,
      INDEX_DIR: path.join(dataDir, 'index'),
      ADMIN_TOKEN: 'the-program-token',
      ADMIN_LOCKOUT_ATTEMPTS: '3',
      ADMIN_TOKEN_FAILURES_PER_MINUTE: '5',
    },
  });
  const logger = createLogger({ level: 'silent' });
  operatorConsole = createOperatorConsole({ config, logger, publish: () => {} });
  app = createApp({
    config,
    store: createLogStore({ dir: dataDir }),
    logger,
    adminApi: operatorConsole.api,
  });
  await new Promise<void>((resolve) => app.server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  await operatorConsole.stores.users.add(
    'editor1',
    'editor',
    await hashPassword('editor password 1'),
  );
  await operatorConsole.stores.users.add(
    'viewer1',
    'viewer',
    await hashPassword('viewer password 1'),
  );
  await operatorConsole.stores.users.add(
    'locked1',
    'editor',
    await hashPassword('locked password 1'),
  );
});
afterAll(async () => {
  await app.shutdown({ timeoutMs: 0 });
  await operatorConsole.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('console sign-in', () => {
  it('stores passwords as salted scrypt hashes and checks them', async () => {
    const a = await hashPassword('同一个密码 123');
    const b = await hashPassword('同一个密码 123');
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('同一个密码 123', a)).toBe(true);
    expect(await verifyPassword('同一个密码 124', a)).toBe(false);
    expect((await operatorConsole.stores.users.get('editor1'))!.passwordHash).not.toContain(
      'editor password',
    );
  });

  it('sets an HttpOnly, SameSite=Strict session cookie and answers who is signed in', async () => {
    const res = await post('/session', { name: 'editor1', password: 'editor password 1' });
    expect(res.status).toBe(200);
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^wz_admin=[\w-]{40,};/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    const session = (await res.json()) as { user: string; role: string; csrfToken: string };
    expect(session).toMatchObject({ user: 'editor1', role: 'editor' });
    const me = await fetch(`${url}/api/admin/session`, {
      headers: { cookie: cookie.split(';')[0]! },
    });
    expect(await me.json()).toMatchObject({
      user: 'editor1',
      role: 'editor',
      csrfToken: session.csrfToken,
    });
    expect(await codeOf(await fetch(`${url}/api/admin/session`))).toBe('UNAUTHORIZED');
  });

  it('refuses a change without the session CSRF token, and accepts it with the token', async () => {
    const client = await signIn(url, 'editor1', 'editor password 1');
    const body = JSON.stringify({ official: '法律咨询', everyday: '问问律师' });
    const without = await fetch(`${url}/api/admin/synonyms`, {
      method: 'POST',
      headers: { cookie: client.cookie, 'content-type': 'application/json' },
      body,
    });
    expect(without.status).toBe(403);
    expect(await codeOf(without)).toBe('CSRF_FAILED');
    const wrong = await fetch(`${url}/api/admin/synonyms`, {
      method: 'POST',
      headers: {
        cookie: client.cookie,
        'content-type': 'application/json',
        'x-csrf-token': 'x'.repeat(32),
      },
      body,
    });
    expect(wrong.status).toBe(403);
    expect(
      (await client.request('POST', '/synonyms', { official: '法律咨询', everyday: '问问律师' }))
        .status,
    ).toBe(201);
  });

  it('lets a viewer look but not change anything', async () => {
    const viewer = await signIn(url, 'viewer1', 'viewer password 1');
    expect((await viewer.request('GET', '/synonyms')).status).toBe(200);
    const res = await viewer.request('POST', '/synonyms', {
      official: '法律援助',
      everyday: '没钱打官司',
    });
    expect(res.status).toBe(403);
    expect(await codeOf(res)).toBe('FORBIDDEN');
  });

  it('locks an account after repeated wrong passwords, even for the right one, and logs it', async () => {
    for (let i = 0; i < 3; i++)
      expect(
        await codeOf(await post('/session', { name: 'locked1', password: `wrong ${i}` })),
      ).toBe('SIGN_IN_FAILED');
    const res = await post('/session', { name: 'locked1', password: 'locked password 1' });
    expect(res.status).toBe(429);
    expect(await codeOf(res)).toBe('ACCOUNT_LOCKED');
    expect((await operatorConsole.stores.audit.list(50)).map((a) => a.action)).toContain(
      'account.locked',
    );
    // An unknown name fails the same way as a wrong password.
    expect(await codeOf(await post('/session', { name: 'nobody', password: 'whatever 123' }))).toBe(
      'SIGN_IN_FAILED',
    );
  });

  it('records every change in the audit log with who made it', async () => {
    const entries = await operatorConsole.stores.audit.list(50);
    expect(entries.find((a) => a.action === 'synonym.add')).toMatchObject({ actor: 'editor1' });
  });

  it('accepts ADMIN_TOKEN from programs and throttles wrong tokens from one address', async () => {
    const ok = await fetch(`${url}/api/admin/jobs`, {
      headers: { authorization: 'Bearer the-program-token' },
    });
    expect(ok.status).toBe(200);
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++)
      statuses.push(
        (await fetch(`${url}/api/admin/jobs`, { headers: { authorization: `Bearer wrong-${i}` } }))
          .status,
      );
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5)).toEqual([429, 429]);
    // Throttled, the right token waits out the minute too: guessing gains nothing.
    expect(
      (
        await fetch(`${url}/api/admin/jobs`, {
          headers: { authorization: 'Bearer the-program-token' },
        })
      ).status,
    ).toBe(429);
  });
});
