/** 精选答案: an editor's answer to a question, citing report passages, versioned. */
import { api } from '../api.js';
import { field, h, replace, when } from '../dom.js';
import type { Page } from '../page.js';

interface PassageHit {
  chunkId: string;
  docId: string;
  title: string;
  section: string;
  text: string;
}
interface Curated {
  id: string;
  version: number;
  question: string;
  paraphrases: string[];
  answer: string;
  chunkIds: string[];
  author: string;
  updatedAt: string;
  passages: Array<PassageHit | { chunkId: string; missing: true }>;
}

export const curatedPage: Page = {
  id: 'curated',
  title: '精选答案',
  async render(body, ctx) {
    const { curated } = await api<{ curated: Curated[] }>('GET', '/curated');
    let editing: string | null = null;
    const cited = new Map<string, PassageHit>();
    const question = h('input', { type: 'text', required: true, value: ctx.params.get('q') ?? '' });
    const paraphrases = h('textarea', { rows: 3 });
    paraphrases.value = ctx.params.get('p') ?? '';
    const answer = h('textarea', { rows: 4, required: true });
    const search = h('input', { type: 'search' });
    const results = h('ul', { class: 'results' });
    const citedList = h('ol', { class: 'cited' });
    const error = h('p', { class: 'error', role: 'alert' });

    const drawCited = () => {
      replace(
        citedList,
        ...[...cited.values()].map((p) => {
          const remove = h('button', { type: 'button' }, '取消引用');
          remove.addEventListener('click', () => {
            cited.delete(p.chunkId);
            drawCited();
          });
          return h(
            'li',
            {},
            h('strong', {}, `《${p.title}》${p.section}`),
            ' ',
            p.text.slice(0, 120),
            ' ',
            remove,
          );
        }),
      );
      if (cited.size === 0)
        citedList.append(h('li', { class: 'hint' }, '尚未引用段落（至少引用一段）'));
    };
    const find = async () => {
      const { passages } = await api<{ passages: PassageHit[] }>(
        'GET',
        `/passages?q=${encodeURIComponent(search.value)}`,
      );
      replace(
        results,
        ...passages.map((p) => {
          const add = h('button', { type: 'button' }, '引用这段');
          add.addEventListener('click', () => {
            cited.set(p.chunkId, p);
            drawCited();
            ctx.notify('已引用');
          });
          return h(
            'li',
            {},
            h('strong', {}, `《${p.title}》${p.section}`),
            h('br'),
            p.text.slice(0, 200),
            ' ',
            add,
          );
        }),
      );
      if (passages.length === 0) results.append(h('li', {}, '没有找到相关段落。'));
    };
    const searchButton = h('button', { type: 'button' }, '查找段落');
    searchButton.addEventListener('click', () => void find());
    search.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') {
        e.preventDefault();
        void find();
      }
    });
    const title = h('h2', { id: 'curated-form' }, '新增精选答案');
    const form = h(
      'form',
      { class: 'card', 'aria-labelledby': 'curated-form' },
      title,
      field('问题', question),
      field('其他问法', paraphrases, '每行一种问法'),
      field('答案', answer, '答案中的每个数字都必须出现在所引用的段落里'),
      h(
        'div',
        { class: 'field' },
        h('label', { for: 'curated-search' }, '查找要引用的报告段落'),
        h('div', { class: 'row' }, search, searchButton),
      ),
      results,
      h('h3', {}, '已引用的段落'),
      citedList,
      error,
      h('button', { type: 'submit', class: 'primary' }, '保存精选答案'),
    );
    search.id = 'curated-search';
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      replace(error);
      const draft = {
        question: question.value,
        answer: answer.value,
        chunkIds: [...cited.keys()],
        paraphrases: paraphrases.value
          .split('\n')
          .map((s) => s.trim())
          .filter(Boolean),
      };
      try {
        if (editing) await api('PUT', `/curated/${encodeURIComponent(editing)}`, draft);
        else await api('POST', '/curated', draft);
        ctx.notify('精选答案已保存，立即生效。');
        location.hash = '#/curated';
        await curatedPage.render(body, { ...ctx, params: new URLSearchParams() });
      } catch (err) {
        replace(error, err instanceof Error ? err.message : String(err));
      }
    });
    if (!search.value && question.value) search.value = question.value;
    drawCited();

    const rows = curated.map((c) => {
      const edit = h('button', { type: 'button' }, '修改');
      edit.addEventListener('click', () => {
        editing = c.id;
        question.value = c.question;
        paraphrases.value = c.paraphrases.join('\n');
        answer.value = c.answer;
        cited.clear();
        for (const p of c.passages) if (!('missing' in p)) cited.set(p.chunkId, p);
        drawCited();
        replace(title, `修改精选答案（当前第 ${c.version} 版）`);
        question.focus();
      });
      const withdraw = h('button', { type: 'button', class: 'danger' }, '撤下');
      withdraw.addEventListener('click', async () => {
        if (!confirm(`撤下「${c.question}」的精选答案吗？`)) return;
        await api('DELETE', `/curated/${encodeURIComponent(c.id)}`);
        ctx.notify('已撤下');
        await curatedPage.render(body, ctx);
      });
      const missing = c.passages.some((p) => 'missing' in p);
      return h(
        'tr',
        {},
        h(
          'th',
          { scope: 'row' },
          c.question,
          c.paraphrases.length ? h('br') : null,
          c.paraphrases.length ? h('span', { class: 'hint' }, c.paraphrases.join('；')) : null,
        ),
        h(
          'td',
          {},
          c.answer,
          missing ? h('p', { class: 'error' }, '所引段落已随文档删除，此答案暂不生效') : null,
        ),
        h('td', {}, `第 ${c.version} 版`, h('br'), `${c.author} · ${when(c.updatedAt)}`),
        h('td', {}, ctx.canEdit ? h('div', { class: 'actions' }, edit, withdraw) : '—'),
      );
    });
    replace(
      body,
      ctx.canEdit ? form : null,
      h('h2', {}, '已有的精选答案'),
      curated.length === 0
        ? h('p', {}, '还没有精选答案。')
        : h(
            'table',
            {},
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                ...['问题', '答案', '版本', '操作'].map((t) => h('th', { scope: 'col' }, t)),
              ),
            ),
            h('tbody', {}, ...rows),
          ),
    );
    if (ctx.params.get('q')) answer.focus();
  },
};
