/**
 * A cited passage: document title, section, quoted text with the sentence that holds the
 * answer's figure marked, and "show context" from the passages API.
 */
import type { Citation } from '../types.js';
import type { Api } from '../api.js';
import { highlightParts } from '../answer-text.js';
import { T } from '../strings.js';
import { h } from './dom.js';

/** Renders citation `c` into a region with id `id`. */
export function renderPassage(c: Citation, id: string, api: Api, announce: (text: string) => void): HTMLElement {
  const parts = highlightParts(c);
  const quote = h('blockquote', {}, parts.before);
  if (parts.figure) {
    const s = parts.sentence;
    const figure = h('strong', { text: s.slice(parts.figure.start, parts.figure.end) });
    quote.append(h('mark', {}, s.slice(0, parts.figure.start), figure, s.slice(parts.figure.end)), parts.after);
  }
  const before = h('div', { class: 'ctx', hidden: true });
  const after = h('div', { class: 'ctx', hidden: true });
  let loaded = false;
  const toggle: HTMLButtonElement = h('button', {
    type: 'button',
    'aria-expanded': 'false',
    text: T.showContext,
    onclick: async () => {
      const open = toggle.getAttribute('aria-expanded') !== 'true';
      if (open && !loaded) {
        announce(T.loadingContext);
        const ctx = await api.passage(c.chunkId);
        if (!ctx) {
          announce(T.contextFailed);
          return;
        }
        loaded = true;
        before.append(...ctx.before.map((b) => h('p', { text: b.text })));
        after.append(...ctx.after.map((a) => h('p', { text: a.text })));
      }
      before.hidden = after.hidden = !open;
      toggle.setAttribute('aria-expanded', String(open));
      toggle.textContent = open ? T.hideContext : T.showContext;
    },
  });
  const label = `${T.sources} ${c.n}`;
  return h(
    'section',
    { class: 'passage', id, 'aria-label': label, tabindex: -1, hidden: true, 'data-chunk': c.chunkId },
    h('p', { class: 'doc', text: `《${c.title}》` }),
    c.section ? h('p', { class: 'sec', text: c.section.split(' > ').join(' › ') }) : null,
    before,
    quote,
    after,
    toggle,
  );
}
