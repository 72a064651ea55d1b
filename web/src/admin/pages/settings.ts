/** 设置: the widget's greeting, hand-off line, suggested questions, allowed origins; log retention. */
import { api } from '../api.js';
import { field, h, replace } from '../dom.js';
import type { Page } from '../page.js';

interface Settings {
  greeting: string;
  handoff: { phone: string; hours: string; url: string };
  suggestions: string[];
  allowedOrigins: string[];
  retentionDays: number;
}

export const settingsPage: Page = {
  id: 'settings',
  title: '设置',
  async render(body, ctx) {
    const s = await api<Settings>('GET', '/settings');
    const greeting = h('textarea', { rows: 2 });
    greeting.value = s.greeting;
    const phone = h('input', { type: 'tel', value: s.handoff.phone });
    const hours = h('input', { type: 'text', value: s.handoff.hours });
    const url = h('input', { type: 'url', value: s.handoff.url, placeholder: 'https://' });
    const suggestions = h('textarea', { rows: 4 });
    suggestions.value = s.suggestions.join('\n');
    const origins = h('textarea', { rows: 3 });
    origins.value = s.allowedOrigins.join('\n');
    const retention = h('input', {
      type: 'number',
      min: 1,
      max: 3650,
      value: s.retentionDays,
      required: true,
    });
    const error = h('p', { class: 'error', role: 'alert' });
    const lines = (t: HTMLTextAreaElement) =>
      t.value
        .split('\n')
        .map((x) => x.trim())
        .filter(Boolean);
    const form = h(
      'form',
      { class: 'card' },
      h(
        'fieldset',
        {},
        h('legend', {}, '问答窗口'),
        field('欢迎语', greeting),
        field('推荐问题', suggestions, '每行一个，最多 12 个；留空则根据报告自动生成'),
      ),
      h(
        'fieldset',
        {},
        h('legend', {}, '转人工'),
        field('热线电话', phone),
        field('服务时间', hours),
        field('在线留言链接', url),
      ),
      h(
        'fieldset',
        {},
        h('legend', {}, '嵌入与日志'),
        field('允许嵌入的网站', origins, '每行一个，如 https://www.example.gov.cn；留空则不限'),
        field(
          '问答日志保存天数',
          retention,
          '每天自动删除更早的记录。网络安全法要求不少于 180 天（六个月）；个人信息保护法要求不超过必要期限',
        ),
      ),
      error,
      ctx.canEdit
        ? h('button', { type: 'submit', class: 'primary' }, '保存设置')
        : h('p', { class: 'hint' }, '只读账号不能修改设置。'),
    );
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      replace(error);
      try {
        await api('PUT', '/settings', {
          greeting: greeting.value,
          handoff: { phone: phone.value, hours: hours.value, url: url.value },
          suggestions: lines(suggestions),
          allowedOrigins: lines(origins),
          retentionDays: Number(retention.value),
        });
        ctx.notify('设置已保存。');
      } catch (err) {
        replace(error, err instanceof Error ? err.message : String(err));
      }
    });
    replace(body, form);
  },
};
