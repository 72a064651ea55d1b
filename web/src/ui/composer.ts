/**
 * The question input: Enter sends, Shift+Enter is a new line, Enter while an IME composes
 * pinyin does neither; a character counter appears near the length limit.
 */
import { T } from '../strings.js';
import { h } from './dom.js';

export interface ComposerOptions {
  maxChars: number;
  /** Called with the trimmed question; return false to keep the text (e.g. still answering). */
  onSubmit(question: string): boolean;
  announce(text: string): void;
}

/** The form at the bottom of the panel, plus its counter line. */
export class Composer {
  readonly form: HTMLFormElement;
  readonly counter: HTMLElement;
  readonly input: HTMLTextAreaElement;

  constructor(private readonly o: ComposerOptions) {
    this.input = h('textarea', {
      id: 'wz-input',
      rows: 2,
      maxlength: o.maxChars,
      placeholder: T.placeholder,
      'aria-describedby': 'wz-keys wz-notice wz-counter',
      enterkeyhint: 'send',
      autocomplete: 'off',
      onkeydown: (e) => this.keydown(e as KeyboardEvent),
      oninput: () => this.update(),
    });
    this.counter = h('p', { id: 'wz-counter', class: 'counter', hidden: true });
    this.form = h(
      'form',
      { class: 'composer', onsubmit: (e) => (e.preventDefault(), this.submit()) },
      h('label', { for: 'wz-input', class: 'vh', text: T.inputLabel }),
      h('span', { id: 'wz-keys', class: 'vh', text: T.keys }),
      this.input,
      h('button', { type: 'submit', class: 'send', text: T.send }),
    );
  }

  focus(): void {
    this.input.focus();
  }

  private keydown(e: KeyboardEvent): void {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing && e.keyCode !== 229) {
      e.preventDefault();
      this.submit();
    }
  }

  private submit(): void {
    const q = this.input.value.trim();
    if (!q || !this.o.onSubmit(q)) return;
    this.input.value = '';
    this.update();
  }

  private update(): void {
    const n = [...this.input.value].length;
    const max = this.o.maxChars;
    this.counter.hidden = n < max * 0.8;
    this.counter.textContent = T.counter(n, max);
    this.counter.classList.toggle('full', n >= max);
    if (n >= max) this.o.announce(T.atLimit(max));
  }
}
