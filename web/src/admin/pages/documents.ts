/** 文档管理: the reports, upload, metadata edits, deletion, and the jobs that carry them out. */
import { api } from '../api.js';
import { field, h, replace, when } from '../dom.js';
import type { Page, PageContext } from '../page.js';

interface Doc {
  docId: string;
  title: string;
  year: number | null;
  region: string | null;
  issuer: string;
  source: string;
  sourceUrl: string | null;
  publishedAt: string | null;
  pages: number | null;
  passages: number;
  state: string;
  error: string | null;
}
interface Job {
  jobId: string;
  kind: string;
  state: 'queued' | 'running' | 'done' | 'failed';
  docId?: string;
  createdAt: string;
  finishedAt?: string;
  progress: {
    phase: string;
    files: number;
    filesTotal: number;
    passages: number;
    embedded: number;
    embedTotal: number;
  };
  error?: string;
  failures: Array<{ docId: string; reason: string }>;
}

const KIND: Record<string, string> = {
  upload: '上传',
  update: '修改信息',
  delete: '删除',
  reindex: '重建索引',
  startup: '启动检查',
};
const STATE: Record<string, string> = {
  queued: '排队中',
  running: '进行中',
  done: '已完成',
  failed: '失败',
};
const PHASE: Record<string, string> = {
  queued: '排队',
  starting: '启动导入进程',
  reading: '读取文件',
  embedding: '计算向量',
  saving: '保存并切换索引',
  done: '完成',
  failed: '失败',
};

/** Follows a job until it ends, showing its progress in `box`. */
async function follow(jobId: string, box: HTMLElement, ctx: PageContext): Promise<Job> {
  for (;;) {
    const job = await api<Job>('GET', `/jobs/${encodeURIComponent(jobId)}`);
    const p = job.progress;
    const [value, max] =
      p.phase === 'embedding' ? [p.embedded, p.embedTotal] : [p.files, p.filesTotal];
    replace(
      box,
      h(
        'p',
        {},
        `${KIND[job.kind] ?? job.kind}${job.docId ? `「${job.docId}」` : ''}：${STATE[job.state]} · ${PHASE[p.phase] ?? p.phase}`,
      ),
      job.state === 'running' || job.state === 'queued'
        ? h('progress', {
            max: Math.max(max, 1),
            value: Math.min(value, Math.max(max, 1)),
            'aria-label': '任务进度',
          })
        : null,
      h(
        'p',
        { class: 'hint' },
        `文件 ${p.files}/${p.filesTotal} · 段落 ${p.passages} · 向量 ${p.embedded}/${p.embedTotal}`,
      ),
      job.error ? h('p', { class: 'error' }, job.error) : null,
      job.failures.length > 0
        ? h(
            'ul',
            { class: 'failures' },
            ...job.failures.map((f) => h('li', {}, `${f.docId}：${f.reason}`)),
          )
        : null,
    );
    if (job.state === 'done' || job.state === 'failed') {
      ctx.notify(
        job.state === 'done'
          ? `任务已完成：${KIND[job.kind] ?? ''}${job.docId ? `「${job.docId}」` : ''}，新索引已生效。`
          : `任务失败：${job.error ?? ''}`,
      );
      return job;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

function metaFields(doc?: Doc): { fields: HTMLElement[]; read(): Record<string, unknown> } {
  const title = h('input', { type: 'text', value: doc?.title ?? '' });
  const region = h('input', { type: 'text', value: doc?.region ?? '' });
  const year = h('input', { type: 'number', min: 1949, max: 2100, value: doc?.year ?? '' });
  const sourceUrl = h('input', {
    type: 'url',
    value: doc?.sourceUrl ?? '',
    placeholder: 'https://',
  });
  const issuer = h('input', { type: 'text', value: doc?.issuer ?? '' });
  return {
    fields: [
      field('标题', title, '留空则自动识别'),
      field('年份', year),
      field('地区', region),
      field('发布机关', issuer),
      field('来源链接', sourceUrl),
    ],
    read() {
      const out: Record<string, unknown> = {};
      if (title.value.trim()) out['title'] = title.value.trim();
      if (region.value.trim()) out['region'] = region.value.trim();
      if (year.value) out['reportYear'] = Number(year.value);
      if (sourceUrl.value.trim()) out['sourceUrl'] = sourceUrl.value.trim();
      if (issuer.value.trim()) out['issuer'] = issuer.value.trim();
      return out;
    },
  };
}

export const documentsPage: Page = {
  id: 'documents',
  title: '文档管理',
  async render(body, ctx) {
    const jobBox = h('div', { class: 'job', 'aria-live': 'polite' });
    const list = h('div');
    const editBox = h('div');
    const jobsBox = h('div');

    const run = async (jobId: string) => {
      await follow(jobId, jobBox, ctx);
      await refresh();
    };

    const refresh = async () => {
      const { documents } = await api<{ documents: Doc[] }>('GET', '/documents');
      const rows = documents.map((d) => {
        const edit = h('button', { type: 'button' }, '编辑信息');
        edit.addEventListener('click', () => showEdit(d));
        const del = h('button', { type: 'button', class: 'danger' }, '删除');
        del.addEventListener('click', async () => {
          if (!confirm(`确定删除「${d.title}」吗？删除后市民将无法再查到这份报告。`)) return;
          const { jobId } = await api<{ jobId: string }>(
            'DELETE',
            `/documents/${encodeURIComponent(d.docId)}`,
          );
          await run(jobId);
        });
        return h(
          'tr',
          {},
          h('th', { scope: 'row' }, d.title, h('br'), h('span', { class: 'hint' }, d.docId)),
          h('td', {}, d.year ?? '—'),
          h('td', {}, d.region ?? '—'),
          h('td', {}, d.issuer || '—'),
          h(
            'td',
            {},
            d.sourceUrl
              ? h('a', { href: d.sourceUrl, rel: 'noopener noreferrer', target: '_blank' }, '链接')
              : '—',
          ),
          h('td', {}, d.pages ?? '—'),
          h('td', {}, d.passages),
          h(
            'td',
            {},
            d.state,
            d.error ? h('br') : null,
            d.error ? h('span', { class: 'error' }, d.error) : null,
          ),
          h('td', {}, ctx.canEdit ? h('div', { class: 'actions' }, edit, del) : '—'),
        );
      });
      replace(
        list,
        h(
          'table',
          {},
          h('caption', {}, `共 ${documents.length} 份报告`),
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              ...['标题', '年份', '地区', '发布机关', '来源', '页数', '段落', '状态', '操作'].map(
                (t) => h('th', { scope: 'col' }, t),
              ),
            ),
          ),
          h('tbody', {}, ...rows),
        ),
      );
      const { jobs } = await api<{ jobs: Job[] }>('GET', '/jobs');
      replace(
        jobsBox,
        h('h2', {}, '最近的任务'),
        h(
          'table',
          {},
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              ...['时间', '类型', '文档', '状态', '说明'].map((t) => h('th', { scope: 'col' }, t)),
            ),
          ),
          h(
            'tbody',
            {},
            ...jobs
              .slice(0, 10)
              .map((j) =>
                h(
                  'tr',
                  {},
                  h('td', {}, when(j.createdAt)),
                  h('td', {}, KIND[j.kind] ?? j.kind),
                  h('td', {}, j.docId ?? '—'),
                  h('td', {}, STATE[j.state]),
                  h(
                    'td',
                    {},
                    j.error ??
                      (j.failures.length
                        ? j.failures.map((f) => `${f.docId}：${f.reason}`).join('；')
                        : ''),
                  ),
                ),
              ),
          ),
        ),
      );
    };

    const showEdit = (doc: Doc) => {
      const meta = metaFields(doc);
      const form = h(
        'form',
        { class: 'card', 'aria-labelledby': 'edit-title' },
        h('h2', { id: 'edit-title' }, `编辑「${doc.title}」`),
        ...meta.fields,
        h(
          'div',
          { class: 'actions' },
          h('button', { type: 'submit', class: 'primary' }, '保存并重建索引'),
          h('button', { type: 'button', onclick: () => replace(editBox) }, '取消'),
        ),
      );
      form.addEventListener('submit', async (e) => {
        e.preventDefault();
        try {
          const { jobId } = await api<{ jobId: string }>(
            'PATCH',
            `/documents/${encodeURIComponent(doc.docId)}`,
            { meta: meta.read() },
          );
          replace(editBox);
          await run(jobId);
        } catch (error) {
          ctx.notify(error instanceof Error ? error.message : String(error));
        }
      });
      replace(editBox, form);
      form.querySelector('input')?.focus();
    };

    let upload: HTMLElement | null = null;
    if (ctx.canEdit) {
      const file = h('input', {
        type: 'file',
        name: 'file',
        accept: '.txt,.md,.html,.htm,.docx,.pdf',
        required: true,
      });
      const meta = metaFields();
      const error = h('p', { class: 'error', role: 'alert' });
      const form = h(
        'form',
        { class: 'card', 'aria-labelledby': 'upload-title' },
        h('h2', { id: 'upload-title' }, '上传报告'),
        field('报告文件', file, '支持 .docx、.pdf、.txt、.md、.html；旧版 .doc 请先另存为 .docx'),
        h('details', {}, h('summary', {}, '填写报告信息（可选）'), ...meta.fields),
        error,
        h('button', { type: 'submit', class: 'primary' }, '上传并导入'),
      );
      form.addEventListener('submit', async (e) => {
        e.preventDefault();
        replace(error);
        const chosen = file.files?.[0];
        if (!chosen) return;
        const data = new FormData();
        data.set('file', chosen, chosen.name);
        const m = meta.read();
        if (Object.keys(m).length > 0) data.set('meta', JSON.stringify(m));
        try {
          const { jobId } = await api<{ jobId: string }>('POST', '/documents', data);
          form.reset();
          await run(jobId);
        } catch (err) {
          replace(error, err instanceof Error ? err.message : String(err));
        }
      });
      upload = form;
    }
    replace(body, upload, jobBox, editBox, h('h2', {}, '已导入的报告'), list, jobsBox);
    await refresh();
  },
};
