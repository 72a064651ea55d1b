/**
 * Result cards. Every piece of data goes in through textContent (never innerHTML): the
 * sentence is split around the figure, and the figure is a <mark>.
 */
import type { StaffFact } from './api.js';

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** The sentence with its figure marked; offsets outside the sentence mark nothing. */
export function highlightedSentence(
  fact: Pick<StaffFact, 'sentence' | 'figureStart' | 'figureEnd'>,
): HTMLParagraphElement {
  const p = el('p', 'sentence');
  const { sentence, figureStart: s, figureEnd: e } = fact;
  if (!(s >= 0 && e > s && e <= sentence.length)) {
    p.textContent = sentence;
    return p;
  }
  p.append(sentence.slice(0, s), el('mark', '', sentence.slice(s, e)), sentence.slice(e));
  return p;
}

/** Where the fact comes from, as one line: 《title》 · section · 2021年 · 第3页. */
export function sourceLine(fact: Pick<StaffFact, 'title' | 'section' | 'year' | 'page'>): string {
  return [
    `《${fact.title}》`,
    fact.section,
    fact.year !== null ? `${fact.year}年数据` : '',
    fact.page !== undefined ? `第${fact.page}页` : '',
  ]
    .filter(Boolean)
    .join(' · ');
}

/** One result card with its copy button (the button carries the fact id). */
export function factCard(fact: StaffFact, index: number): HTMLLIElement {
  const li = el('li', 'fact');
  li.dataset['id'] = fact.id;
  const head = el('p', 'fact-head');
  head.append(el('span', 'figure', fact.figure), el('span', 'label', fact.label));
  const button = el('button', 'copy', '复制引用');
  button.type = 'button';
  button.dataset['index'] = String(index);
  button.setAttribute('aria-label', `复制引用：${fact.label} ${fact.figure}`);
  li.append(head, highlightedSentence(fact), el('p', 'source', sourceLine(fact)), button);
  return li;
}
