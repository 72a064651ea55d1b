/**
 * The operator console in a real browser (Debian's chromium), against one server that is
 * never restarted: sign in, upload a real Word report, watch its job finish, ask the
 * widget, see the question in the analytics, find a refused question with its paraphrase
 * in the gaps, write a curated answer citing a passage and get it in the widget, delete
 * the report and get a refusal. Then axe WCAG 2.2 A/AA on every console page.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchBrowser, SKIP_MESSAGE } from './helpers/browser.js';
import { startConsoleServer, type ConsoleServer } from './helpers/console-server.js';
import { SHARED } from './helpers/corpus.js';

const DOCX = path.join(SHARED, 'corpora', 'gov-reports-docx', '2025_河北省政府工作报告.docx');
const hasDocx = existsSync(DOCX);
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];
const HEBEI = '河北争取增发国债项目资金多少亿元？';
const GAP = '国债资金怎么申请？';
const GAP_PARAPHRASE = '如何申请国债资金';
const PASSWORD = 'console password 2026';

if (!hasChromium) console.warn(SKIP_MESSAGE);
if (hasChromium && !hasDocx)
  console.warn(
    `控制台浏览器流程已跳过 / console browser journey SKIPPED: ${DOCX} not found (../shared is absent); the axe checks still run.`,
  );

describe.skipIf(!hasChromium)('operator console in chromium', () => {
  let browser: Browser;
  let server: ConsoleServer;
  let context: BrowserContext;
  let admin: Page;
  let chat: Page;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startConsoleServer(), launchBrowser()]);
    await server.addUser('operator', PASSWORD);
    context = await browser.newContext({ locale: 'zh-CN' });
    admin = await context.newPage();
    admin.on('dialog', (dialog) => void dialog.accept());
    chat = await context.newPage();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function ask(question: string) {
    if (!chat.url().endsWith('/chat')) await chat.goto(`${server.url}/chat`);
    const before = await chat.locator('.msg.bot').count();
    const composer = chat.locator('.composer textarea');
    await composer.fill(question);
    await composer.press('Enter');
    const answer = chat.locator('.msg.bot').nth(before);
    await expect.poll(() => answer.getAttribute('data-found'), { timeout: 30_000 }).not.toBeNull();
    return answer;
  }

  async function open(hash: string): Promise<void> {
    await admin.goto(`${server.url}/admin${hash}`);
    await admin.locator('main h1').waitFor();
    await expect.poll(() => admin.locator('main .page').textContent()).not.toContain('加载中');
  }

  async function axe(state: string): Promise<string[]> {
    const result = await new AxeBuilder({ page: admin }).withTags(WCAG_TAGS).analyze();
    return result.violations.map(
      (v) => `${state}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
    );
  }

  it('signs in with the keyboard', async () => {
    await admin.goto(`${server.url}/admin`);
    expect(await axe('sign-in')).toEqual([]);
    await admin.getByLabel('用户名').fill('operator');
    await admin.getByLabel('密码').fill(PASSWORD);
    await admin.getByLabel('密码').press('Enter');
    await admin.getByRole('heading', { level: 1, name: '文档管理' }).waitFor();
    expect(
      await admin.getByRole('navigation', { name: '管理功能' }).getByRole('link').count(),
    ).toBe(8);
  });

  it.skipIf(!hasDocx)(
    'uploads a real .docx, watches its job finish, and the widget answers from it with a citation',
    async () => {
      await admin.getByLabel('报告文件').setInputFiles(DOCX);
      await admin.getByRole('button', { name: '上传并导入' }).click();
      await expect
        .poll(() => admin.locator('.job').textContent(), { timeout: 180_000, interval: 500 })
        .toMatch(/已完成|失败/);
      expect(await admin.locator('.job').textContent()).toContain('已完成');
      await expect
        .poll(() => admin.locator('table').first().textContent())
        .toContain('2025年河北省政府工作报告');

      const answer = await ask(HEBEI);
      expect(await answer.getAttribute('data-found')).toBe('true');
      expect(await answer.locator('.answer-text').textContent()).toContain('1221.9亿元');
      expect((await answer.locator('.source').allTextContents()).join('\n')).toContain('河北');
    },
    240_000,
  );

  it.skipIf(!hasDocx)(
    'shows the question in the analytics and the refused question with its paraphrase in the gaps',
    async () => {
      expect(await (await ask(GAP)).getAttribute('data-found')).toBe('false');
      expect(await (await ask(GAP_PARAPHRASE)).getAttribute('data-found')).toBe('false');
      await expect
        .poll(
          async () => {
            await open('#/analytics');
            return admin.locator('main').textContent();
          },
          { timeout: 10_000 },
        )
        .toContain('河北争取增发国债项目资金多少亿元');
      expect(await admin.locator('canvas').count()).toBe(4);

      await open('#/gaps');
      const card = admin.locator('article', { hasText: '国债资金' });
      expect(await card.count()).toBe(1);
      expect(await card.textContent()).toContain('2 种问法');
      expect(await card.textContent()).toContain('共 2 次');
    },
    60_000,
  );

  it.skipIf(!hasDocx)(
    'marks the gap 「应能回答」, writes a curated answer citing a passage in one click, and the widget answers with it',
    async () => {
      const card = admin.locator('article', { hasText: '国债资金' });
      await card.getByRole('button', { name: '应能回答' }).click();
      await card.getByRole('link', { name: '写一条精选答案' }).click();
      await admin.getByRole('heading', { level: 1, name: '精选答案' }).waitFor();
      expect(await admin.getByLabel('问题').inputValue()).toMatch(/国债资金/);
      expect(await admin.getByLabel('其他问法').inputValue()).toMatch(/国债资金/);

      await admin
        .getByLabel('答案', { exact: true })
        .fill('河北省2024年争取增发国债项目资金1221.9亿元，项目申报请咨询省发展改革委。');
      await admin.getByLabel('查找要引用的报告段落').fill('增发国债项目资金');
      await admin.getByRole('button', { name: '查找段落' }).click();
      await admin
        .locator('.results li', { hasText: '1221.9' })
        .first()
        .getByRole('button', { name: '引用这段' })
        .click();
      await admin.getByRole('button', { name: '保存精选答案' }).click();
      await expect
        .poll(() =>
          admin
            .locator('main table')
            .textContent()
            .catch(() => ''),
        )
        .toContain('第 1 版');

      const answer = await ask(GAP_PARAPHRASE);
      expect(await answer.getAttribute('data-found')).toBe('true');
      await expect
        .poll(() => answer.locator('.answer-text').textContent())
        .toContain('省发展改革委');
      expect((await answer.locator('.source').allTextContents()).join('\n')).toContain('河北');
    },
    60_000,
  );

  it.skipIf(!hasDocx)(
    'deletes the report as a job, and the widget then refuses its question',
    async () => {
      await open('#/documents');
      await admin
        .locator('tr', { hasText: '2025年河北省政府工作报告' })
        .getByRole('button', { name: '删除' })
        .click();
      await expect
        .poll(() => admin.locator('.job').textContent(), { timeout: 180_000, interval: 500 })
        .toMatch(/已完成|失败/);
      expect(await admin.locator('.job').textContent()).toContain('删除');
      expect(await admin.locator('.job').textContent()).toContain('已完成');
      expect(await (await ask(HEBEI)).getAttribute('data-found')).toBe('false');
      expect(await (await ask(GAP)).getAttribute('data-found')).toBe('false');
    },
    240_000,
  );

  it('has no axe WCAG 2.2 A/AA violations on any console page', async () => {
    const violations: string[] = [];
    for (const hash of [
      '#/documents',
      '#/gaps',
      '#/curated',
      '#/synonyms',
      '#/feedback',
      '#/analytics',
      '#/settings',
      '#/audit',
    ]) {
      await open(hash);
      violations.push(...(await axe(hash)));
    }
    expect(violations).toEqual([]);
  }, 120_000);
});
