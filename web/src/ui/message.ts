/**
 * One answer in the transcript: streamed text while it arrives, then the final answer with
 * [n] chips, its sources, copy and feedback. A refusal reads the same way: its text first,
 * the operator's hand-off line, then the closest passages collapsed to their heading and
 * first line. Everything is built with textContent.
 */
import type { Answer, Citation, TransportKind } from '../types.js';
import type { Api, WidgetSettings } from '../api.js';
import { copyText, sentenceAround, splitAnswer } from '../answer-text.js';
import { writeClipboard } from '../clipboard.js';
import { T } from '../strings.js';
import { h } from './dom.js';
import { renderPassage, safeHref } from './passage.js';

export interface AnswerViewOptions {
  api: Api;
  /** Unique prefix for element ids. */
  key: string;
  announce(text: string): void;
  onRetry(): void;
  /** The operator's hand-off line, shown on refusals (null: none configured). */
  handoff(): WidgetSettings['handoff'];
}

/** The first sentence of a passage, for its collapsed entry. */
function firstLine(c: Citation): string {
  const s = sentenceAround(c.text, 0, 0);
  return c.text.slice(s.start, s.end).trim();
}

/** 「如需人工帮助，请拨打 12345（工作日…），或在线咨询」 with the link, or null. */
export function handoffLine(handoff: WidgetSettings['handoff']): HTMLElement | null {
  if (!handoff) return null;
  const href = safeHref(handoff.url);
  if (!handoff.phone && !href) return null;
  const p = h(
    'p',
    { class: 'handoff' },
    handoff.phone ? T.handoff(handoff.phone, handoff.hours) : T.handoffNoPhone,
  );
  if (href) {
    p.append(
      handoff.phone ? T.handoffOr : '',
      h(
        'a',
        { href, target: '_blank', rel: 'noopener noreferrer' },
        handoff.phone ? T.handoffOnline : T.handoffLink,
        h('span', { class: 'vh', text: T.newWindow }),
      ),
    );
  }
  p.append('。');
  return p;
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
    // Small talk (a greeting, thanks, a request for a person) is a plain reply, not a refusal.
    const refusal = !answer.found && !answer.intent;
    this.el.dataset['found'] = String(answer.found);
    if (answer.intent) this.el.dataset['intent'] = answer.intent;
    this.el.classList.toggle('refusal', refusal);
    const known = new Set(answer.citations.map((c) => c.n));
    const passages = new Map(
      answer.citations.map((c) => [c.n, renderPassage(c, `${o.key}-p${c.n}`, o.api, o.announce)]),
    );
    const controls = new Map<number, HTMLButtonElement[]>();
    const toggle = (n: number, from: HTMLElement) => {
      const p = passages.get(n);
      if (!p) return;
      const open = p.hidden;
      p.hidden = !open;
      for (const b of controls.get(n) ?? []) b.setAttribute('aria-expanded', String(open));
      (open ? p : from).focus();
    };
    const control = (
      n: number,
      cls: string,
      label: string | null,
      ...content: Array<Node | string>
    ) => {
      const b: HTMLButtonElement = h(
        'button',
        {
          type: 'button',
          class: cls,
          'aria-expanded': 'false',
          'aria-controls': `${o.key}-p${n}`,
          'aria-label': label ?? undefined,
          onclick: () => toggle(n, b),
        },
        ...content,
      );
      controls.set(n, [...(controls.get(n) ?? []), b]);
      return b;
    };

    const body: Array<Node | null> = [];
    const text = h('p', { class: refusal ? 'answer-text nf-text' : 'answer-text' });
    for (const seg of splitAnswer(answer.answer, known)) {
      text.append(
        seg.kind === 'text' ? seg.text : control(seg.n, 'chip', T.citation(seg.n), String(seg.n)),
      );
    }
    if (answer.replaced) text.append(h('span', { class: 'vh', text: T.corrected }));
    body.push(
      answer.answer.trim() ? text : h('p', { class: 'answer-text nf-text', text: T.notFoundTitle }),
    );
    if (refusal) body.push(handoffLine(o.handoff()));
    if (answer.citations.length > 0) {
      body.push(
        h('p', { class: 'sources-title', text: answer.found ? T.sources : T.notFoundClosest }),
      );
      const list = h('ol', { class: 'sources' });
      for (const c of answer.citations) {
        const heading = `[${c.n}] 《${c.title}》${c.section ? ' ' + c.section.split(' > ')[0] : ''}`;
        const first = answer.found ? null : h('span', { class: 'first', text: firstLine(c) });
        list.append(
          h(
            'li',
            {},
            control(c.n, 'source', null, heading, ...(first ? [first] : [])),
            passages.get(c.n) ?? null,
          ),
        );
      }
      body.push(list);
    }
    this.bubble.replaceChildren(...body.filter((n): n is Node => n !== null));
    this.el.append(this.actions(answer));
  }

  /** Shows an error with a retry button the user presses (nothing is re-sent by itself). */
  error(message: string, retry = true): void {
    this.el.classList.add('error');
    this.el.dataset['error'] = 'true';
    this.bubble.replaceChildren(h('p', { class: 'nf', text: message }));
    if (retry)
      this.bubble.append(
        h('button', { type: 'button', text: T.retry, onclick: () => this.o.onRetry() }),
      );
  }

  /** Copy (answers only), 有帮助 / 没帮助 (answers and refusals); 没帮助 asks for an optional comment. */
  private actions(answer: Answer): HTMLElement {
    const o = this.o;
    const row = h('div', { class: 'actions' });
    const comment = h('textarea', { id: `${o.key}-comment`, rows: 2, maxlength: 1000 });
    const form = h(
      'form',
      {
        class: 'comment',
        hidden: true,
        onsubmit: async (e) => {
          e.preventDefault();
          const said = comment.value.trim();
          form.hidden = true;
          down.focus();
          if (said && this.messageId) await o.api.feedback(this.messageId, 'down', said);
          o.announce(T.thanks);
        },
      },
      h('label', { for: `${o.key}-comment`, text: T.comment }),
      comment,
      h(
        'div',
        { class: 'row' },
        h('button', { type: 'submit', text: T.commentSend }),
        h('button', {
          type: 'button',
          text: T.commentSkip,
          onclick: () => ((form.hidden = true), down.focus()),
        }),
      ),
    );
    const rate = (rating: 'up' | 'down') => async () => {
      for (const b of [up, down])
        b.setAttribute('aria-pressed', String(b === (rating === 'up' ? up : down)));
      form.hidden = rating === 'up';
      if (rating === 'down') comment.focus();
      if (this.messageId) await o.api.feedback(this.messageId, rating);
      if (rating === 'up') o.announce(T.thanks);
    };
    const up = h('button', {
      type: 'button',
      'aria-pressed': 'false',
      text: `👍 ${T.up}`,
      onclick: rate('up'),
    });
    const down = h('button', {
      type: 'button',
      'aria-pressed': 'false',
      'aria-controls': `${o.key}-comment`,
      text: `👎 ${T.down}`,
      onclick: rate('down'),
    });
    if (answer.found) {
      row.append(
        h('button', {
          type: 'button',
          class: 'copy',
          text: T.copy,
          onclick: async () =>
            o.announce((await writeClipboard(copyText(answer))) ? T.copied : T.copyFailed),
        }),
      );
    }
    row.append(up, down);
    return h('div', {}, row, form);
  }
}
