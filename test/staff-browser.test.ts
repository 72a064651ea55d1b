/**
 * The staff console (/staff) in Debian's chromium against the real app on port 0 over a
 * fresh index of corpus/: search as you type, everyday wording, highlighted figure,
 * filters, copy the citation, keyboard only, axe WCAG 2.2 A/AA.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, PROJECT_ROOT } from '../src/config.js';
import { ensureIndex, loadEngine } from '../src/engine.js';
import { buildStaff } from '../web/build.js';
import { hasChromium, launchBrowser, SKIP_MESSAGE } from './helpers/browser.js';
import { removeDataDirs, startServer, type TestServer } from './helpers/server.js';

const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];
const SHOTS = path.join(
  PROJECT_ROOT,
  process.env.UPDATE_SCREENSHOTS === '1' ? 'docs/screenshots' : 'test-results/screenshots',
);

if (!hasChromium) console.warn(SKIP_MESSAGE);

describe.skipIf(!hasChromium)('staff console in chromium', () => {
  let browser: Browser;
  let server: TestServer;
  let indexDir: string;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    indexDir = mkdtempSync(path.join(tmpdir(), 'wz-staff-index-'));
    const config = loadConfig({
      root: PROJECT_ROOT,
      env: { LOG_LEVEL: 'silent', INDEX_DIR: indexDir },
    });
    await Promise.all([ensureIndex(config), buildStaff()]);
    [server, browser] = await Promise.all([
      loadEngine(config).then((engine) => startServer({ engine, env: { INDEX_DIR: indexDir } })),
      launchBrowser(),
    ]);
  }, 60_000);

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await server?.close();
    removeDataDirs();
    rmSync(indexDir, { recursive: true, force: true });
  });

  async function open(query = ''): Promise<Page> {
    const context = await browser.newContext({ locale: 'zh-CN' });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${server.url}/staff${query}`);
    await expect.poll(() => page.locator('#doc option').count()).toBeGreaterThan(1); // facets loaded
    return page;
  }

  it('finds 46.4万 from 免费法律咨询 as the agent types, with the figure highlighted', async () => {
    const page = await open();
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    await page.locator('#q').pressSequentially('免费法律咨询', { delay: 30 });
    const first = page.locator('#results .fact').first();
    await expect
      .poll(() => first.locator('.figure').textContent(), { timeout: 10_000 })
      .toBe('46.4万人次');
    expect(await first.locator('.sentence mark').textContent()).toBe('46.4万人次');
    expect(await first.locator('.label').textContent()).toBe('为群众免费提供法律咨询');
    expect(await first.locator('.source').textContent()).toContain('七、着力提升法律服务质量');
    expect(await page.locator('#status').textContent()).toMatch(/找到 \d+ 条数据/);
  });

  it('copies the ready-to-read citation with the keyboard alone', async () => {
    const page = await open();
    await page.keyboard.type('免费问律师'); // everyday wording: the lexicon maps it to 法律咨询
    await expect
      .poll(() => page.locator('#results .fact .figure').first().textContent(), { timeout: 10_000 })
      .toBe('46.4万人次');
    expect(await page.locator('#synonyms').textContent()).toContain('法律咨询');
    await page.keyboard.press('ArrowDown');
    expect(await page.evaluate(() => document.activeElement?.className)).toBe('copy');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('#status').textContent()).toMatch(/^已复制：/);
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toMatch(
      /^据《[^》]*2021[^》]*》七、着力提升法律服务质量[^：]*：.*为群众免费提供法律咨询46\.4万人次/,
    );
    await page.keyboard.press('Escape');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('q');
  });

  it('filters by report and year, and keeps the search in the address', async () => {
    const page = await open('?q=%E4%BA%BA%E5%A4%A7%E4%BB%A3%E8%A1%A8%E5%BB%BA%E8%AE%AE'); // 人大代表建议
    await expect
      .poll(() => page.locator('#results .fact .figure').first().textContent(), { timeout: 10_000 })
      .toBe('811件');
    await page.selectOption('#year', '2021');
    await expect.poll(() => page.url()).toContain('year=2021');
    await page.selectOption('#year', '');
    const doc = await page.locator('#doc option').nth(1).getAttribute('value');
    await page.selectOption('#doc', doc!);
    await page.locator('#q').fill('');
    await expect
      .poll(() => page.locator('#results .fact').count(), { timeout: 10_000 })
      .toBeGreaterThan(10); // browse a report
  });

  it('shows data as text, never as markup, and says when nothing matches', async () => {
    const page = await open();
    await page.locator('#q').fill('<img src=x onerror=alert(1)>量子');
    await expect
      .poll(() => page.locator('#status').textContent(), { timeout: 10_000 })
      .toContain('没有找到');
    expect(await page.locator('#status img').count()).toBe(0);
  });

  it('passes axe WCAG 2.2 A/AA checks with results shown and with none found', async () => {
    const page = await open('?q=%E6%B3%95%E5%BE%8B%E6%8F%B4%E5%8A%A9'); // 法律援助
    await expect
      .poll(() => page.locator('#results .fact').count(), { timeout: 10_000 })
      .toBeGreaterThan(0);
    const axe = async (state: string) => {
      const result = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
      expect(
        result.violations.map(
          (v) => `${state}: ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
        ),
      ).toEqual([]);
    };
    await axe('results');
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SHOTS, 'staff.png') });
    await page.locator('#q').fill('量子计算机');
    await expect
      .poll(() => page.locator('#status').textContent(), { timeout: 10_000 })
      .toContain('没有找到');
    await axe('nothing found');
  }, 120_000); // two axe runs: slow on a busy machine

  it('keeps the focused result below the sticky search form (WCAG 2.4.11)', async () => {
    const page = await open();
    await page.setViewportSize({ width: 1024, height: 600 });
    await page.selectOption(
      '#doc',
      (await page.locator('#doc option').nth(1).getAttribute('value'))!,
    );
    await expect
      .poll(() => page.locator('#results .fact').count(), { timeout: 10_000 })
      .toBeGreaterThan(8); // browse a report
    const count = Math.min(await page.locator('#results button.copy').count(), 8);
    await page.locator('#q').focus();
    await page.keyboard.press('ArrowDown');
    for (let i = 0; i < count; i++) {
      if (i > 0) await page.keyboard.press('ArrowDown');
      const hidden = await page.evaluate(() => {
        const form = document.getElementById('search')!.getBoundingClientRect();
        const fact = document.activeElement!.closest('.fact')!.getBoundingClientRect();
        return fact.top < form.bottom - 1;
      });
      expect(hidden, `result ${i + 1}`).toBe(false);
    }
    // Back up: the way up is where a sticky header hides things.
    for (let i = count - 1; i > 0; i--) {
      await page.keyboard.press('ArrowUp');
      const top = await page.evaluate(
        () =>
          document.activeElement!.closest('.fact')!.getBoundingClientRect().top -
          document.getElementById('search')!.getBoundingClientRect().bottom,
      );
      expect(top, `result ${i}`).toBeGreaterThanOrEqual(-1);
    }
  });
});
