/**
 * The operator's journey through the REST API, on one server that is never restarted:
 * upload a Word report, follow its job, get answers citing it, find a refused question
 * with its paraphrase in the gaps, add a curated answer, delete the report, get a refusal.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDocx } from './helpers/doc-fixtures.js';
import {
  signIn,
  startConsoleServer,
  type ConsoleClient,
  type ConsoleServer,
} from './helpers/console-server.js';

const TOKEN = 'program-token-for-tests';
const REPORT = [
  { text: '2025年青山市人民政府工作报告', heading: true },
  { text: '一、2024年工作回顾', heading: true },
  { text: '过去一年，青山市新建城市书房128座，全年接待读者56.3万人次。' },
  { text: '全市新增公园绿地420公顷，建成口袋公园35个。' },
];
const ONLY_THIS_REPORT = '青山市新建了多少座城市书房？';
const GAP = '城市书房怎么预约？';
const GAP_PARAPHRASE = '如何预约城市书房';

let server: ConsoleServer;
let editor: ConsoleClient;
const bearer = { authorization: `Bearer ${TOKEN}` };

async function ask(question: string) {
  const res = await fetch(`${server.url}/api/ask`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ question }),
  });
  return (await res.json()) as {
    found: boolean;
    answer: string;
    mode: string;
    messageId: string;
    citations: Array<{ docId: string; chunkId: string }>;
  };
}

async function upload(name: string, bytes: Buffer, meta?: unknown): Promise<Response> {
  const form = new FormData();
  form.set('file', new Blob([new Uint8Array(bytes)]), name);
  if (meta) form.set('meta', JSON.stringify(meta));
  return fetch(`${server.url}/api/admin/documents`, {
    method: 'POST',
    headers: bearer,
    body: form,
  });
}

async function job(jobId: string): Promise<Record<string, unknown>> {
  for (;;) {
    const body = (await (
      await fetch(`${server.url}/api/admin/jobs/${jobId}`, { headers: bearer })
    ).json()) as Record<string, unknown>;
    if (body['state'] === 'done' || body['state'] === 'failed') return body;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The console's reads go through their own connection: retry until the log has the rows. */
async function eventually<T>(read: () => Promise<T>, ok: (value: T) => boolean): Promise<T> {
  for (let i = 0; ; i++) {
    const value = await read();
    if (ok(value) || i > 50) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  server = await startConsoleServer({ env: { ADMIN_TOKEN: TOKEN } });
  await server.addUser('zhangsan', 'correct horse battery');
  editor = await signIn(server.url, 'zhangsan', 'correct horse battery');
}, 60_000);
afterAll(() => server?.close());

describe('operator journey over the REST API', () => {
  let docId = '';
  let jobId = '';

  it('uploads a .docx as a background job that ends with the new index serving, without a restart', async () => {
    const before = await ask(ONLY_THIS_REPORT);
    expect(before.found).toBe(false);
    const res = await upload('2025_青山市政府工作报告.docx', await makeDocx(REPORT), {
      sourceUrl: 'https://www.qingshan.gov.cn/report.html',
      region: '青山',
    });
    expect(res.status).toBe(202);
    jobId = ((await res.json()) as { jobId: string }).jobId;
    expect(jobId).toMatch(/\S/);
    const done = await job(jobId);
    expect(done).toMatchObject({
      state: 'done',
      kind: 'upload',
      docId: '2025_青山市政府工作报告.docx',
    });
    expect((done['result'] as { added: number }).added).toBe(1);
    docId = done['docId'] as string;

    const { documents } = (await (
      await fetch(`${server.url}/api/admin/documents`, { headers: bearer })
    ).json()) as { documents: Array<Record<string, unknown>> };
    const listed = documents.find((d) => d['docId'] === docId);
    expect(listed).toMatchObject({
      title: '2025年青山市人民政府工作报告',
      region: '青山',
      sourceUrl: 'https://www.qingshan.gov.cn/report.html',
      state: '已索引',
    });
    expect(listed!['passages']).toBeGreaterThan(0);
  }, 60_000);

  it('answers a question only the uploaded report answers, citing it, and lists its feedback with the comment', async () => {
    const answer = await ask(ONLY_THIS_REPORT);
    expect(answer.found).toBe(true);
    expect(answer.answer).toContain('128');
    expect(answer.citations.map((c) => c.docId)).toContain(docId);
    const rated = await fetch(`${server.url}/api/feedback`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        messageId: answer.messageId,
        rating: 'down',
        comment: '想知道具体地址',
      }),
    });
    expect(rated.status).toBe(200);
    const { feedback } = await editor.json<{
      feedback: Array<{
        comment: string;
        rating: string;
        documents: string[];
        passages: Array<{ text: string }>;
      }>;
    }>('GET', '/feedback');
    expect(feedback[0]).toMatchObject({
      comment: '想知道具体地址',
      rating: 'down',
      documents: ['2025年青山市人民政府工作报告'],
    });
    expect(feedback[0]!.passages[0]!.text).toContain('128');
  });

  it('shows the question in the analytics and a refused question grouped with its paraphrase in the gaps', async () => {
    expect((await ask(GAP)).found).toBe(false);
    expect((await ask(GAP_PARAPHRASE)).found).toBe(false);
    const analytics = await eventually(
      () =>
        editor.json<{ total: number; topics: Array<{ question: string }> }>('GET', '/analytics'),
      (a) => a.total >= 4,
    );
    expect(analytics.total).toBeGreaterThanOrEqual(4);
    expect(analytics.topics.some((t) => t.question.startsWith('青山市新建了多少座城市书房'))).toBe(
      true,
    );
    const { gaps } = await editor.json<{
      gaps: Array<{ wordings: Array<{ question: string }>; count: number; passages: unknown[] }>;
    }>('GET', '/gaps');
    const group = gaps.find((g) => g.wordings.some((w) => w.question.includes('预约')));
    expect(group?.wordings).toHaveLength(2);
    expect(group?.wordings.map((w) => w.question.replace(/[？?]$/, '')).sort()).toEqual(
      [GAP.replace('？', ''), GAP_PARAPHRASE].sort(),
    );
    expect(group?.passages.length).toBeGreaterThan(0);
    expect(group?.count).toBe(2);
  });

  it('refuses a curated answer without a citation or with a figure its passage does not hold, then answers with it', async () => {
    const { passages } = await editor.json<{
      passages: Array<{ chunkId: string; docId: string; text: string }>;
    }>('GET', `/passages?q=${encodeURIComponent('城市书房')}`);
    const passage = passages.find((p) => p.docId === docId && p.text.includes('128'))!;
    expect(passage).toBeDefined();
    const draft = {
      question: GAP,
      paraphrases: [GAP_PARAPHRASE],
      answer: '青山市已建成城市书房128座，预约请咨询就近的城市书房。',
      chunkIds: [passage.chunkId],
    };

    const uncited = await editor.request('POST', '/curated', { ...draft, chunkIds: [] });
    expect(uncited.status).toBe(422);
    expect(((await uncited.json()) as { error: { code: string } }).error.code).toBe(
      'CURATED_INVALID',
    );
    const invented = await editor.request('POST', '/curated', {
      ...draft,
      answer: '青山市已建成城市书房130座。',
    });
    expect(invented.status).toBe(422);
    expect(((await invented.json()) as { error: { message: string } }).error.message).toContain(
      '130座',
    );

    expect((await editor.request('POST', '/curated', draft)).status).toBe(201);
    const curated = await ask(GAP_PARAPHRASE);
    expect(curated).toMatchObject({ found: true, mode: 'curated' });
    expect(curated.answer).toContain('128座');
    expect(curated.citations[0]).toMatchObject({ chunkId: passage.chunkId, docId });
  });

  it('takes a synonym added by an operator into the next answer, without a restart', async () => {
    const everyday = '读书驿站一共有多少座？';
    expect((await ask(everyday)).found).toBe(false);
    expect(
      (await editor.request('POST', '/synonyms', { official: '城市书房', everyday: '读书驿站' }))
        .status,
    ).toBe(201);
    const answer = await ask(everyday);
    expect(answer.found).toBe(true);
    expect(answer.answer).toContain('128');
  });

  it('exports the question log of a date range as CSV, personal data masked', async () => {
    await ask('我的身份证110105199001011232能查社保吗');
    const today = new Date().toISOString().slice(0, 10);
    const csv = await eventually(
      async () => (await editor.request('GET', `/export.csv?from=${today}&to=${today}`)).text(),
      (text) => text.includes('[身份证号]'),
    );
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).toBe('时间,会话,渠道,问题,已回答,方式,用时(ms),评价,评论,引用段落');
    // The UTF-8 byte order mark that makes Excel read the Chinese right (text() drops it).
    const bytes = new Uint8Array(
      await (await editor.request('GET', `/export.csv?from=${today}&to=${today}`)).arrayBuffer(),
    );
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(csv).toContain('青山市新建了多少座城市书房');
    expect(csv).not.toContain('110105199001011232');
    const past = await (
      await editor.request('GET', '/export.csv?from=2020-01-01&to=2020-01-31')
    ).text();
    expect(past.trim().split('\r\n')).toHaveLength(1);
    expect((await editor.request('GET', '/export.csv?from=2020-13-01')).status).toBe(400);
  });

  it("edits a report's metadata as a job: the new title is listed and cited, a bad value is refused by name", async () => {
    const bad = await editor.request('PATCH', `/documents/${encodeURIComponent(docId)}`, {
      meta: { publishedAt: '2025年1月' },
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toContain(
      'publishedAt',
    );
    const res = await editor.request('PATCH', `/documents/${encodeURIComponent(docId)}`, {
      meta: { title: '2025年青山市政府工作报告（修订）', publishedAt: '2025-01-20' },
    });
    expect(res.status).toBe(202);
    const done = await editor.waitForJob(((await res.json()) as { jobId: string }).jobId);
    expect(done).toMatchObject({ state: 'done', kind: 'update' });
    const { documents } = await editor.json<{
      documents: Array<{ docId: string; title: string; publishedAt: string; sourceUrl: string }>;
    }>('GET', '/documents');
    expect(documents.find((d) => d.docId === docId)).toMatchObject({
      title: '2025年青山市政府工作报告（修订）',
      publishedAt: '2025-01-20',
      sourceUrl: 'https://www.qingshan.gov.cn/report.html',
    });
    const answer = (await (
      await fetch(`${server.url}/api/ask`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ question: ONLY_THIS_REPORT }),
      })
    ).json()) as { citations: Array<{ title: string }> };
    expect(answer.citations[0]!.title).toBe('2025年青山市政府工作报告（修订）');
  }, 60_000);

  it('deletes the report as a job; its questions are refused again and its curated answer no longer applies', async () => {
    const res = await fetch(`${server.url}/api/admin/documents/${encodeURIComponent(docId)}`, {
      method: 'DELETE',
      headers: bearer,
    });
    expect(res.status).toBe(202);
    const done = await job(((await res.json()) as { jobId: string }).jobId);
    expect(done).toMatchObject({ state: 'done', kind: 'delete' });
    expect((await ask(ONLY_THIS_REPORT)).found).toBe(false);
    expect((await ask(GAP)).found).toBe(false);
  }, 60_000);

  it('refuses a .doc with the reason, and a broken .docx fails its job by name while the old index keeps serving', async () => {
    const doc = await upload('旧报告.doc', Buffer.from('not really a word file'));
    expect(doc.status).toBe(415);
    expect(((await doc.json()) as { error: { message: string } }).error.message).toContain(
      '另存为 .docx',
    );

    const broken = await upload(
      '损坏的报告.docx',
      Buffer.from('PK\u0003\u0004 this is not a zip archive at all'),
    );
    expect(broken.status).toBe(202);
    const failed = await job(((await broken.json()) as { jobId: string }).jobId);
    expect(failed['state']).toBe('failed');
    expect(failed['failures']).toEqual([
      { docId: '损坏的报告.docx', reason: expect.any(String), code: 'FILE_DAMAGED' },
    ]);
    expect(failed['error']).toContain('损坏的报告.docx');
    const answer = await ask('2021年山西办理了多少件人大代表建议？');
    expect(answer.found).toBe(true);
    const { documents } = (await (
      await fetch(`${server.url}/api/admin/documents`, { headers: bearer })
    ).json()) as { documents: Array<{ docId: string }> };
    expect(documents.map((d) => d.docId)).not.toContain('损坏的报告.docx');
  }, 60_000);
});
