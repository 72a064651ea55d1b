/**
 * The settings an operator changes in the console (hand-off line, greeting, suggested
 * questions, allowed origins, log retention), over the configured defaults. The stored
 * values win; an empty store means the configuration as it is.
 */
import { z } from 'zod';
import { AppError } from '../errors.js';
import type { SiteSettings } from '../server/site-settings.js';
import type { SettingsStore } from './store.js';

/** Everything the settings page edits. */
export interface ConsoleSettings extends SiteSettings {
  /** Days the question log is kept. */
  retentionDays: number;
}

const settingsSchema = z
  .object({
    greeting: z.string().trim().max(300),
    handoff: z.object({
      phone: z
        .string()
        .trim()
        .max(50)
        .regex(/^[\d\s()+\-－—转]*$/, '热线号码只能包含数字、空格、括号、+ 和 -'),
      hours: z.string().trim().max(100),
      url: z
        .string()
        .trim()
        .max(500)
        .regex(/^(https?:\/\/\S+)?$/, '链接须以 http:// 或 https:// 开头'),
    }),
    suggestions: z.array(z.string().trim().min(1).max(100)).max(12),
    allowedOrigins: z
      .array(
        z
          .string()
          .trim()
          .regex(/^https?:\/\/[^/\s]+$/, '来源须写成 https://example.gov.cn 这样（没有路径）'),
      )
      .max(50),
    retentionDays: z.coerce.number().int().min(1).max(3650),
  })
  .partial()
  .strict();

export interface SettingsService {
  /** The settings in effect (the configured defaults until load() has read the store). */
  current(): ConsoleSettings;
  /** Reads the stored values again (at start, and when another replica changed them). */
  load(): Promise<ConsoleSettings>;
  /** Validates and stores a change; resolves with the settings after it. */
  update(input: unknown): Promise<ConsoleSettings>;
}

/** The service over the store, with `defaults` from the config. */
export function createSettingsService(
  store: SettingsStore,
  defaults: ConsoleSettings,
): SettingsService {
  // Read on every widget request: kept in memory, read from the store only when it changes.
  let cached: ConsoleSettings = { ...defaults };
  const load = async (): Promise<ConsoleSettings> => {
    cached = {
      ...defaults,
      ...(settingsSchema.safeParse(await store.get()).data ?? {}),
    } as ConsoleSettings;
    return cached;
  };
  return {
    current: () => cached,
    load,
    async update(input) {
      const parsed = settingsSchema.safeParse(input);
      if (!parsed.success) {
        const problems = parsed.error.issues.map((i) => `${i.path.join('.')}：${i.message}`);
        throw new AppError('BAD_REQUEST', {
          message: `设置有误：${problems.join('；')}`,
          detail: problems.join('; '),
        });
      }
      await store.set(parsed.data);
      return load();
    },
  };
}
