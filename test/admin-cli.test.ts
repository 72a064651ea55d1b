/** `npm run admin`: the first administrator is created from the command line, the password piped in. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../src/admin/passwords.js';
import { openSqliteAdminStores } from '../src/admin/sqlite-store.js';
import { PROJECT_ROOT } from '../src/config.js';

const dataDir = mkdtempSync(path.join(tmpdir(), 'wz-admin-cli-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const admin = (args: string[], input = '') =>
  execFileSync(process.execPath, ['--import', 'tsx', 'src/cli/admin.ts', ...args], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, DATA_DIR: dataDir },
    input,
    encoding: 'utf8',
    stdio: ['pipe', 'pipe', 'pipe'],
  });

describe('npm run admin', () => {
  it('adds an editor with a scrypt-hashed password, refuses short passwords and duplicates, and lists accounts', async () => {
    expect(admin(['add', 'zhangsan'], 'a long enough password\n')).toContain(
      '已创建编辑账号 zhangsan',
    );
    expect(() => admin(['add', 'lisi', '--role', 'viewer'], 'short\n')).toThrow(/至少 10 个字符/);
    expect(() => admin(['add', 'zhangsan'], 'another long password\n')).toThrow(/已存在/);
    expect(admin(['list'])).toMatch(/^zhangsan\t编辑\t/);
    const stores = openSqliteAdminStores({ dir: dataDir });
    const user = (await stores.users.get('zhangsan'))!;
    await stores.close();
    expect(user.role).toBe('editor');
    expect(user.passwordHash).toMatch(/^scrypt\$/);
    return verifyPassword('a long enough password', user.passwordHash).then((ok) =>
      expect(ok).toBe(true),
    );
  }, 60_000);
});
