/** 同义词: citizens' words for the reports' terms; effective for the next question. */
import { api } from '../api.js';
import { field, h, replace, when } from '../dom.js';
import type { Page } from '../page.js';

interface Synonym {
  id: number;
  official: string[];
  everyday: string[];
  author: string;
  at: string;
}

export const synonymsPage: Page = {
  id: 'synonyms',
  title: '同义词',
  async render(body, ctx) {
    const { synonyms } = await api<{ synonyms: Synonym[] }>('GET', '/synonyms');
    const official = h('input', { type: 'text', required: true });
    const everyday = h('input', {
      type: 'text',
      required: true,
      value: ctx.params.get('everyday') ?? '',
    });
    const error = h('p', { class: 'error', role: 'alert' });
    const form = h(
      'form',
      { class: 'card', 'aria-labelledby': 'syn-form' },
      h('h2', { id: 'syn-form' }, '添加同义词'),
      field('报告中的用语', official, '如：法律咨询（多个用逗号分隔）'),
      field('群众的说法', everyday, '如：免费问律师、找律师咨询（多个用逗号分隔）'),
      error,
      h('button', { type: 'submit', class: 'primary' }, '添加（立即生效）'),
    );
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      try {
        await api('POST', '/synonyms', { official: official.value, everyday: everyday.value });
        ctx.notify('同义词已添加，下一个问题起生效。');
        await synonymsPage.render(body, { ...ctx, params: new URLSearchParams() });
      } catch (err) {
        replace(error, err instanceof Error ? err.message : String(err));
      }
    });
    const rows = synonyms.map((s) => {
      const del = h('button', { type: 'button', class: 'danger' }, '删除');
      del.addEventListener('click', async () => {
        await api('DELETE', `/synonyms/${s.id}`);
        ctx.notify('已删除');
        await synonymsPage.render(body, ctx);
      });
      return h(
        'tr',
        {},
        h('td', {}, s.official.join('、')),
        h('td', {}, s.everyday.join('、')),
        h('td', {}, `${s.author} · ${when(s.at)}`),
        h('td', {}, ctx.canEdit ? del : '—'),
      );
    });
    replace(
      body,
      ctx.canEdit ? form : null,
      h('h2', {}, '后台添加的同义词'),
      synonyms.length === 0
        ? h('p', {}, '还没有在后台添加同义词（内置词表仍然有效）。')
        : h(
            'table',
            {},
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                ...['报告用语', '群众说法', '添加人', '操作'].map((t) =>
                  h('th', { scope: 'col' }, t),
                ),
              ),
            ),
            h('tbody', {}, ...rows),
          ),
    );
    if (ctx.params.get('everyday')) official.focus();
  },
};
