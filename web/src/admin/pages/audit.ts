/** 操作记录: every change, who made it and when. */
import { api } from '../api.js';
import { h, replace, when } from '../dom.js';
import type { Page } from '../page.js';

interface Entry {
  at: string;
  actor: string;
  action: string;
  target: string;
  detail: string;
}

const ACTION: Record<string, string> = {
  'document.upload': '上传文档',
  'document.update': '修改文档信息',
  'document.delete': '删除文档',
  'index.rebuild': '重建索引',
  'curated.create': '新增精选答案',
  'curated.update': '修改精选答案',
  'curated.withdraw': '撤下精选答案',
  'synonym.add': '添加同义词',
  'synonym.remove': '删除同义词',
  'gap.verdict': '处理未回答问题',
  'settings.update': '修改设置',
  'log.export': '导出日志',
  'session.signin': '登录',
  'session.signout': '退出',
  'account.locked': '账号锁定',
  'user.add': '新增账号',
  'user.password': '修改密码',
  'user.remove': '删除账号',
};

export const auditPage: Page = {
  id: 'audit',
  title: '操作记录',
  async render(body) {
    const { audit } = await api<{ audit: Entry[] }>('GET', '/audit');
    replace(
      body,
      h(
        'table',
        {},
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ...['时间', '操作人', '操作', '对象', '详情'].map((t) => h('th', { scope: 'col' }, t)),
          ),
        ),
        h(
          'tbody',
          {},
          ...audit.map((a) =>
            h(
              'tr',
              {},
              h('td', {}, when(a.at)),
              h('td', {}, a.actor),
              h('td', {}, ACTION[a.action] ?? a.action),
              h('td', {}, a.target),
              h('td', {}, h('span', { class: 'detail' }, a.detail.slice(0, 200))),
            ),
          ),
        ),
      ),
    );
  },
};
