/**
 * The operator console (/admin): sign-in, then the pages in a hash router. Each page
 * renders into <main>; after a page change the focus moves to its heading, so keyboard
 * and screen-reader users land where the content starts.
 */
import { api, ApiError, setCsrfToken } from './api.js';
import { field, h, replace } from './dom.js';
import type { PageContext } from './page.js';
import { PAGES } from './pages.js';

interface SessionInfo {
  user: string;
  role: 'editor' | 'viewer';
  csrfToken: string | null;
}

const root = document.getElementById('app')!;

function renderSignIn(message = ''): void {
  const name = h('input', { type: 'text', name: 'name', autocomplete: 'username', required: true });
  const password = h('input', {
    type: 'password',
    name: 'password',
    autocomplete: 'current-password',
    required: true,
  });
  const error = h('p', { class: 'error', role: 'alert' }, message);
  const form = h(
    'form',
    { class: 'signin', 'aria-labelledby': 'signin-title' },
    h('h1', { id: 'signin-title' }, '问政 · 管理后台登录'),
    field('用户名', name),
    field('密码', password),
    error,
    h('button', { type: 'submit', class: 'primary' }, '登录'),
    h('p', { class: 'hint' }, '还没有账号？请管理员在服务器上运行 npm run admin -- add 用户名。'),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      const session = await api<SessionInfo>('POST', '/session', {
        name: name.value,
        password: password.value,
      });
      setCsrfToken(session.csrfToken);
      renderShell(session);
    } catch (e) {
      replace(error, e instanceof Error ? e.message : '登录失败');
      password.value = '';
      password.focus();
    }
  });
  replace(root, h('main', { id: 'main' }, form));
  name.focus();
}

function renderShell(session: SessionInfo): void {
  const status = h('div', { class: 'status', role: 'status', 'aria-live': 'polite' });
  const main = h('main', { id: 'main', tabindex: '-1' });
  const links = PAGES.map((p) => h('a', { href: `#/${p.id}` }, p.title));
  const signOut = h('button', { type: 'button', class: 'link' }, '退出登录');
  signOut.addEventListener('click', async () => {
    await api('DELETE', '/session').catch(() => {});
    setCsrfToken(null);
    location.hash = '';
    renderSignIn('您已退出登录。');
  });
  replace(
    root,
    h('a', { class: 'skip', href: '#main' }, '跳到主要内容'),
    h(
      'header',
      { class: 'top' },
      h('p', { class: 'brand' }, '问政 · 管理后台'),
      h(
        'p',
        { class: 'who' },
        `${session.user}（${session.role === 'editor' ? '编辑' : '只读'}）`,
        ' ',
        signOut,
      ),
    ),
    h('nav', { 'aria-label': '管理功能' }, h('ul', {}, ...links.map((a) => h('li', {}, a)))),
    main,
    status,
  );
  let statusTimer: number | undefined;
  const ctx: PageContext = {
    canEdit: session.role === 'editor',
    notify(message) {
      status.textContent = message;
      window.clearTimeout(statusTimer);
      statusTimer = window.setTimeout(() => (status.textContent = ''), 8000);
    },
    go(hash) {
      location.hash = hash;
    },
    params: new URLSearchParams(),
  };
  const route = async () => {
    const [id = '', query = ''] = location.hash.replace(/^#\/?/, '').split('?');
    const page = PAGES.find((p) => p.id === id) ?? PAGES[0]!;
    for (const a of links) {
      if (a.getAttribute('href') === `#/${page.id}`) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    }
    document.title = `${page.title} · 问政管理后台`;
    ctx.params = new URLSearchParams(query);
    const body = h('div', { class: 'page' }, h('p', { class: 'hint' }, '加载中…'));
    replace(main, h('h1', { tabindex: '-1' }, page.title), body);
    try {
      await page.render(body, ctx);
    } catch (e) {
      if (e instanceof ApiError && (e.status === 401 || e.code === 'SIGN_IN_REQUIRED'))
        return renderSignIn('登录已过期，请重新登录。');
      replace(
        body,
        h('p', { class: 'error', role: 'alert' }, e instanceof Error ? e.message : String(e)),
      );
    }
    main.querySelector('h1')?.focus();
  };
  window.onhashchange = () => void route();
  void route();
}

async function start(): Promise<void> {
  try {
    const session = await api<SessionInfo>('GET', '/session');
    setCsrfToken(session.csrfToken);
    renderShell(session);
  } catch {
    renderSignIn();
  }
}

void start();
