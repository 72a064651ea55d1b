/**
 * Launches Debian's chromium through playwright-core (never a downloaded browser). When
 * /usr/bin/chromium is missing the browser suites skip and say how to install it.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** The browser the suites drive; override with CHROMIUM_PATH. */
export const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] || '/usr/bin/chromium';

/** Whether the browser suites can run here. */
export const hasChromium = existsSync(CHROMIUM_PATH);

/** What a skipped run prints. */
export const SKIP_MESSAGE = `浏览器测试已跳过 / browser suite SKIPPED: ${CHROMIUM_PATH} not found. Install it with: apt-get install -y chromium fonts-noto-cjk`;

/** Flags for a quiet, headless, offline-friendly chromium (no sandbox: CI containers run as root). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--headless',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Launches chromium; close it in afterAll. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}
