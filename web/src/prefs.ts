/** Reading preferences (text size, contrast) kept in localStorage when the browser allows it. */

export const FONT_SCALES = [1, 1.25, 1.5] as const;

export interface Prefs {
  /** Index into FONT_SCALES. @default 0 */
  font: number;
  /** @default false */
  contrast: boolean;
}

const KEY = 'wenzheng.prefs';

/** Loads preferences; storage may be blocked (WeChat private mode, third-party iframes). */
export function loadPrefs(): Prefs {
  try {
    const raw = JSON.parse(localStorage.getItem(KEY) ?? '{}') as Partial<Prefs>;
    const font = Number(raw.font);
    return {
      font: font >= 0 && font < FONT_SCALES.length ? Math.floor(font) : 0,
      contrast: raw.contrast === true,
    };
  } catch {
    return { font: 0, contrast: false };
  }
}

export function savePrefs(p: Prefs): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(p));
  } catch {
    /* storage unavailable: preferences last for this page only */
  }
}

/** The FONT_SCALES index for setFontScale: 'A' / 'A+' / 'A++', or the scale nearest a number. */
export function fontIndex(scale: number | string): number {
  const named = ['A', 'A+', 'A++'].indexOf(String(scale).trim().toUpperCase());
  if (named >= 0) return named;
  const value = Number(scale);
  if (!Number.isFinite(value)) return 0;
  let best = 0;
  FONT_SCALES.forEach((s, i) => {
    if (Math.abs(s - value) < Math.abs((FONT_SCALES[best] ?? 1) - value)) best = i;
  });
  return best;
}
