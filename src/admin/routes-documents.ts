/**
 * Documents and jobs: the list, upload (multipart `file` + optional `meta` JSON), metadata
 * edits and deletion, each answered 202 {jobId}; GET /jobs/:jobId follows a job.
 */
import busboy from 'busboy';
import { Router, type Request } from 'express';
import { AppError } from '../errors.js';
import { checkUploadName, parseDocumentMeta, type DocumentMetaInput } from './corpus-files.js';
import { audit, type AdminContext } from './context.js';
import { principalOf } from './auth.js';
import type { JobRecord } from './store.js';

interface Upload {
  name: string;
  bytes: Buffer;
  meta: DocumentMetaInput | null;
}

/** Reads the multipart body: one `file` part, an optional `meta` part (JSON). */
function readUpload(req: Request, maxBytes: number): Promise<Upload> {
  return new Promise((resolve, reject) => {
    let bb: busboy.Busboy;
    try {
      bb = busboy({
        headers: req.headers,
        limits: { files: 1, fileSize: maxBytes, fields: 5, fieldSize: 64 * 1024 },
        defParamCharset: 'utf8',
      });
    } catch {
      reject(
        new AppError('BAD_REQUEST', {
          message: '请用 multipart/form-data 上传文件（字段 file）。',
        }),
      );
      return;
    }
    let file: { name: string; bytes: Buffer } | null = null;
    let metaText: string | null = null;
    let failure: AppError | null = null;
    bb.on('file', (field, stream, info) => {
      if (field !== 'file') {
        stream.resume();
        return;
      }
      const parts: Buffer[] = [];
      stream.on('data', (d: Buffer) => parts.push(d));
      stream.on('limit', () => {
        failure = new AppError('BODY_TOO_LARGE', {
          message: `文件过大，最大 ${Math.round(maxBytes / 1048576)} MB。`,
        });
      });
      stream.on('end', () => {
        file = { name: info.filename ?? '', bytes: Buffer.concat(parts) };
      });
    });
    bb.on('field', (field, value) => {
      if (field === 'meta') metaText = value;
    });
    bb.on('error', () =>
      reject(new AppError('BAD_REQUEST', { message: '上传的内容不完整，请重试。' })),
    );
    bb.on('close', () => {
      if (failure) return reject(failure);
      if (!file)
        return reject(new AppError('BAD_REQUEST', { message: '没有收到文件（表单字段 file）。' }));
      let meta: DocumentMetaInput | null = null;
      if (metaText !== null && metaText.trim() !== '') {
        let raw: unknown;
        try {
          raw = JSON.parse(metaText);
        } catch {
          return reject(
            new AppError('BAD_REQUEST', { message: '文档信息（meta）不是有效的 JSON。' }),
          );
        }
        try {
          meta = parseDocumentMeta(raw);
        } catch (error) {
          return reject(error);
        }
      }
      const done: { name: string; bytes: Buffer } = file;
      if (done.bytes.length === 0)
        return reject(new AppError('BAD_REQUEST', { message: `文件是空的：${done.name}` }));
      resolve({ name: done.name, bytes: done.bytes, meta });
    });
    req.pipe(bb);
  });
}

/** The state a document shows in the list. */
function stateOf(
  docId: string,
  indexed: boolean,
  pending: JobRecord[],
  lastFailure: string | undefined,
): string {
  const job = pending.find((j) => j.docId === docId);
  if (job) return job.kind === 'delete' ? '正在删除' : '正在导入';
  if (indexed) return lastFailure ? '已索引（最近一次更新失败）' : '已索引';
  return '未能导入';
}

/** Routes of documents and jobs (mount under /api/admin). */
export function documentRoutes(ctx: AdminContext): Router {
  const router = Router();
  const editor = ctx.auth.requireEditor;

  router.get('/documents', async (_req, res) => {
    const engine = ctx.engine();
    const stats = ctx.holder.documentStats();
    const pending = ctx.jobs.pending();
    // Each build reports every file it could not read: the newest finished build says
    // which files fail now, and failed jobs since then add their own files.
    const failures = new Map<string, string>();
    const recent = await ctx.stores.jobs.list(50);
    const lastDone = recent.findIndex((j) => j.state === 'done');
    for (const job of lastDone >= 0 ? recent.slice(0, lastDone + 1).reverse() : recent.reverse()) {
      for (const f of job.failures) failures.set(f.docId, f.reason);
    }
    const documents = await Promise.all(
      (engine?.documents() ?? []).map(async (meta) => {
        const extra = meta as typeof meta & { sourceUrl?: string };
        const s = stats.get(meta.docId);
        return {
          docId: meta.docId,
          title: meta.title,
          year: meta.reportYear,
          region: meta.region,
          issuer: meta.issuer,
          source: meta.source,
          sourceUrl:
            extra.sourceUrl ??
            ((await ctx.corpus.readMeta(meta.docId))['sourceUrl'] as string | undefined) ??
            null,
          publishedAt: meta.publishedAt,
          docType: meta.docType,
          pages: s?.pages ?? null,
          passages: s?.passages ?? 0,
          state: stateOf(meta.docId, true, pending, failures.get(meta.docId)),
          error: failures.get(meta.docId) ?? null,
        };
      }),
    );
    const indexed = new Set(documents.map((d) => d.docId));
    // Uploads still in their job, and files that are in the folder but failed to import.
    for (const job of pending) {
      if (job.docId && !indexed.has(job.docId)) {
        indexed.add(job.docId);
        documents.push({
          docId: job.docId,
          title: job.docId,
          year: null,
          region: null,
          issuer: '',
          source: '',
          sourceUrl: null,
          publishedAt: null,
          docType: '',
          pages: null,
          passages: 0,
          state: stateOf(job.docId, false, pending, undefined),
          error: null,
        });
      }
    }
    for (const [docId, reason] of failures) {
      if (!indexed.has(docId) && ctx.corpus.has(docId)) {
        documents.push({
          docId,
          title: docId,
          year: null,
          region: null,
          issuer: '',
          source: '',
          sourceUrl: null,
          publishedAt: null,
          docType: '',
          pages: null,
          passages: 0,
          state: '未能导入',
          error: reason,
        });
      }
    }
    res.json({ documents, builtAt: engine?.manifest.builtAt ?? null });
  });

  router.post('/documents', editor, async (req, res) => {
    const upload = await readUpload(req, ctx.maxUploadBytes);
    const docId = checkUploadName(upload.name);
    const staged = await ctx.corpus.stage(
      `${ctx.clock()}-${Math.random().toString(36).slice(2)}`,
      upload.bytes,
    );
    const job = ctx.jobs.submit({
      kind: 'upload',
      docId,
      actor: principalOf(res).name,
      change: ctx.corpus.add(docId, staged, upload.meta),
    });
    await audit(ctx, res, 'document.upload', docId, {
      bytes: upload.bytes.length,
      meta: upload.meta,
      jobId: job.jobId,
    });
    res.status(202).json({ jobId: job.jobId });
  });

  router.patch('/documents/:docId', editor, async (req, res) => {
    const docId = req.params['docId'] as string;
    if (!ctx.corpus.has(docId))
      throw new AppError('NOT_FOUND', { message: `文档不存在：${docId}` });
    const body = (req.body ?? {}) as { meta?: unknown };
    const meta = parseDocumentMeta(body.meta ?? body);
    const job = ctx.jobs.submit({
      kind: 'update',
      docId,
      actor: principalOf(res).name,
      change: ctx.corpus.editMeta(docId, meta),
    });
    await audit(ctx, res, 'document.update', docId, { meta, jobId: job.jobId });
    res.status(202).json({ jobId: job.jobId });
  });

  router.delete('/documents/:docId', editor, async (req, res) => {
    const docId = req.params['docId'] as string;
    if (!ctx.corpus.has(docId))
      throw new AppError('NOT_FOUND', { message: `文档不存在：${docId}` });
    const job = ctx.jobs.submit({
      kind: 'delete',
      docId,
      actor: principalOf(res).name,
      change: ctx.corpus.remove(docId),
    });
    await audit(ctx, res, 'document.delete', docId, { jobId: job.jobId });
    res.status(202).json({ jobId: job.jobId });
  });

  router.post('/reindex', editor, async (_req, res) => {
    const job = ctx.jobs.submit({ kind: 'reindex', actor: principalOf(res).name });
    await audit(ctx, res, 'index.rebuild', '', { jobId: job.jobId });
    res.status(202).json({ jobId: job.jobId });
  });

  router.get('/jobs', async (_req, res) => {
    const live = new Map(ctx.jobs.pending().map((j) => [j.jobId, j]));
    res.json({ jobs: (await ctx.stores.jobs.list(30)).map((j) => live.get(j.jobId) ?? j) });
  });

  router.get('/jobs/:jobId', async (req, res) => {
    const job = await ctx.jobs.get(req.params['jobId'] as string);
    if (!job)
      throw new AppError('NOT_FOUND', {
        message: '任务不存在。',
        detail: `jobId: ${String(req.params['jobId']).slice(0, 80)}`,
      });
    res.json(job);
  });

  return router;
}
