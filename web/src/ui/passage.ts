/**
 * A cited passage, with what a reader needs to check it: document title, publication date,
 * PDF page, section, the quoted text with the sentence that holds the answer's figure
 * marked, a link to the original when the document has an address, and "show context"
 * (the neighbouring passages, each under its own section heading).
 */
import type { Citation } from '../types.js';
import type { Api } from '../api.js';
import { highlightParts } from '../answer-text.js';
import { T } from '../strings.js';
import { h } from './dom.js';

/** The address as a link target when it is http(s), else null (never a javascript: URL). */
export function safeHref(url: string | undefined): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : null;
  } catch {
    return null;
  }
}

/** 「发布日期：… · 第 n 页」, or '' when neither is known. */
export function whenLine(c: Pick<Citation, 'publishedAt' | 'page'>): string {
  return [c.publishedAt ? T.published(c.publishedAt) : '', c.page ? T.page(c.page) : '']
    .filter(Boolean)
    .join(' · ');
}

const sectionText = (section: string) => section.split(' > ').join(' › ');

/** Renders citation `c` into a region with id `id`. */
export function renderPassage(
  c: Citation,
  id: string,
  api: Api,
  announce: (text: string) => void,
): HTMLElement {
  const parts = highlightParts(c);
  const quote = h('blockquote', {}, parts.before);
  if (parts.figure) {
    const s = parts.sentence;
    const figure = h('strong', { text: s.slice(parts.figure.start, parts.figure.end) });
    quote.append(
      h('mark', {}, s.slice(0, parts.figure.start), figure, s.slice(parts.figure.end)),
      parts.after,
    );
  }
  const before = h('div', { class: 'ctx', hidden: true });
  const after = h('div', { class: 'ctx', hidden: true });
  // Each neighbour under its own heading: the passage before may end the previous section.
  const neighbour = (n: { text: string; section: string }) => [
    h('p', { class: 'ctx-sec', text: n.section ? sectionText(n.section) : `《${c.title}》` }),
    h('p', { text: n.text }),
  ];
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
        before.append(...ctx.before.flatMap(neighbour));
        after.append(...ctx.after.flatMap(neighbour));
        announce(T.contextShown);
      }
      before.hidden = after.hidden = !open;
      toggle.setAttribute('aria-expanded', String(open));
      toggle.textContent = open ? T.hideContext : T.showContext;
    },
  });
  const href = safeHref(c.sourceUrl);
  const when = whenLine(c);
  return h(
    'section',
    {
      class: 'passage',
      id,
      'aria-label': `${T.sources} ${c.n}`,
      tabindex: -1,
      hidden: true,
      'data-chunk': c.chunkId,
    },
    h('p', { class: 'doc', text: `《${c.title}》` }),
    when ? h('p', { class: 'when', text: when }) : null,
    c.section ? h('p', { class: 'sec', text: sectionText(c.section) }) : null,
    before,
    quote,
    after,
    href
      ? h(
          'a',
          { class: 'orig', href, target: '_blank', rel: 'noopener noreferrer' },
          T.original,
          h('span', { class: 'vh', text: T.newWindow }),
        )
      : null,
    toggle,
  );
}
