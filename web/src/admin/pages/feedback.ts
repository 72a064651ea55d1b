/** 用户反馈: rated answers with the comment. */
import { api } from '../api.js';
import { h, replace, when } from '../dom.js';
import type { Page } from '../page.js';

interface Feedback {
  messageId: string;
  at: string;
  question: string;
  found: boolean;
  rating: 'up' | 'down';
  comment: string | null;
  ratedAt: string | null;
  documents: string[];
  passages: Array<{ title: string; section: string; text: string }>;
}

export const feedbackPage: Page = {
  id: 'feedback',
  title: '用户反馈',
  async render(body) {
    const { feedback } = await api<{ feedback: Feedback[] }>('GET', '/feedback');
    replace(
      body,
      feedback.length === 0
        ? h('p', {}, '还没有用户反馈。')
        : h(
            'table',
            {},
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                ...['时间', '问题', '回答', '评价', '评论'].map((t) =>
                  h('th', { scope: 'col' }, t),
                ),
              ),
            ),
            h(
              'tbody',
              {},
              ...feedback.map((f) =>
                h(
                  'tr',
                  {},
                  h('td', {}, when(f.ratedAt ?? f.at)),
                  h('td', {}, f.question),
                  h(
                    'td',
                    {},
                    f.found ? '已回答' : '未回答（显示了最接近的段落）',
                    ...f.passages.map((p) =>
                      h(
                        'p',
                        { class: 'hint' },
                        `《${p.title}》${p.section}：${p.text.slice(0, 120)}`,
                      ),
                    ),
                  ),
                  h('td', {}, f.rating === 'up' ? '有用' : '没用'),
                  h('td', {}, f.comment ?? '—'),
                ),
              ),
            ),
          ),
    );
  },
};
