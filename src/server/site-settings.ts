/**
 * What the widget shows besides answers: the greeting, the hand-off line to a person,
 * suggested questions, and which sites may embed it. Defaults come from the config; the
 * operator console overrides them at runtime (src/admin/settings.ts).
 */
import { existsSync, readFileSync } from 'node:fs';
import type { Config } from '../config.js';

export interface SiteSettings {
  greeting: string;
  handoff: { phone: string; hours: string; url: string };
  suggestions: string[];
  allowedOrigins: string[];
}

/** Reads one suggestion a line; blank lines and # comments are skipped. */
function readSuggestions(file: string): string[] {
  if (!file || !existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}

/** The settings as configured (GREETING, HANDOFF_*, SUGGESTIONS_FILE, ALLOWED_ORIGINS). */
export function siteSettingsFromConfig(
  config: Pick<Config, 'GREETING' | 'HANDOFF_PHONE' | 'HANDOFF_HOURS' | 'HANDOFF_URL' | 'SUGGESTIONS_FILE' | 'ALLOWED_ORIGINS'>,
): SiteSettings {
  return {
    greeting: config.GREETING,
    handoff: { phone: config.HANDOFF_PHONE, hours: config.HANDOFF_HOURS, url: config.HANDOFF_URL },
    suggestions: readSuggestions(config.SUGGESTIONS_FILE),
    allowedOrigins: [...config.ALLOWED_ORIGINS],
  };
}
