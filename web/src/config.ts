/** The widget's settings, read from the `data-*` attributes of its script tag. */
import { T } from './strings.js';

export interface WidgetConfig {
  /** Origin (and optional path prefix) of the Wenzheng server. @default the script's origin */
  server: string;
  /** Panel heading. @default '问政 · 报告问答' */
  title: string;
  /** Corner of the launcher. @default 'right' */
  position: 'right' | 'left';
  /** Show suggested questions on the empty state. @default true */
  suggestions: boolean;
  /** 'widget' (launcher + floating panel) or 'page' (full-page chat, /chat). @default 'widget' */
  mode: 'widget' | 'page';
  /** Open the panel on load. @default false */
  open: boolean;
  /** Longest question, matching the server's MAX_QUESTION_CHARS. @default 200 */
  maxChars: number;
  /** Name of the command-queue global. @default 'wenzheng' */
  globalName: string;
  /** 'auto' (WebSocket, then HTTP) or 'http' (never open a socket). @default 'auto' */
  transport: 'auto' | 'http';
  /**
   * The widget's base text size in px (12–32), whatever the host page's root font size;
   * full screen on phones it is at least 18. @default 16
   */
  fontSize: number;
}

const on = (v: string | undefined, def: boolean): boolean =>
  v === undefined ? def : !['false', 'off', '0', 'no'].includes(v.trim().toLowerCase());

/** Builds the config from a script's dataset; unknown or invalid values fall back to defaults. */
export function readConfig(
  data: Record<string, string | undefined>,
  scriptSrc: string | null,
  pageHref: string,
): WidgetConfig {
  let server = data['server']?.trim() ?? '';
  try {
    server = new URL(server || scriptSrc || pageHref, pageHref).href;
    if (!data['server']) server = new URL(server).origin;
  } catch {
    server = new URL(pageHref).origin;
  }
  const maxChars = Number.parseInt(data['maxChars'] ?? '', 10);
  const globalName = data['global']?.trim() ?? '';
  const fontSize = Number.parseFloat(data['fontSize'] ?? '');
  return {
    server: server.replace(/\/+$/, ''),
    title: data['title']?.trim() || T.defaultTitle,
    position: data['position'] === 'left' || data['position'] === 'bottom-left' ? 'left' : 'right',
    suggestions: on(data['suggestions'], true),
    mode: data['mode'] === 'page' ? 'page' : 'widget',
    open: on(data['open'], false),
    maxChars: Number.isFinite(maxChars) && maxChars > 0 ? maxChars : 200,
    globalName: /^[A-Za-z_$][\w$]*$/.test(globalName) ? globalName : 'wenzheng',
    transport: data['transport'] === 'http' ? 'http' : 'auto',
    fontSize: Number.isFinite(fontSize) ? Math.min(32, Math.max(12, fontSize)) : 16,
  };
}
