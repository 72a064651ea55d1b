/**
 * 统计分析: questions per day, answered share, feedback, most asked topics and most cited
 * reports, drawn with Chart.js; each chart has its figures as a table too (screen readers
 * and copy-paste), and the question log of the range can be exported as CSV.
 */
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js';
import { api } from '../api.js';
import { field, h, replace } from '../dom.js';
import type { Page } from '../page.js';

Chart.register(
  BarController,
  BarElement,
  CategoryScale,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Legend,
  Tooltip,
);

interface Analytics {
  from: string;
  to: string;
  total: number;
  answered: number;
  answeredShare: number | null;
  days: Array<{ day: string; questions: number; answered: number; up: number; down: number }>;
  topics: Array<{ question: string; count: number; wordings: number }>;
  documents: Array<{ docId: string; title: string; count: number }>;
}

const charts: Chart[] = [];
const BLUE = '#1d4ed8';
const GREEN = '#15803d';
const RED = '#b91c1c';

function figure(
  title: string,
  summary: string,
  draw: (canvas: HTMLCanvasElement) => Chart,
  table: HTMLTableElement,
): HTMLElement {
  const canvas = h('canvas', { role: 'img', 'aria-label': `${title}：${summary}` });
  const el = h(
    'figure',
    { class: 'chart' },
    h('figcaption', {}, title),
    h('div', { class: 'canvas' }, canvas),
    h('details', {}, h('summary', {}, '查看数据'), table),
  );
  queueMicrotask(() => charts.push(draw(canvas)));
  return el;
}

/** A horizontal bar chart of counts, longest labels cut at 14 characters (topics, reports). */
function rankingChart(
  canvas: HTMLCanvasElement,
  labels: string[],
  label: string,
  data: number[],
  color: string,
): Chart {
  return new Chart(canvas, {
    type: 'bar',
    data: {
      labels: labels.map((l) => (l.length > 14 ? `${l.slice(0, 14)}…` : l)),
      datasets: [{ label, data, backgroundColor: color }],
    },
    options: {
      indexAxis: 'y',
      responsive: true,
      maintainAspectRatio: false,
      scales: { x: { beginAtZero: true, ticks: { precision: 0 } } },
    },
  });
}

function table(head: string[], rows: Array<Array<string | number>>): HTMLTableElement {
  return h(
    'table',
    {},
    h('thead', {}, h('tr', {}, ...head.map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, ...rows.map((r) => h('tr', {}, ...r.map((c) => h('td', {}, c))))),
  );
}

export const analyticsPage: Page = {
  id: 'analytics',
  title: '统计分析',
  async render(body, ctx) {
    for (const c of charts.splice(0)) c.destroy();
    const from = h('input', { type: 'date', value: ctx.params.get('from') ?? '' });
    const to = h('input', { type: 'date', value: ctx.params.get('to') ?? '' });
    const query = () =>
      new URLSearchParams({
        ...(from.value ? { from: from.value } : {}),
        ...(to.value ? { to: to.value } : {}),
      }).toString();
    const a = await api<Analytics>('GET', `/analytics?${query()}`);
    from.value = a.from;
    to.value = a.to;
    const exportLink = h(
      'a',
      { class: 'button', href: `/api/admin/export.csv?${query()}`, download: '' },
      '导出问答日志（CSV）',
    );
    const form = h(
      'form',
      { class: 'row card', 'aria-label': '统计时间范围' },
      field('开始日期', from),
      field('结束日期', to),
      h('button', { type: 'submit', class: 'primary' }, '查看'),
      exportLink,
    );
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      ctx.go(`#/analytics?${query()}`);
    });
    const share = a.answeredShare === null ? '—' : `${(a.answeredShare * 100).toFixed(1)}%`;
    const labels = a.days.map((d) => d.day.slice(5));
    const axis = { y: { beginAtZero: true, ticks: { precision: 0 } } };
    replace(
      body,
      form,
      h(
        'dl',
        { class: 'totals' },
        h('div', {}, h('dt', {}, '提问总数'), h('dd', {}, a.total)),
        h('div', {}, h('dt', {}, '已回答'), h('dd', {}, a.answered)),
        h('div', {}, h('dt', {}, '回答率'), h('dd', {}, share)),
      ),
      h(
        'div',
        { class: 'charts' },
        figure(
          '每日提问与回答',
          `${a.from} 至 ${a.to} 共 ${a.total} 个问题，回答率 ${share}`,
          (canvas) =>
            new Chart(canvas, {
              type: 'line',
              data: {
                labels,
                datasets: [
                  {
                    label: '提问',
                    data: a.days.map((d) => d.questions),
                    borderColor: BLUE,
                    backgroundColor: BLUE,
                  },
                  {
                    label: '已回答',
                    data: a.days.map((d) => d.answered),
                    borderColor: GREEN,
                    backgroundColor: GREEN,
                  },
                ],
              },
              options: { responsive: true, maintainAspectRatio: false, scales: axis },
            }),
          table(
            ['日期', '提问', '已回答', '回答率'],
            a.days.map((d) => [
              d.day,
              d.questions,
              d.answered,
              d.questions ? `${Math.round((d.answered / d.questions) * 100)}%` : '—',
            ]),
          ),
        ),
        figure(
          '每日反馈',
          `有用 ${a.days.reduce((n, d) => n + d.up, 0)} 次，没用 ${a.days.reduce((n, d) => n + d.down, 0)} 次`,
          (canvas) =>
            new Chart(canvas, {
              type: 'bar',
              data: {
                labels,
                datasets: [
                  { label: '有用', data: a.days.map((d) => d.up), backgroundColor: GREEN },
                  { label: '没用', data: a.days.map((d) => d.down), backgroundColor: RED },
                ],
              },
              options: { responsive: true, maintainAspectRatio: false, scales: axis },
            }),
          table(
            ['日期', '有用', '没用'],
            a.days.map((d) => [d.day, d.up, d.down]),
          ),
        ),
        figure(
          '最常问的话题',
          a.topics
            .slice(0, 3)
            .map((t) => `${t.question}（${t.count}）`)
            .join('、') || '暂无',
          (canvas) =>
            rankingChart(
              canvas,
              a.topics.map((t) => t.question),
              '提问次数',
              a.topics.map((t) => t.count),
              BLUE,
            ),
          table(
            ['话题', '次数', '问法数'],
            a.topics.map((t) => [t.question, t.count, t.wordings]),
          ),
        ),
        figure(
          '引用最多的报告',
          a.documents
            .slice(0, 3)
            .map((d) => `${d.title}（${d.count}）`)
            .join('、') || '暂无',
          (canvas) =>
            rankingChart(
              canvas,
              a.documents.map((d) => d.title),
              '被引用次数',
              a.documents.map((d) => d.count),
              GREEN,
            ),
          table(
            ['报告', '被引用次数'],
            a.documents.map((d) => [d.title, d.count]),
          ),
        ),
      ),
    );
  },
};
