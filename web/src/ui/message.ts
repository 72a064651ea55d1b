/**
 * One answer in the transcript: streamed text while it arrives, then the final answer with
 * [n] chips, its sources, copy and feedback. Everything is built with textContent.
 */
import type { Answer, TransportKind } from '../types.js';
import type { Api } from '../api.js';
import { copyText, splitAnswer } from '../answer-text.js';
import { writeClipboard } from '../clipboard.js';
import { T } from '../strings.js';
import { h } from './dom.js';
import { renderPassage } from './passage.js';

export interface AnswerViewOptions {
  api: Api;
  /** Unique prefix for element ids. */
  key: string;
  announce(text: string): void;
  onRetry(): void;
}

/** The bot side of one exchange. */
export class AnswerView {
  readonly el: HTMLElement;
  private readonly bubble: HTMLElement;
  private readonly streamed: HTMLElement;
  messageId = '';

  constructor(private readonly o: AnswerViewOptions) {
    this.streamed = h('p', { class: 'answer-text typing' });
    this.bubble = h('div', { class: 'bubble' }, this.streamed);
    this.el = h('article', { class: 'msg bot', 'aria-label': T.bot }, this.bubble);
  }

  started(messageId: string, via: TransportKind): void {
    this.messageId = messageId;
    this.el.dataset['transport'] = via;
  }

  delta(text: string): void {
    this.streamed.append(text);
  }

  /** Replaces the streamed text with the final answer (always: `replaced` answers differ). */
  done(answer: Answer): void {
    const o = this.o;
    this.el.dataset['found'] = String(answer.found);
    const known = new Set(answer.citations.map((c) => c.n));
    const passages = new Map(answer.citations.map((c) => [c.n, renderPassage(c, `${o.key}-p${c.n}`, o.api, o.announce)]));
    const controls = new Map<number, HTMLButtonElement[]>();
    const toggle = (n: number, from: HTMLElement | null) => {
      const p = passages.get(n);
      if (!p) return;
      const open = p.hidden;
      p.hidden = !open;
      for (const b of controls.get(n) ?? []) b.setAttribute('aria-expanded', String(open));
      if (open) from && p.focus();
      else from?.focus();
    };
    const control = (n: number, cls: string, label: string | null, text: string) => {
      const b: HTMLButtonElement = h('button', {
        type: 'button',
        class: cls,
        'aria-expanded': 'false',
        'aria-controls': `${o.key}-p${n}`,
        'aria-label': label ?? undefined,
        text,
        onclick: () => toggle(n, b),
      });
      controls.set(n, [...(controls.get(n) ?? []), b]);
      return b;
    };

    const body: Array<Node> = [];
    if (!answer.found) body.push(h('p', { class: 'nf', text: T.notFoundTitle }));
    const text = h('p', { class: 'answer-text' });
    for (const seg of splitAnswer(answer.answer, known)) {
      text.append(seg.kind === 'text' ? seg.text : control(seg.n, 'chip', T.citation(seg.n), String(seg.n)));
    }
    if (answer.replaced) text.append(h('span', { class: 'vh', text: T.corrected }));
    if (answer.answer.trim()) body.push(text);
    if (answer.citations.length > 0) {
      body.push(h('p', { class: 'sources-title', text: answer.found ? T.sources : T.notFoundClosest }));
      const list = h('ol', { class: 'sources' });
      for (const c of answer.citations) {
        list.append(h('li', {}, control(c.n, 'source', null, `[${c.n}] 《${c.title}》${c.section ? ' ' + c.section.split(' > ')[0] : ''}`), passages.get(c.n) ?? null));
      }
      body.push(list);
    }
    this.bubble.replaceChildren(...body);
    if (!answer.found) for (const n of passages.keys()) toggle(n, null);
    if (answer.found) this.el.append(this.actions(answer));
  }

  /** Shows an error with a retry button the user presses (nothing is re-sent by itself). */
  error(message: string): void {
    this.el.classList.add('error');
    this.el.dataset['error'] = 'true';
    this.bubble.replaceChildren(
      h('p', { class: 'nf', text: message }),
      h('button', { type: 'button', text: T.retry, onclick: () => this.o.onRetry() }),
    );
  }

  private actions(answer: Answer): HTMLElement {
    const o = this.o;
    const rate = (rating: 'up' | 'down') => async () => {
      for (const b of [up, down]) b.setAttribute('aria-pressed', String(b === (rating === 'up' ? up : down)));
      if (this.messageId) await o.api.feedback(this.messageId, rating);
      o.announce(T.thanks);
    };
    const up = h('button', { type: 'button', 'aria-pressed': 'false', text: `👍 ${T.up}`, onclick: rate('up') });
    const down = h('button', { type: 'button', 'aria-pressed': 'false', text: `👎 ${T.down}`, onclick: rate('down') });
    const copy = h('button', {
      type: 'button',
      class: 'copy',
      text: T.copy,
      onclick: async () => o.announce((await writeClipboard(copyText(answer))) ? T.copied : T.copyFailed),
    });
    return h('div', { class: 'actions' }, copy, up, down);
  }
}
