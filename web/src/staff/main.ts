/**
 * The staff console at /staff: search-first, results as the agent types (debounced, the
 * previous request aborted), filters by report and year, a copy button per result that
 * copies the citation to read out. Keyboard: Tab/Enter everywhere; ↓/↑ move between
 * results, Esc goes back to the search box.
 */
import { fetchFacts, FactsError, type FactsResponse, type StaffFact } from './api.js';
import { writeClipboard } from '../clipboard.js';
import { factCard } from './render.js';

/** Wait this long after the last keystroke before searching. */
const DEBOUNCE_MS = 150;
/** Retry the first load this often while the index is still loading. */
const RETRY_MS = 3000;

function byId<T extends HTMLElement>(id: string): T {
  const node = document.getElementById(id);
  if (!node) throw new Error(`staff.html lacks #${id}`);
  return node as T;
}

function start(): void {
  const form = byId<HTMLFormElement>('search');
  const input = byId<HTMLInputElement>('q');
  const docSelect = byId<HTMLSelectElement>('doc');
  const yearSelect = byId<HTMLSelectElement>('year');
  const status = byId<HTMLParagraphElement>('status');
  const synonyms = byId<HTMLParagraphElement>('synonyms');
  const results = byId<HTMLOListElement>('results');

  let shown: StaffFact[] = [];
  let controller: AbortController | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let seq = 0;

  const initial = new URLSearchParams(location.search);
  input.value = initial.get('q') ?? '';

  const params = () => ({ q: input.value.trim(), doc: docSelect.value, year: yearSelect.value });

  function show(body: FactsResponse, q: string): void {
    shown = body.facts;
    results.replaceChildren(...body.facts.map((f, i) => factCard(f, i)));
    synonyms.textContent =
      body.synonyms.length > 0 ? `也查找了报告用语：${body.synonyms.join('、')}` : '';
    if (q === '' && !docSelect.value)
      status.textContent = '请输入要查的内容，或选择一份报告浏览其中的数据。';
    else if (body.total === 0)
      status.textContent = q
        ? `没有找到与「${q}」相关的数据，请换个说法试试。`
        : '这份报告中没有数据。';
    else if (body.total > body.facts.length)
      status.textContent = `找到 ${body.total} 条数据，显示最相关的 ${body.facts.length} 条。`;
    else status.textContent = `找到 ${body.total} 条数据。`;
  }

  async function search(): Promise<void> {
    clearTimeout(timer);
    controller?.abort();
    const mine = ++seq;
    const p = params();
    const url = new URL(location.href);
    for (const [k, v] of Object.entries(p)) {
      if (v) url.searchParams.set(k, v);
      else url.searchParams.delete(k);
    }
    history.replaceState(null, '', url);
    if (p.q === '' && !p.doc) {
      show({ q: '', synonyms: [], total: 0, facts: [] }, '');
      return;
    }
    controller = new AbortController();
    try {
      const body = await fetchFacts(p, controller.signal);
      if (mine === seq) show(body, p.q);
    } catch (error) {
      if (mine !== seq || (error instanceof DOMException && error.name === 'AbortError')) return;
      status.textContent =
        error instanceof FactsError ? error.message : '无法连接服务器，请检查网络后重试。';
    }
  }

  function addOptions(select: HTMLSelectElement, options: Array<[string, string]>): void {
    for (const [value, text] of options) {
      const option = document.createElement('option');
      option.value = value;
      option.textContent = text;
      select.append(option);
    }
  }

  async function loadFacets(): Promise<void> {
    try {
      const body = await fetchFacts({ q: '', doc: '', year: '', facets: true });
      addOptions(
        docSelect,
        (body.documents ?? []).map((d) => [d.docId, `${d.title}（${d.facts} 条）`]),
      );
      addOptions(
        yearSelect,
        (body.years ?? []).map((y) => [String(y), `${y}年`]),
      );
      docSelect.value = initial.get('doc') ?? '';
      yearSelect.value = initial.get('year') ?? '';
      await search();
    } catch (error) {
      status.textContent =
        error instanceof FactsError ? error.message : '无法连接服务器，正在重试…';
      if (!(error instanceof FactsError) || error.status === 503)
        setTimeout(() => void loadFacets(), RETRY_MS);
    }
  }

  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => void search(), DEBOUNCE_MS);
  });
  docSelect.addEventListener('change', () => void search());
  yearSelect.addEventListener('change', () => void search());
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void search();
  });

  const buttons = () => [...results.querySelectorAll<HTMLButtonElement>('button.copy')];
  input.addEventListener('keydown', (event) => {
    if (event.key === 'ArrowDown' && buttons().length > 0) {
      event.preventDefault();
      buttons()[0]!.focus();
    }
  });
  results.addEventListener('keydown', (event) => {
    const all = buttons();
    const at = all.indexOf(document.activeElement as HTMLButtonElement);
    if (event.key === 'Escape') {
      event.preventDefault();
      input.focus();
    } else if (event.key === 'ArrowDown' && at >= 0) {
      event.preventDefault();
      all[Math.min(at + 1, all.length - 1)]!.focus();
    } else if (event.key === 'ArrowUp' && at >= 0) {
      event.preventDefault();
      if (at === 0) input.focus();
      else all[at - 1]!.focus();
    }
  });
  // WCAG 2.4.11: the sticky search form must not hide the focused result. Focus scrolls
  // a result just into view, which at the top is under the form; move it below the form.
  results.addEventListener('focusin', (event) => {
    const fact = (event.target as Element).closest('.fact') ?? (event.target as Element);
    const under = form.getBoundingClientRect().bottom + 8 - fact.getBoundingClientRect().top;
    if (under > 0) window.scrollBy(0, -under);
  });
  results.addEventListener('click', (event) => {
    const button = (event.target as Element).closest<HTMLButtonElement>('button.copy');
    const fact = button ? shown[Number(button.dataset['index'])] : undefined;
    if (!button || !fact) return;
    void writeClipboard(fact.citation).then((ok) => {
      status.textContent = ok ? `已复制：${fact.citation}` : '复制失败，请手动选择文字复制。';
      if (!ok) return;
      button.textContent = '已复制';
      setTimeout(() => (button.textContent = '复制引用'), 2000);
    });
  });

  input.focus();
  void loadFacets();
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
