/**
 * `npm run admin -- add NAME [--role editor|viewer]`, `passwd NAME`, `remove NAME`, `list`:
 * console accounts, in the question log's database (the SQLite file under DATA_DIR, or
 * PostgreSQL when DATABASE_URL is set). The password is asked
 * twice on a terminal (not echoed), or read from the first line of stdin when piped.
 */
import { createInterface } from 'node:readline';
import { loadConfig } from '../config.js';
import { isAppError } from '../errors.js';
import { hashPassword, MIN_PASSWORD_LENGTH } from '../admin/passwords.js';
import { openStorage } from '../store/storage.js';
import type { Role } from '../admin/store.js';

/** Reads a password: hidden on a terminal, the first line of piped input otherwise. */
async function readPassword(prompt: string): Promise<string> {
  if (!process.stdin.isTTY) {
    const rl = createInterface({ input: process.stdin });
    for await (const line of rl) {
      rl.close();
      return line;
    }
    return '';
  }
  process.stdout.write(prompt);
  process.stdin.setRawMode(true);
  process.stdin.resume();
  let value = '';
  return new Promise((resolve) => {
    const onData = (data: Buffer) => {
      for (const ch of data.toString('utf8')) {
        if (ch === '\r' || ch === '\n') {
          process.stdin.setRawMode(false);
          process.stdin.pause();
          process.stdin.off('data', onData);
          process.stdout.write('\n');
          resolve(value);
          return;
        }
        if (ch === '\u0003') process.exit(130);
        value = ch === '\u007f' ? value.slice(0, -1) : value + ch;
      }
    };
    process.stdin.on('data', onData);
  });
}

async function newPassword(): Promise<string> {
  const password = await readPassword('密码：');
  if ([...password].length < MIN_PASSWORD_LENGTH)
    throw new Error(`密码至少 ${MIN_PASSWORD_LENGTH} 个字符。`);
  if (process.stdin.isTTY && (await readPassword('再输入一次：')) !== password)
    throw new Error('两次输入的密码不一致。');
  return password;
}

const USAGE =
  '用法：npm run admin -- add 用户名 [--role editor|viewer] | passwd 用户名 | remove 用户名 | list';

async function main(): Promise<void> {
  const [command, name, ...rest] = process.argv.slice(2);
  const config = loadConfig();
  const storage = await openStorage({ config });
  const { stores } = storage;
  try {
    if (command === 'list') {
      for (const u of await stores.users.list())
        console.log(`${u.name}\t${u.role === 'editor' ? '编辑' : '查看'}\t${u.createdAt}`);
      return;
    }
    if (!name || !/^[\p{L}\p{N}._-]{1,64}$/u.test(name))
      throw new Error(`请给出用户名（字母、数字、汉字、. _ -）。${USAGE}`);
    if (command === 'add') {
      const roleAt = rest.indexOf('--role');
      const role = (roleAt >= 0 ? rest[roleAt + 1] : 'editor') as Role;
      if (role !== 'editor' && role !== 'viewer')
        throw new Error('角色只能是 editor（编辑）或 viewer（查看）。');
      if (await stores.users.get(name)) throw new Error(`用户 ${name} 已存在；改密码请用 passwd。`);
      await stores.users.add(name, role, await hashPassword(await newPassword()));
      await stores.audit.record({
        actor: 'npm run admin',
        action: 'user.add',
        target: name,
        detail: role,
      });
      console.log(`已创建${role === 'editor' ? '编辑' : '查看'}账号 ${name}，请在 /admin 登录。`);
    } else if (command === 'passwd') {
      if (!(await stores.users.get(name))) throw new Error(`用户 ${name} 不存在。`);
      await stores.users.setPassword(name, await hashPassword(await newPassword()));
      await stores.sessions.deleteForUser(name);
      await stores.audit.record({
        actor: 'npm run admin',
        action: 'user.password',
        target: name,
        detail: '',
      });
      console.log(`已修改 ${name} 的密码（已有的登录已失效）。`);
    } else if (command === 'remove') {
      if (!(await stores.users.remove(name))) throw new Error(`用户 ${name} 不存在。`);
      await stores.sessions.deleteForUser(name);
      await stores.audit.record({
        actor: 'npm run admin',
        action: 'user.remove',
        target: name,
        detail: '',
      });
      console.log(`已删除账号 ${name}。`);
    } else throw new Error(USAGE);
  } finally {
    await storage.close();
  }
}

main().catch((error: unknown) => {
  console.error(
    isAppError(error)
      ? `[${error.code}] ${error.message}`
      : error instanceof Error
        ? error.message
        : error,
  );
  process.exit(1);
});
