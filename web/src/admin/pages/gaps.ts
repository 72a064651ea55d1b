/** 未回答的问题: refused and down-voted questions grouped by meaning, with the operator's verdict. */
import { api } from '../api.js';
import { h, replace, when } from '../dom.js';
import type { Page } from '../page.js';

interface Gap {
  key: string;
  question: string;
  count: number;
  downVotes: number;
  firstAt: string;
  lastAt: string;
  wordings: Array<{ key: string; question: string; count: number }>;
  verdict: { verdict: 'not-in-reports' | 'should-answer'; by: string; at: string } | null;
  passages: Array<{ chunkId: string; title: string; section: string; text: string }>;
}

const VERDICT = { 'not-in-reports': '报告确实没有', 'should-answer': '应能回答' } as const;

export const gapsPage: Page = {
  id: 'gaps',
  title: '未回答的问题',
  async render(body, ctx) {
    const { gaps } = await api<{ gaps: Gap[] }>('GET', '/gaps');
    if (gaps.length === 0) {
      replace(body, h('p', {}, '最近 90 天没有未回答或被点踩的问题。'));
      return;
    }
    const cards = gaps.map((g, i) => {
      const id = `gap-${i}`;
      const verdictText = h(
        'p',
        { class: 'verdict' },
        g.verdict
          ? `结论：${VERDICT[g.verdict.verdict]}（${g.verdict.by}，${when(g.verdict.at)}）`
          : '尚未处理',
      );
      const next = h('div', { class: 'actions' });
      const keys = g.wordings.map((w) => w.key);
      const paraphrases = g.wordings.map((w) => w.question).filter((q) => q !== g.question);
      const showNext = (verdict: string | undefined) => {
        if (verdict !== 'should-answer') return replace(next);
        const curated = `#/curated?q=${encodeURIComponent(g.question)}&p=${encodeURIComponent(paraphrases.join('\n'))}`;
        const synonym = `#/synonyms?everyday=${encodeURIComponent(g.question)}`;
        replace(
          next,
          h('a', { class: 'button primary', href: curated }, '写一条精选答案'),
          h('a', { class: 'button', href: synonym }, '添加同义词'),
        );
      };
      const judge = (verdict: 'not-in-reports' | 'should-answer') => {
        const b = h(
          'button',
          { type: 'button', 'aria-pressed': g.verdict?.verdict === verdict ? 'true' : 'false' },
          VERDICT[verdict],
        );
        b.addEventListener('click', async () => {
          await api('POST', '/gaps/verdict', { keys, verdict });
          g.verdict = { verdict, by: '我', at: new Date().toISOString() };
          replace(verdictText, `结论：${VERDICT[verdict]}`);
          for (const other of b.parentElement?.querySelectorAll('button') ?? [])
            other.setAttribute('aria-pressed', other === b ? 'true' : 'false');
          showNext(verdict);
          ctx.notify(`已标记为「${VERDICT[verdict]}」`);
        });
        return b;
      };
      showNext(g.verdict?.verdict);
      return h(
        'article',
        { class: 'card', 'aria-labelledby': id },
        h('h2', { id }, g.question),
        h(
          'p',
          { class: 'hint' },
          `共 ${g.count} 次${g.downVotes ? `，其中 ${g.downVotes} 次被点踩` : ''} · 首次 ${when(g.firstAt)} · 最近 ${when(g.lastAt)}`,
        ),
        g.wordings.length > 1
          ? h(
              'details',
              {},
              h('summary', {}, `${g.wordings.length} 种问法`),
              h('ul', {}, ...g.wordings.map((w) => h('li', {}, `${w.question}（${w.count} 次）`))),
            )
          : null,
        g.passages.length > 0
          ? h(
              'details',
              {},
              h('summary', {}, '市民看到的最接近的段落'),
              h(
                'ul',
                {},
                ...g.passages.map((p) =>
                  h(
                    'li',
                    {},
                    h('strong', {}, `《${p.title}》${p.section}`),
                    h('br'),
                    p.text.slice(0, 160),
                  ),
                ),
              ),
            )
          : null,
        verdictText,
        ctx.canEdit
          ? h(
              'div',
              { class: 'actions', role: 'group', 'aria-label': '处理结论' },
              judge('not-in-reports'),
              judge('should-answer'),
            )
          : null,
        next,
      );
    });
    replace(
      body,
      h(
        'p',
        { class: 'hint' },
        '意思相同的问法已归为一组。请判断：报告里确实没有，还是本应能回答？',
      ),
      ...cards,
    );
  },
};
