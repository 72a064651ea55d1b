/**
 * What the log says: feedback, analytics (per day, answered share, topics, cited
 * documents), the CSV export of a date range; plus settings and the audit log.
 */
import { Router, type Request } from 'express';
import { AppError } from '../errors.js';
import { audit, type AdminContext } from './context.js';
import { groupQuestions } from './gaps.js';
import type { Range } from './log-reader.js';

const DAY = 86_400_000;

/** The range of ?from=YYYY-MM-DD&to=YYYY-MM-DD (both days included); default the last 30 days. */
export function dateRange(req: Request, now: number): Range & { fromDay: string; toDay: string } {
  const day = (v: unknown) =>
    typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(v))
      ? v
      : null;
  const rawFrom = req.query['from'];
  const rawTo = req.query['to'];
  if ((rawFrom !== undefined && !day(rawFrom)) || (rawTo !== undefined && !day(rawTo))) {
    throw new AppError('BAD_REQUEST', { message: '日期须写成 YYYY-MM-DD。' });
  }
  const toDay = day(rawTo) ?? new Date(now).toISOString().slice(0, 10);
  const fromDay = day(rawFrom) ?? new Date(Date.parse(toDay) - 29 * DAY).toISOString().slice(0, 10);
  if (fromDay > toDay) throw new AppError('BAD_REQUEST', { message: '开始日期不能晚于结束日期。' });
  return {
    from: `${fromDay}T00:00:00.000Z`,
    to: new Date(Date.parse(toDay) + DAY).toISOString(),
    fromDay,
    toDay,
  };
}

/** One CSV cell: quoted, and a leading = + - @ defused (spreadsheets run them as formulas). */
export function csvCell(value: unknown): string {
  let s = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Routes of feedback, analytics, export, settings and audit (mount under /api/admin). */
export function insightRoutes(ctx: AdminContext): Router {
  const router = Router();

  router.get('/feedback', async (req, res) => {
    const rating =
      req.query['rating'] === 'up' || req.query['rating'] === 'down'
        ? req.query['rating']
        : undefined;
    const engine = ctx.engine();
    // The log keeps what was cited, not the answer text: the passages show what the answer was built on.
    const feedback = (await ctx.reader.feedback(200, rating)).map((f) => {
      const views = f.citedChunkIds.flatMap((id) => engine?.passage(id, 0) ?? []);
      return {
        ...f,
        documents: [...new Set(views.map((v) => v.document.title))],
        passages: views.slice(0, 2).map((v) => ({
          chunkId: v.chunk.id,
          title: v.document.title,
          section: v.chunk.section,
          text: v.chunk.text,
        })),
      };
    });
    res.json({ feedback });
  });

  router.get('/analytics', async (req, res) => {
    const range = dateRange(req, ctx.clock());
    const byDay = new Map((await ctx.reader.days(range)).map((d) => [d.day, d]));
    const days = [];
    for (let t = Date.parse(range.from); t < Date.parse(range.to); t += DAY) {
      const day = new Date(t).toISOString().slice(0, 10);
      days.push(byDay.get(day) ?? { day, questions: 0, answered: 0, up: 0, down: 0 });
    }
    const total = days.reduce((n, d) => n + d.questions, 0);
    const answered = days.reduce((n, d) => n + d.answered, 0);
    const topics = groupQuestions(await ctx.reader.tallies(range, false), {
      lexicon: ctx.holder.lexicon(),
    })
      .slice(0, 10)
      .map((g) => ({ question: g.question, count: g.count, wordings: g.wordings.length }));
    const perDoc = new Map<string, number>();
    for (const [chunkId, n] of await ctx.reader.citedCounts(range)) {
      const docId = ctx.holder.chunkDoc(chunkId);
      if (docId) perDoc.set(docId, (perDoc.get(docId) ?? 0) + n);
    }
    const titles = new Map((ctx.engine()?.documents() ?? []).map((d) => [d.docId, d.title]));
    const documents = [...perDoc]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 10)
      .map(([docId, count]) => ({ docId, title: titles.get(docId) ?? docId, count }));
    res.json({
      from: range.fromDay,
      to: range.toDay,
      total,
      answered,
      answeredShare: total ? answered / total : null,
      days,
      topics,
      documents,
    });
  });

  router.get('/export.csv', async (req, res) => {
    const range = dateRange(req, ctx.clock());
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader(
      'Content-Disposition',
      `attachment; filename="questions-${range.fromDay}-${range.toDay}.csv"`,
    );
    // A BOM, so Excel opens the UTF-8 file with the Chinese intact.
    res.write('\uFEFF时间,会话,渠道,问题,已回答,方式,用时(ms),评价,评论,引用段落\r\n');
    for await (const r of ctx.reader.rows(range)) {
      res.write(
        [
          r.at,
          r.sessionId,
          r.transport,
          r.question,
          r.found ? '是' : '否',
          r.mode,
          r.latencyMs,
          r.rating,
          r.comment,
          r.citedChunkIds.join(' '),
        ]
          .map(csvCell)
          .join(',') + '\r\n',
      );
    }
    await audit(ctx, res, 'log.export', `${range.fromDay}..${range.toDay}`);
    res.end();
  });

  router.get('/settings', async (_req, res) => {
    res.json(ctx.settings.current());
  });
  router.put('/settings', ctx.auth.requireEditor, async (req, res) => {
    const before = ctx.settings.current();
    const after = await ctx.settings.update(req.body);
    await ctx.changed('settings');
    await audit(ctx, res, 'settings.update', '', { before, after });
    res.json(after);
  });

  router.get('/audit', async (_req, res) => {
    res.json({ audit: await ctx.stores.audit.list(200) });
  });
  router.get('/users', async (_req, res) => {
    res.json({
      users: (await ctx.stores.users.list()).map((u) => ({
        name: u.name,
        role: u.role,
        createdAt: u.createdAt,
        locked: (u.lockedUntil ?? 0) > ctx.clock(),
      })),
    });
  });

  return router;
}
