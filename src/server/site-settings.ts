/**
 * What the site operator sets for citizens: the greeting, the hand-off line shown on a
 * refusal (hotline, office hours, a link), suggested questions and the allowed origins.
 * Start-up defaults come from config; the server takes a `settings()` function so the
 * console can swap the values at runtime without a restart.
 */
import { DEFAULT_REPLIES, type SmallTalkReplies } from '../engine.js';
import { existsSync, readFileSync } from 'node:fs';
import type { Config } from '../config.js';

/** The operator's settings, as the server and the widget use them. */
export interface SiteSettings {
  /** The empty conversation's first line ('' = the widget's built-in greeting). */
  greeting: string;
  /** Where a citizen goes when the reports do not answer; all empty = no hand-off line. */
  handoff: { phone: string; hours: string; url: string };
  /** Suggested questions ([] = the questions generated from the reports). */
  suggestions: string[];
  /** Origins allowed to embed the widget ([] = any origin). */
  allowedOrigins: string[];
}

/** The config keys the settings are read from. */
export type SiteSettingsConfig = Pick<
  Config,
  | 'GREETING'
  | 'HANDOFF_PHONE'
  | 'HANDOFF_HOURS'
  | 'HANDOFF_URL'
  | 'SUGGESTIONS_FILE'
  | 'ALLOWED_ORIGINS'
>;

/** Questions of a suggestions file: one a line, blank lines and `#` comments skipped. */
export function parseSuggestions(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

/** The start-up settings: config values, and the questions of SUGGESTIONS_FILE when it exists. */
export function siteSettingsFromConfig(config: SiteSettingsConfig): SiteSettings {
  const file = config.SUGGESTIONS_FILE;
  const suggestions = file && existsSync(file) ? parseSuggestions(readFileSync(file, 'utf8')) : [];
  return {
    greeting: config.GREETING.trim(),
    handoff: {
      phone: config.HANDOFF_PHONE.trim(),
      hours: config.HANDOFF_HOURS.trim(),
      url: config.HANDOFF_URL.trim(),
    },
    suggestions,
    allowedOrigins: [...config.ALLOWED_ORIGINS],
  };
}

/** What `GET /api/widget-config` returns: everything the widget shows, nothing else. */
export interface WidgetSettings {
  greeting: string;
  handoff: SiteSettings['handoff'] | null;
  suggestions: string[];
}

/** The public part of the settings; generated questions fill in when the operator set none. */
export function widgetSettings(
  settings: SiteSettings,
  generated: () => string[],
  limit = 6,
): WidgetSettings {
  const { phone, hours, url } = settings.handoff;
  return {
    greeting: settings.greeting,
    handoff: phone || url ? { phone, hours, url } : null,
    suggestions: (settings.suggestions.length > 0 ? settings.suggestions : generated()).slice(
      0,
      limit,
    ),
  };
}

/**
 * The engine's replies to small talk from the operator's settings: the greeting, and for a
 * request for a person the hand-off line (phone, hours, link) when one is set.
 */
export function smallTalkReplies(site: SiteSettings): SmallTalkReplies {
  const { phone, hours, url } = site.handoff;
  const reach = [
    phone ? `请拨打${phone}${hours ? `（${hours}）` : ''}` : '',
    url ? `访问 ${url}` : '',
  ]
    .filter(Boolean)
    .join('，或');
  return {
    greeting: site.greeting || DEFAULT_REPLIES.greeting,
    thanks: DEFAULT_REPLIES.thanks,
    handoff: reach
      ? `我是自动问答服务，不能转接人工。如需人工服务，${reach}。`
      : DEFAULT_REPLIES.handoff,
  };
}
