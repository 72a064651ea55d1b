/** The reading settings row: text size A / A+ / A++ and the high-contrast theme, remembered. */
import { FONT_SCALES, fontIndex, loadPrefs, savePrefs, type Prefs } from '../prefs.js';
import { T } from '../strings.js';
import { h } from './dom.js';

/** Applies the settings to `root` (the `--wz-scale` variable and the `contrast` class). */
export class ReadingTools {
  readonly el: HTMLElement;
  private readonly prefs: Prefs = loadPrefs();
  private readonly fontButtons: HTMLButtonElement[];
  private readonly contrastButton: HTMLButtonElement;

  constructor(private readonly root: HTMLElement) {
    this.fontButtons = FONT_SCALES.map((_, i) =>
      h('button', {
        type: 'button',
        'aria-pressed': 'false',
        'aria-label': T.fontLabels[i],
        text: ['A', 'A+', 'A++'][i],
        onclick: () => this.setFont(i),
      }),
    );
    this.contrastButton = h('button', {
      type: 'button',
      'aria-pressed': 'false',
      text: T.contrast,
      onclick: () => this.setContrast(!this.prefs.contrast),
    });
    this.el = h(
      'div',
      { class: 'tools', role: 'group', 'aria-label': '阅读设置' },
      h('span', { 'aria-hidden': 'true', text: T.fontSize }),
      ...this.fontButtons,
      this.contrastButton,
    );
    this.apply();
  }

  /** 'A' | 'A+' | 'A++', or a scale (the nearest of 1, 1.25, 1.5). */
  setFontScale(scale: number | string): void {
    this.setFont(fontIndex(scale));
  }

  setContrast(on: boolean): void {
    this.prefs.contrast = on;
    this.save();
  }

  private setFont(index: number): void {
    this.prefs.font = index;
    this.save();
  }

  private save(): void {
    savePrefs(this.prefs);
    this.apply();
  }

  private apply(): void {
    this.root.style.setProperty('--wz-scale', String(FONT_SCALES[this.prefs.font] ?? 1));
    this.root.classList.toggle('contrast', this.prefs.contrast);
    this.fontButtons.forEach((b, i) =>
      b.setAttribute('aria-pressed', String(i === this.prefs.font)),
    );
    this.contrastButton.setAttribute('aria-pressed', String(this.prefs.contrast));
  }
}
