/**
 * The JSON API under /api: ask (plain and streamed), passage search, documents, passages,
 * suggestions and feedback. Routes that need the index answer INDEX_NOT_READY until it is loaded.
 */
import { Router, type ErrorRequestHandler, type RequestHandler, type Response } from 'express';
import { z } from 'zod';
import { AppError } from '../errors.js';
import { DEFAULT_SEARCH_K } from '../engine.js';
import type { Engine } from '../engine-types.js';
import { checkQuestion } from '../text/question-check.js';
import type { FactsService } from '../facts/service.js';
import type { AskService } from './ask-service.js';
import type { LogStore } from './log-store.js';
import { factsRoute } from './facts-route.js';
import { widgetSettings, type SiteSettings } from './site-settings.js';
import { jsonBody } from './json-body.js';
import { askBodySchema, describeIssues, feedbackBodySchema, parseBody } from './protocol.js';
import { sseAskRoute } from './sse.js';

export interface ApiRoutesOptions {
  engine: () => Engine | null;
  askService: AskService;
  store: LogStore;
  maxBodyBytes: number;
  /** Longest wait for a JSON body after the headers. @default 10000 */
  bodyTimeoutMs?: number;
  maxQuestionChars: number;
  /** Unsent bytes an SSE stream may hold before it is cut off. @default 1048576 */
  maxUnsentBytes?: number;
  /** Per-IP and per-session question limits (see limits.ts). */
  questionLimits: RequestHandler[];
  /** @default 15000 */
  ssePingMs?: number;
  /** The staff console's fact search (GET /api/facts); the route is absent without it. */
  facts?: FactsService;
  /** The operator's settings (suggested questions, greeting, hand-off line), read per request. */
  settings: () => SiteSettings;
}

/** How many neighbouring chunks /api/passages returns on each side, at most. */
const MAX_NEIGHBOURS = 5;

/** Most passages GET /api/search returns (`k`; DEFAULT_SEARCH_K when not given). */
export const MAX_SEARCH_K = 20;

/** Query string of GET /api/search (`q` is checked by checkQuestion, like every question). */
export const searchQuerySchema = z.strictObject({
  q: z.unknown().optional(),
  k: z
    .string()
    .regex(/^\d{1,3}$/, 'k: an integer')
    .transform(Number)
    .pipe(z.number().int().min(1).max(MAX_SEARCH_K))
    .optional(),
  doc: z.string().min(1).max(500).optional(),
  year: z
    .string()
    .regex(/^\d{4}$/, 'year: four digits')
    .transform(Number)
    .optional(),
  region: z.string().min(1).max(50).optional(),
});

/** The query of GET /api/search, or BAD_REQUEST with a message saying what is wrong. */
function parseSearchQuery(query: unknown): z.infer<typeof searchQuerySchema> {
  const parsed = searchQuerySchema.safeParse(query ?? {});
  if (parsed.success) return parsed.data;
  const fields = new Set(parsed.error.issues.map((i) => String(i.path[0] ?? '')));
  const message = fields.has('k')
    ? `k 应为 1 到 ${MAX_SEARCH_K} 之间的整数。`
    : fields.has('year')
      ? 'year 应为四位数字的年份。'
      : `查询参数不正确，可用的参数为 q、k、doc、year、region。`;
  throw new AppError('BAD_REQUEST', { message, detail: describeIssues(parsed.error) });
}

/** res.json without Express's send path (type lookup, ETag and freshness checks), for the busiest route. */
function sendJson(res: Response, body: unknown): void {
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.end(JSON.stringify(body));
}

/** The /api router (mount at /api). */
export function apiRoutes(options: ApiRoutesOptions): Router {
  const router = Router();
  const json = jsonBody(options.maxBodyBytes, options.bodyTimeoutMs);
  const ready = (): Engine => {
    const engine = options.engine();
    if (!engine) throw new AppError('INDEX_NOT_READY');
    return engine;
  };

  router.post('/ask', json, ...options.questionLimits, async (req, res) => {
    const body = parseBody(askBodySchema, req.body);
    const answer = await options.askService.ask({
      question: body.question,
      history: body.history,
      sessionId: body.sessionId,
      transport: 'http',
      log: req.log,
    });
    sendJson(res, answer);
  });

  router.post(
    '/ask/stream',
    json,
    ...options.questionLimits,
    sseAskRoute({
      askService: options.askService,
      maxQuestionChars: options.maxQuestionChars,
      ...(options.ssePingMs !== undefined ? { pingMs: options.ssePingMs } : {}),
      ...(options.maxUnsentBytes !== undefined ? { maxUnsentBytes: options.maxUnsentBytes } : {}),
    }),
  );

  // The ranked passages for a question, with their documents (staff and programs); counted
  // against the same question budget as /ask, since each search does the same retrieval.
  router.get('/search', ...options.questionLimits, async (req, res) => {
    const { q, k, ...filters } = parseSearchQuery(req.query);
    const question = checkQuestion(q ?? '', options.maxQuestionChars);
    const result = await ready().search(question, { k: k ?? DEFAULT_SEARCH_K, ...filters });
    res.setHeader('Cache-Control', 'no-store');
    sendJson(res, { ...result, k: k ?? DEFAULT_SEARCH_K, filters });
  });

  router.get('/documents', (_req, res) => {
    res.json({ documents: ready().documents() });
  });

  router.get('/passages/:chunkId', (req, res) => {
    const raw = Number(req.query.neighbours ?? 1);
    const neighbours = Number.isInteger(raw) && raw >= 0 ? Math.min(raw, MAX_NEIGHBOURS) : 1;
    const view = ready().passage(req.params.chunkId, neighbours);
    if (!view)
      throw new AppError('NOT_FOUND', { detail: `chunkId: ${req.params.chunkId.slice(0, 80)}` });
    res.json(view);
  });

  // The operator's questions need no index; generated ones do.
  router.get('/suggestions', (_req, res) => {
    res.json({
      suggestions: widgetSettings(options.settings(), () => ready().suggestions(6)).suggestions,
    });
  });

  // What the widget shows besides answers; it is also the widget's first request, so a
  // site that is not allowed learns it before anyone types a question.
  router.get('/widget-config', (_req, res) => {
    res.setHeader('Cache-Control', 'no-cache');
    res.json(widgetSettings(options.settings(), () => options.engine()?.suggestions(6) ?? []));
  });

  if (options.facts) router.get('/facts', factsRoute(options.facts));

  router.post('/feedback', json, async (req, res) => {
    const body = parseBody(feedbackBodySchema, req.body);
    if (!(await options.store.recordFeedback(body.messageId, body.rating, body.comment))) {
      throw new AppError('NOT_FOUND', { detail: `messageId: ${body.messageId}` });
    }
    res.json({ ok: true });
  });

  // A path parameter with malformed percent-encoding (/api/passages/%E0%A4%A) fails in the
  // router's decoding, before any handler: it is the client's mistake, not a 500.
  router.use(((error, _req, _res, next) => {
    next(
      error instanceof URIError
        ? new AppError('BAD_REQUEST', { detail: 'path: malformed percent-encoding' })
        : error,
    );
  }) as ErrorRequestHandler);

  return router;
}
