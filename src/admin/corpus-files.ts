/**
 * The console's changes to the corpus folder, each undoable (jobs.ts undoes them when
 * the build fails): add or replace a report with its sidecar, edit a sidecar, remove a
 * report. Uploaded file names are checked here: no paths, no hidden files, only the
 * types ingest reads.
 */
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { AppError } from '../errors.js';
import type { CorpusChange } from './jobs.js';

/** The types ingest reads (ingest/load.ts and ingest/parsers). */
export const UPLOAD_EXTENSIONS = ['.txt', '.md', '.html', '.htm', '.docx', '.pdf'];

/** Why a type is refused, for the types people try most. */
const REFUSED: Record<string, string> = {
  '.doc': '旧版 Word（.doc）文件无法读取，请在 Word 或 WPS 中另存为 .docx 后再上传。',
  '.wps': 'WPS 文字（.wps）文件无法读取，请另存为 .docx 后再上传。',
  '.xls': '表格文件无法作为报告导入，请上传报告正文（.docx、.pdf、.txt 等）。',
  '.xlsx': '表格文件无法作为报告导入，请上传报告正文（.docx、.pdf、.txt 等）。',
  '.ppt': '演示文稿无法作为报告导入，请上传报告正文（.docx、.pdf、.txt 等）。',
  '.pptx': '演示文稿无法作为报告导入，请上传报告正文（.docx、.pdf、.txt 等）。',
  '.zip': '压缩包无法导入，请解压后逐个上传报告文件。',
  '.rar': '压缩包无法导入，请解压后逐个上传报告文件。',
};

/** Checks an uploaded file name; returns the docId it will have (its name in the corpus folder). */
export function checkUploadName(name: string): string {
  const base = path.basename(name.replace(/\\/g, '/')).normalize('NFC').trim();
  if (base === '' || base.startsWith('.') || /[\u0000-\u001f]/.test(base) || base.length > 200) {
    throw new AppError('BAD_REQUEST', {
      message: `文件名不可用：「${base.slice(0, 80)}」。`,
      detail: 'file name',
    });
  }
  if (base.toLowerCase().endsWith('.meta.json')) {
    throw new AppError('UNSUPPORTED_FILE', {
      message: '元数据请在文档的「编辑信息」中填写，不要单独上传 .meta.json 文件。',
    });
  }
  const ext = path.extname(base).toLowerCase();
  if (!UPLOAD_EXTENSIONS.includes(ext)) {
    const reason =
      REFUSED[ext] ??
      `不支持 ${ext || '没有扩展名的'} 文件，只能上传 ${UPLOAD_EXTENSIONS.join('、')} 文件。`;
    throw new AppError('UNSUPPORTED_FILE', {
      message: reason,
      detail: `extension ${ext || '(none)'}`,
    });
  }
  return base;
}

const year = z.coerce.number().int().min(1949).max(2100).nullable().optional();

/** What an operator may set about a document (the sidecar's fields). */
export const documentMetaSchema = z
  .object({
    title: z.string().trim().min(1).max(200).optional(),
    source: z.string().trim().max(200).optional(),
    issuer: z.string().trim().max(200).optional(),
    region: z.string().trim().max(50).nullable().optional(),
    sourceUrl: z
      .string()
      .trim()
      .max(500)
      .regex(/^(https?:\/\/\S+)?$/, '来源链接须以 http:// 或 https:// 开头')
      .optional(),
    publishedAt: z
      .string()
      .regex(/^(\d{4}-\d{2}-\d{2})?$/, '发布日期须写成 YYYY-MM-DD')
      .nullable()
      .optional(),
    reportYear: year,
    reviewYear: year,
    planYear: year,
    docType: z.string().trim().max(50).optional(),
  })
  .strict();

export type DocumentMetaInput = z.infer<typeof documentMetaSchema>;

/** Validates metadata from a form or the API; the message names each field that failed. */
export function parseDocumentMeta(input: unknown): DocumentMetaInput {
  const parsed = documentMetaSchema.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (i) => `${i.path.join('.') || '元数据'}：${i.message}`,
    );
    throw new AppError('BAD_REQUEST', {
      message: `文档信息有误：${problems.join('；')}`,
      detail: problems.join('; '),
    });
  }
  // Empty strings mean "not given": the detected value applies.
  return Object.fromEntries(
    Object.entries(parsed.data).filter(([, v]) => v !== '' && v !== undefined),
  ) as DocumentMetaInput;
}

function sidecarOf(file: string): string {
  return file.replace(/\.[^.]+$/, '.meta.json');
}

/** A snapshot of files that undo() puts back. */
async function snapshot(
  files: string[],
  backupDir: string,
): Promise<{ restore(): Promise<void>; drop(): Promise<void> }> {
  await mkdir(backupDir, { recursive: true });
  const saved: Array<{ file: string; backup: string | null }> = [];
  for (const [i, file] of files.entries()) {
    if (existsSync(file)) {
      const backup = path.join(backupDir, String(i));
      await copyFile(file, backup);
      saved.push({ file, backup });
    } else saved.push({ file, backup: null });
  }
  return {
    async restore() {
      for (const { file, backup } of saved) {
        if (backup) await copyFile(backup, file);
        else await rm(file, { force: true });
      }
      await rm(backupDir, { recursive: true, force: true });
    },
    drop: () => rm(backupDir, { recursive: true, force: true }),
  };
}

export interface CorpusFilesOptions {
  corpusDir: string;
  /** Where uploads wait for their job and backups are kept (inside DATA_DIR). */
  workDir: string;
}

export interface CorpusFiles {
  /** Keeps an upload until its job runs; returns where. */
  stage(jobKey: string, bytes: Buffer): Promise<string>;
  /** Adds or replaces a report (and its sidecar when meta is given). */
  add(
    docId: string,
    stagedFile: string,
    meta: DocumentMetaInput | null,
  ): () => Promise<CorpusChange>;
  /** Merges metadata into a report's sidecar. */
  editMeta(docId: string, meta: DocumentMetaInput): () => Promise<CorpusChange>;
  /** Removes a report and its sidecar. */
  remove(docId: string): () => Promise<CorpusChange>;
  /** True when the report's file is in the corpus folder. */
  has(docId: string): boolean;
  /** The sidecar's fields, or {} (also when it is not valid JSON). */
  readMeta(docId: string): Promise<Record<string, unknown>>;
}

/** The corpus folder's operations. */
export function createCorpusFiles(options: CorpusFilesOptions): CorpusFiles {
  const resolve = (docId: string) => {
    const file = path.resolve(options.corpusDir, docId);
    if (!file.startsWith(path.resolve(options.corpusDir) + path.sep))
      throw new AppError('NOT_FOUND', { detail: `docId: ${docId.slice(0, 80)}` });
    return file;
  };
  const backupDir = (docId: string) =>
    path.join(
      options.workDir,
      'backup',
      `${Date.now()}-${Buffer.from(docId).toString('hex').slice(0, 40)}`,
    );
  const readMeta = async (docId: string): Promise<Record<string, unknown>> => {
    try {
      return JSON.parse(await readFile(sidecarOf(resolve(docId)), 'utf8')) as Record<
        string,
        unknown
      >;
    } catch {
      return {};
    }
  };
  return {
    async stage(jobKey, bytes) {
      const dir = path.join(options.workDir, 'uploads');
      await mkdir(dir, { recursive: true });
      const file = path.join(dir, jobKey);
      await writeFile(file, bytes);
      return file;
    },
    add: (docId, staged, meta) => async () => {
      const file = resolve(docId);
      const snap = await snapshot([file, sidecarOf(file)], backupDir(docId));
      await mkdir(path.dirname(file), { recursive: true });
      // Written under a hidden name, then renamed: ingest never sees half a file.
      const tmp = path.join(path.dirname(file), `.upload-${path.basename(staged)}`);
      await copyFile(staged, tmp);
      await rename(tmp, file);
      await rm(staged, { force: true });
      if (meta && Object.keys(meta).length > 0)
        await writeFile(sidecarOf(file), JSON.stringify(meta, null, 2));
      return { undo: snap.restore, commit: snap.drop };
    },
    editMeta: (docId, meta) => async () => {
      const file = resolve(docId);
      if (!existsSync(file)) throw new AppError('NOT_FOUND', { message: `文档不存在：${docId}` });
      const snap = await snapshot([sidecarOf(file)], backupDir(docId));
      const merged: Record<string, unknown> = { ...(await readMeta(docId)), ...meta };
      for (const [k, v] of Object.entries(merged)) if (v === null) delete merged[k];
      await writeFile(sidecarOf(file), JSON.stringify(merged, null, 2));
      return { undo: snap.restore, commit: snap.drop };
    },
    remove: (docId) => async () => {
      const file = resolve(docId);
      if (!existsSync(file)) throw new AppError('NOT_FOUND', { message: `文档不存在：${docId}` });
      const snap = await snapshot([file, sidecarOf(file)], backupDir(docId));
      await rm(file, { force: true });
      await rm(sidecarOf(file), { force: true });
      return { undo: snap.restore, commit: snap.drop };
    },
    has: (docId) => {
      try {
        return existsSync(resolve(docId));
      } catch {
        return false;
      }
    },
    readMeta,
  };
}
