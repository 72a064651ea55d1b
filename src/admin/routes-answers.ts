/**
 * What operators do about questions: gaps (grouped, with verdicts), curated answers
 * (checked, versioned), synonyms (live at once), and a passage search to cite from.
 */
import { Router } from 'express';
import { z } from 'zod';
import { AppError } from '../errors.js';
import { parseBody } from '../server/protocol.js';
import { checkCurated, type CuratedDraft } from './curated.js';
import { audit, type AdminContext } from './context.js';
import { principalOf } from './auth.js';
import { groupQuestions } from './gaps.js';

const curatedSchema = z.object({
  question: z.string().trim().min(1).max(200),
  paraphrases: z.array(z.string().trim().min(1).max(200)).max(20).default([]),
  answer: z.string().trim().min(1).max(2000),
  chunkIds: z.array(z.string().min(1).max(200)).max(10).default([]),
});

const terms = z
  .union([z.string(), z.array(z.string())])
  .transform((v) =>
    (Array.isArray(v) ? v : v.split(/[,，、]/))
      .map((t) => t.trim().normalize('NFKC'))
      .filter(Boolean),
  );
const synonymSchema = z.object({ official: terms, everyday: terms });
const verdictSchema = z.object({
  keys: z.array(z.string().max(400)).min(1).max(200),
  verdict: z.enum(['not-in-reports', 'should-answer']).nullable(),
});

/** Days back the gaps report looks by default. */
const DEFAULT_GAP_DAYS = 90;

/** Routes of gaps, curated answers, synonyms and passage search (mount under /api/admin). */
export function answerRoutes(ctx: AdminContext): Router {
  const router = Router();
  const editor = ctx.auth.requireEditor;

  const passage = (chunkId: string) => {
    const view = ctx.engine()?.passage(chunkId, 0);
    return view
      ? {
          chunkId,
          docId: view.chunk.docId,
          title: view.document.title,
          section: view.chunk.section,
          text: view.chunk.text,
        }
      : null;
  };

  router.get('/gaps', async (req, res) => {
    const days = Math.min(
      Math.max(Number(req.query['days'] ?? DEFAULT_GAP_DAYS) || DEFAULT_GAP_DAYS, 1),
      3650,
    );
    const to = new Date(ctx.clock() + 60_000).toISOString();
    const from = new Date(ctx.clock() - days * 86_400_000).toISOString();
    const verdicts = await ctx.stores.verdicts.all();
    const groups = groupQuestions(await ctx.reader.tallies({ from, to }, true), {
      lexicon: ctx.holder.lexicon(),
    }).slice(0, 200);
    res.json({
      gaps: groups.map((g) => {
        const verdict = g.wordings.map((w) => verdicts.get(w.key)).find(Boolean) ?? null;
        return {
          ...g,
          verdict,
          passages: g.chunkIds.slice(0, 3).flatMap((id) => passage(id) ?? []),
        };
      }),
    });
  });

  router.post('/gaps/verdict', editor, async (req, res) => {
    const body = parseBody(verdictSchema, req.body);
    await ctx.stores.verdicts.set(body.keys, body.verdict, principalOf(res).name);
    await audit(ctx, res, 'gap.verdict', body.keys[0]!, body);
    res.json({ ok: true });
  });

  router.get('/passages', async (req, res) => {
    const q = String(req.query['q'] ?? '')
      .trim()
      .slice(0, 100);
    const engine = ctx.engine();
    if (!engine) throw new AppError('INDEX_NOT_READY');
    if (q === '') return void res.json({ passages: [] });
    const prepared = await engine.prepare(q);
    res.json({
      passages: prepared.passages.slice(0, 8).map((p) => ({
        chunkId: p.chunkId,
        docId: p.docId,
        title: p.title,
        section: p.section,
        text: p.text,
        score: p.score,
      })),
    });
  });

  const checked = (draft: CuratedDraft) => {
    const problem = checkCurated(draft, (id) => ctx.holder.chunkText(id));
    if (problem) throw new AppError('CURATED_INVALID', { message: problem });
    return draft;
  };
  const withPassages = <T extends { chunkIds: string[] }>(c: T) => ({
    ...c,
    passages: c.chunkIds.map((id) => passage(id) ?? { chunkId: id, missing: true }),
  });

  router.get('/curated', async (_req, res) => {
    res.json({ curated: (await ctx.stores.curated.list()).map(withPassages) });
  });
  router.get('/curated/:id/history', async (req, res) => {
    res.json({ versions: await ctx.stores.curated.history(req.params['id'] as string) });
  });
  router.post('/curated', editor, async (req, res) => {
    const draft = checked(parseBody(curatedSchema, req.body));
    const saved = await ctx.stores.curated.save(draft, principalOf(res).name);
    await ctx.changed('curated');
    await audit(ctx, res, 'curated.create', saved.id, saved);
    res.status(201).json(withPassages(saved));
  });
  router.put('/curated/:id', editor, async (req, res) => {
    const id = req.params['id'] as string;
    if ((await ctx.stores.curated.history(id)).length === 0)
      throw new AppError('NOT_FOUND', { message: '精选答案不存在。' });
    const saved = await ctx.stores.curated.save(
      checked(parseBody(curatedSchema, req.body)),
      principalOf(res).name,
      id,
    );
    await ctx.changed('curated');
    await audit(ctx, res, 'curated.update', id, saved);
    res.json(withPassages(saved));
  });
  router.delete('/curated/:id', editor, async (req, res) => {
    const id = req.params['id'] as string;
    if (!(await ctx.stores.curated.remove(id, principalOf(res).name)))
      throw new AppError('NOT_FOUND', { message: '精选答案不存在。' });
    await ctx.changed('curated');
    await audit(ctx, res, 'curated.withdraw', id);
    res.json({ ok: true });
  });

  router.get('/synonyms', async (_req, res) => {
    res.json({ synonyms: await ctx.stores.synonyms.list() });
  });
  router.post('/synonyms', editor, async (req, res) => {
    const entry = parseBody(synonymSchema, req.body);
    if (entry.official.length === 0 || entry.everyday.length === 0) {
      throw new AppError('BAD_REQUEST', { message: '请填写报告用语和群众说法，各至少一个。' });
    }
    const saved = await ctx.stores.synonyms.add(entry, principalOf(res).name);
    await ctx.changed('synonyms');
    await audit(ctx, res, 'synonym.add', String(saved.id), entry);
    res.status(201).json(saved);
  });
  router.delete('/synonyms/:id', editor, async (req, res) => {
    const id = Number(req.params['id']);
    if (!Number.isInteger(id) || !(await ctx.stores.synonyms.remove(id)))
      throw new AppError('NOT_FOUND', { message: '同义词不存在。' });
    await ctx.changed('synonyms');
    await audit(ctx, res, 'synonym.remove', String(id));
    res.json({ ok: true });
  });

  return router;
}
