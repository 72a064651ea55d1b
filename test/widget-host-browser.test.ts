/**
 * The widget on host pages of another origin, as government sites and WeChat H5 pages are
 * written (Debian's chromium via playwright-core): root font sizes of 37.5/50/100 px and
 * 62.5 %, 200 % and 400 % zoom, hostile global CSS; refusals people can use, citations they
 * can check, a site that is not allowed, a page whose CSP forgets the server, axe on /chat.
 * The host pages come from a second local server on port 0: another port is another origin.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, BrowserContextOptions, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../src/config.js';
import type { SiteSettings } from '../src/server/site-settings.js';
import { hasChromium, launchBrowser, SKIP_MESSAGE } from './helpers/browser.js';
import { SEED_SOURCE_URL, startWidgetServer, type WidgetServer } from './helpers/widget-fixture.js';

const LEGAL_AID = '去年山西给老百姓免费做了多少次法律咨询？';
/** A question the seed report does not answer. */
const REFUSED = '公积金怎么提取？';
const SHOTS = path.join(
  PROJECT_ROOT,
  process.env.UPDATE_SCREENSHOTS === '1' ? 'docs/screenshots' : 'test-results/screenshots',
);
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];
const WECHAT_UA =
  'Mozilla/5.0 (Linux; Android 13; V2231A Build/TP1A.220624.014; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36 XWEB/1160083 MMWEBSDK/20231202 MMWEBID/1234 MicroMessenger/8.0.47.2560(0x28002F35) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64';
const HANDOFF = {
  phone: '12345',
  hours: '工作日 9:00–17:00',
  url: 'https://www.example.gov.cn/hudong/',
};

/** A host page: its own root font size and CSS, with the one-line embed pointing at `server`. */
function hostPage(
  server: string,
  css: string,
  body = '<h1>政务公开</h1><p>本页嵌入了报告问答。</p>',
  headExtra = '',
): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">${headExtra}
<title>嵌入测试页</title><style>${css}</style></head><body>${body}
<script async src="${server}/widget.js"></script></body></html>`;
}

/** A WeChat-style article page (lib-flexible root size, article typography), for the README picture. */
const WECHAT_ARTICLE = `<header class="bar">山西司法</header><main class="art"><h1>一图读懂：2021年度山西省法治政府建设年度报告</h1>
<p class="meta">山西司法　2022-08-16</p><p>2021年，山西法治政府建设取得新进展。全年为群众免费提供法律咨询46.4万人次……</p>
<p>对报告有疑问？点右下角「报告问答」，回答注明原文出处。</p></main>`;
const WECHAT_CSS = `html{font-size:37.5px} body{margin:0;font:.4267rem/1.75 -apple-system,"PingFang SC","Noto Sans CJK SC",sans-serif;color:#333;background:#fff}
.bar{height:1.2rem;line-height:1.2rem;text-align:center;background:#ededed;font-size:.45rem;font-weight:600}
.art{padding:.5rem .42rem} .art h1{font-size:.58rem;line-height:1.4;margin:0 0 .3rem} .meta{color:#576b95;font-size:.37rem}`;

interface HostCase {
  name: string;
  css: string;
  context: BrowserContextOptions;
}

const wechat = (width: number, height: number): BrowserContextOptions => ({
  viewport: { width, height },
  deviceScaleFactor: 3,
  isMobile: true,
  hasTouch: true,
  userAgent: WECHAT_UA,
});

const HOSTILE_CSS = `* { letter-spacing: 2px !important; line-height: 3 !important; font-size: 30px; box-sizing: content-box !important; }
div, body > * { border: 3px solid red !important; padding: 20px !important; margin: 10px !important; }
button { background: red !important; min-height: 0 !important; } html { font-size: 62.5%; }`;

const CASES: HostCase[] = [
  ...[375, 390].flatMap((width) =>
    ['37.5px', '50px', '100px'].map((size) => ({
      name: `WeChat ${size} at ${width}×${width === 375 ? 667 : 844}`,
      css: `html { font-size: ${size} } body { margin: 0; font-size: .42rem }`,
      context: wechat(width, width === 375 ? 667 : 844),
    })),
  ),
  {
    name: 'WeChat 37.5px in landscape (667×375)',
    css: 'html { font-size: 37.5px }',
    context: wechat(667, 375),
  },
  {
    name: '62.5 % at 1366×768',
    css: 'html { font-size: 62.5% } body { font-size: 1.4rem }',
    context: { viewport: { width: 1366, height: 768 } },
  },
  {
    name: '200 % zoom (683×384)',
    css: '',
    context: { viewport: { width: 683, height: 384 }, deviceScaleFactor: 2 },
  },
  {
    name: '400 % zoom (342×192)',
    css: '',
    context: { viewport: { width: 342, height: 192 }, deviceScaleFactor: 4 },
  },
  {
    name: 'hostile global CSS at 1280×800',
    css: HOSTILE_CSS,
    context: { viewport: { width: 1280, height: 800 } },
  },
];

if (!hasChromium) console.warn(SKIP_MESSAGE);

describe.skipIf(!hasChromium)('widget on host pages of another origin', () => {
  let browser: Browser;
  let srv: WidgetServer;
  let host: Server;
  /** The host pages' allowed origin (127.0.0.1) and a refused one (localhost, same port). */
  let hostUrl = '';
  let foreignUrl = '';
  const pages = new Map<string, string>();
  let settings: SiteSettings = {
    greeting: '',
    handoff: HANDOFF,
    suggestions: [],
    allowedOrigins: [],
  };

  beforeAll(async () => {
    host = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const html = pages.get(url.pathname);
      if (!html) return void res.writeHead(404).end();
      if (url.pathname === '/csp')
        res.setHeader(
          'Content-Security-Policy',
          `script-src 'unsafe-inline' ${srv.url}; connect-src 'self'`,
        );
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
    });
    await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
    const { port } = host.address() as AddressInfo;
    hostUrl = `http://127.0.0.1:${port}`;
    foreignUrl = `http://localhost:${port}`;
    settings = { ...settings, allowedOrigins: [hostUrl] };
    [srv, browser] = await Promise.all([
      startWidgetServer({ settings: () => settings }),
      launchBrowser(),
    ]);
    CASES.forEach((c, i) => pages.set(`/case${i}`, hostPage(srv.url, c.css)));
    pages.set('/plain', hostPage(srv.url, 'body { font-family: sans-serif }'));
    pages.set('/wechat', hostPage(srv.url, WECHAT_CSS, WECHAT_ARTICLE));
    pages.set('/csp', hostPage(srv.url, ''));
    mkdirSync(SHOTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await srv?.close();
    await new Promise((resolve) => host?.close(resolve));
  });

  async function openHost(
    urlPath: string,
    context: BrowserContextOptions = {},
    origin = hostUrl,
  ): Promise<{ page: Page; logs: string[] }> {
    const ctx = await browser.newContext({ locale: 'zh-CN', ...context });
    const page = await ctx.newPage();
    const logs: string[] = [];
    page.on('console', (m) => logs.push(m.text()));
    await page.goto(origin + urlPath);
    await page.locator('wenzheng-chat .launcher').click();
    return { page, logs };
  }

  async function ask(page: Page, question: string): Promise<Locator> {
    const before = await page.locator('.msg.bot').count();
    await page.locator('textarea#wz-input').fill(question);
    await page.locator('textarea#wz-input').press('Enter');
    const answer = page.locator('.msg.bot').nth(before);
    await expect
      .poll(
        () => answer.getAttribute('data-found').then((f) => f ?? answer.getAttribute('data-error')),
        { timeout: 15_000 },
      )
      .not.toBeNull();
    return answer;
  }

  /** What a reader sees: the answer's size and place, the header, the panel and the conversation. */
  const layout = (page: Page) =>
    page.evaluate(() => {
      const root = document.querySelector('wenzheng-chat')!.shadowRoot!;
      const rect = (sel: string) => root.querySelector(sel)!.getBoundingClientRect();
      const text = root.querySelector('.msg.bot .answer-text')!;
      const a = text.getBoundingClientRect();
      const log = rect('.log');
      return {
        fontSize: parseFloat(getComputedStyle(text).fontSize),
        letterSpacing: getComputedStyle(text).letterSpacing,
        answerTop: a.top,
        answerLeft: a.left,
        answerRight: a.right,
        head: rect('.head'),
        panel: rect('.panel'),
        log,
        viewport: { width: innerWidth, height: innerHeight },
        hostBorder: getComputedStyle(document.querySelector('wenzheng-chat')!).borderTopWidth,
      };
    });

  for (const [i, c] of CASES.entries()) {
    it(`is readable with ${c.name}: answer 14–26 px and in view, header visible, conversation ≥ half the panel`, async () => {
      const { page } = await openHost(`/case${i}`, c.context);
      const answer = await ask(page, LEGAL_AID);
      expect(await answer.locator('.answer-text').textContent()).toContain('46.4万人次');
      const m = await layout(page);
      expect(m.fontSize).toBeGreaterThanOrEqual(14);
      expect(m.fontSize).toBeLessThanOrEqual(26);
      expect(m.answerTop).toBeGreaterThanOrEqual(Math.max(0, m.log.top) - 1);
      expect(m.answerTop).toBeLessThan(Math.min(m.viewport.height, m.log.bottom));
      expect(m.answerLeft).toBeGreaterThanOrEqual(0);
      expect(m.answerRight).toBeLessThanOrEqual(m.viewport.width + 1);
      expect(m.head.top).toBeGreaterThanOrEqual(0);
      expect(m.head.bottom).toBeLessThanOrEqual(m.viewport.height);
      expect(m.panel.bottom).toBeLessThanOrEqual(m.viewport.height + 1);
      expect(m.log.height).toBeGreaterThanOrEqual(m.panel.height / 2);
      expect(m.letterSpacing).toBe('normal');
      expect(m.hostBorder).toBe('0px');
      console.info(
        `[layout] ${c.name}: text ${m.fontSize}px, panel ${Math.round(m.panel.height)}px, conversation ${Math.round(m.log.height)}px`,
      );
      await page.context().close();
    });
  }

  it('shows a refusal from its first line, passages collapsed, the hand-off line, and takes feedback with a comment', async () => {
    const { page } = await openHost('/case0', wechat(375, 667));
    const status = page.locator('[role="status"]');
    // The status region says 「正在回答…」 the moment the question is sent.
    const said = await page.evaluate((question) => {
      const root = document.querySelector('wenzheng-chat')!.shadowRoot!;
      root.querySelector<HTMLTextAreaElement>('#wz-input')!.value = question;
      root.querySelector<HTMLFormElement>('form.composer')!.requestSubmit();
      return root.querySelector('[role="status"]')!.textContent;
    }, REFUSED);
    expect(said).toBe('正在回答…');
    const answer = page.locator('.msg.bot').first();
    await expect.poll(() => answer.getAttribute('data-found'), { timeout: 15_000 }).toBe('false');
    const text = answer.locator('.answer-text');
    expect(await text.textContent()).toContain('没有找到');
    const m = await layout(page);
    expect(m.answerTop).toBeGreaterThanOrEqual(m.log.top - 1);
    expect(m.answerTop).toBeLessThan(m.log.bottom - 20);
    expect(await answer.locator('.passage:visible').count()).toBe(0);
    const sources = answer.locator('.source');
    expect(await sources.count()).toBeGreaterThan(0);
    expect(await sources.first().locator('.first').textContent()).toMatch(/。|；|$/);
    for (const box of await Promise.all((await sources.all()).map((s) => s.boundingBox())))
      expect(box!.x + box!.width).toBeLessThanOrEqual(m.log.right);
    expect(await answer.locator('.handoff').textContent()).toContain('12345（工作日 9:00–17:00）');
    expect(await answer.locator('.handoff a').getAttribute('href')).toBe(HANDOFF.url);
    // Heights: the refusal is short until a passage is opened on demand.
    const height = (await answer.boundingBox())!.height;
    expect(height).toBeLessThan(m.log.height * 2);
    console.info(
      `[layout] refusal at 375×667: ${Math.round(height)}px tall in a ${Math.round(m.log.height)}px conversation`,
    );
    await sources.first().click();
    expect(await answer.locator('.passage:visible').count()).toBe(1);

    const first = page.waitForRequest((r) => r.url().endsWith('/api/feedback'));
    await answer.getByRole('button', { name: /没帮助/ }).click();
    expect((await first).postDataJSON()).toMatchObject({ rating: 'down' });
    const box = answer.getByLabel('哪里没帮上？（可不填）');
    await expect.poll(() => box.isVisible()).toBe(true);
    await box.fill('想问办事电话');
    const second = page.waitForRequest((r) => r.url().endsWith('/api/feedback'));
    await answer.getByRole('button', { name: '提交' }).click();
    expect((await second).postDataJSON()).toMatchObject({
      rating: 'down',
      comment: '想问办事电话',
    });
    await expect.poll(() => status.textContent()).toBe('感谢您的反馈。');
    await page.context().close();
  });

  it("answers 你好 with the operator's greeting and 人工 with the hand-off line, not a refusal", async () => {
    settings = { ...settings, greeting: '您好，这里是政务公开问答，请直接输入您的问题。' };
    const { page } = await openHost('/plain');
    const hello = await ask(page, '你好');
    expect(await hello.getAttribute('data-intent')).toBe('greeting');
    expect(await hello.locator('.answer-text').textContent()).toContain('这里是政务公开问答');
    expect(await hello.evaluate((el) => el.classList.contains('refusal'))).toBe(false);
    expect(await hello.locator('.source').count()).toBe(0);
    const person = await ask(page, '怎么联系人工');
    expect(await person.getAttribute('data-intent')).toBe('handoff');
    expect(await person.locator('.answer-text').textContent()).toContain('12345');
    settings = { ...settings, greeting: '' };
  });

  it("gives citations people can check: date, section, original link; context under each passage's own heading", async () => {
    const { page } = await openHost('/plain', { viewport: { width: 1280, height: 800 } });
    const answer = await ask(page, LEGAL_AID);
    await answer.locator('.chip').first().click();
    const passage = answer.locator('.passage').first();
    expect(await passage.locator('.when').textContent()).toContain('发布日期：2022-08-16');
    expect(await passage.locator('.sec').textContent()).toContain('七、');
    const link = passage.getByRole('link', { name: /查看报告原文/ });
    expect(await link.getAttribute('href')).toBe(SEED_SOURCE_URL);
    expect(await link.getAttribute('rel')).toContain('noopener');
    await passage.getByRole('button', { name: '显示上下文' }).click();
    await expect.poll(() => passage.locator('.ctx-sec').count()).toBeGreaterThan(0);
    const chunkId = await passage.getAttribute('data-chunk');
    const ctx = (await (await fetch(`${srv.url}/api/passages/${chunkId}`)).json()) as {
      before: Array<{ section: string }>;
      after: Array<{ section: string }>;
    };
    const expected = [...ctx.before, ...ctx.after].map((n) => n.section.split(' > ').join(' › '));
    expect(await passage.locator('.ctx-sec').allTextContents()).toEqual(expected);
    await expect.poll(() => page.locator('[role="status"]').textContent()).toBe('已显示上下文。');
    await page.context().close();
  });

  it('tells a site that is not allowed so, and its owner what to set, without waiting for a network error', async () => {
    const { page, logs } = await openHost(
      '/plain',
      { viewport: { width: 1280, height: 800 } },
      foreignUrl,
    );
    await expect
      .poll(() => page.locator('.banner').textContent())
      .toBe('此网站未被允许使用问答服务。');
    expect(logs.join('\n')).toContain(`此网站（${foreignUrl}）未被允许使用问答服务`);
    expect(logs.join('\n')).toContain('ALLOWED_ORIGINS');
    const answer = await ask(page, LEGAL_AID);
    expect(await answer.locator('.nf').textContent()).toBe('此网站未被允许使用问答服务。');
    expect(await answer.textContent()).not.toContain('网络连接失败');
    await page.context().close();
  });

  it('tells the owner of a page whose CSP lacks connect-src for the server which directive to add', async () => {
    const { page, logs } = await openHost('/csp', { viewport: { width: 1280, height: 800 } });
    await expect
      .poll(() => page.locator('.banner').textContent())
      .toBe('此网站未被允许使用问答服务。');
    await expect
      .poll(() => logs.join('\n'))
      .toMatch(new RegExp(`connect-src 中加入 ${srv.url.replace(/[.]/g, '\\.')} 和 ws://`));
    await page.context().close();
  });

  it('has no axe WCAG 2.2 A/AA violations on /chat, answered and refused, nor on a host page refused', async () => {
    const ctx = await browser.newContext({
      locale: 'zh-CN',
      viewport: { width: 1280, height: 800 },
    });
    const page = await ctx.newPage();
    await page.goto(`${srv.url}/chat`);
    expect(await page.locator('h1').textContent()).toBe('问政 · 报告问答');
    expect(await page.locator('[role="main"][aria-modal]').count()).toBe(0);
    await ask(page, LEGAL_AID);
    await page.locator('.chip').first().click();
    const axe = async (state: string) => {
      const result = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
      expect(
        result.violations.map(
          (v) =>
            `${state}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
        ),
      ).toEqual([]);
    };
    await axe('/chat answered');
    const refused = await ask(page, REFUSED);
    await refused.getByRole('button', { name: /没帮助/ }).click();
    await axe('/chat refused, comment open');
    await page.goto(`${srv.url}/`);
    await page.locator('.launcher').click();
    await ask(page, REFUSED);
    await page.locator('.msg.bot .source').first().click();
    await axe('/ refused, passage open');
    await ctx.close();
  }, 120_000); // several axe runs or page loads: slow on a busy machine

  it('takes the README screenshots of a refusal and of the widget in a WeChat-style page', async () => {
    const { page } = await openHost('/wechat', wechat(375, 667));
    await page.screenshot({ path: path.join(SHOTS, 'wechat-closed.png') });
    await ask(page, LEGAL_AID);
    const answered = await page.screenshot({ path: path.join(SHOTS, 'wechat.png') });
    expect(answered.length).toBeGreaterThan(10_000);
    await page.context().close();
    const desktop = await openHost('/plain', { viewport: { width: 1280, height: 800 } });
    await ask(desktop.page, REFUSED);
    const refusal = await desktop.page.screenshot({ path: path.join(SHOTS, 'refusal.png') });
    expect(refusal.length).toBeGreaterThan(10_000);
    await desktop.page.context().close();
  }, 120_000); // several axe runs or page loads: slow on a busy machine
});

if (!hasChromium)
  describe('widget on host pages of another origin', () => it.skip(SKIP_MESSAGE, () => {}));
