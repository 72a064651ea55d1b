/**
 * /api/admin and the /admin console page. With the operator console (src/admin/console.ts)
 * the API is its router (session cookie or ADMIN_TOKEN); without it (tests that inject an
 * engine) only GET /api/admin/gaps answers, behind `Authorization: Bearer <ADMIN_TOKEN>`.
 * An empty ADMIN_TOKEN disables bearer access (always 401).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Router, type RequestHandler } from 'express';
import { AppError } from '../errors.js';
import type { LogStore } from './log-store.js';

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Checks the bearer token in constant time (hashing first makes the lengths equal). */
export function requireBearer(token: string): RequestHandler {
  const expected = token === '' ? null : digest(token);
  return (req, _res, next) => {
    const match = /^Bearer\s+(.+)$/i.exec(req.get('authorization') ?? '');
    if (!expected || !match || !timingSafeEqual(digest(match[1]!.trim()), expected)) {
      next(new AppError('UNAUTHORIZED'));
      return;
    }
    next();
  };
}

export interface AdminRoutesOptions {
  adminToken: string;
  store: LogStore;
}

/** GET /api/admin/gaps?limit=50 without the console: unanswered questions, grouped by exact text. */
export function adminRoutes(options: AdminRoutesOptions): Router {
  const router = Router();
  router.use(requireBearer(options.adminToken));
  router.get('/gaps', async (req, res) => {
    const raw = Number(req.query.limit ?? 50);
    const limit = Number.isInteger(raw) && raw > 0 ? Math.min(raw, 500) : 50;
    res.json({ gaps: await options.store.gaps(limit) });
  });
  return router;
}

/** /admin (the console page) and /admin.js (its bundle, built by npm run build:web). */
export function adminPages(webDir: string): Router {
  const router = Router();
  const send =
    (file: string, hint: string, type?: string): RequestHandler =>
    (_req, res, next) => {
      if (!existsSync(file))
        return next(
          new AppError('NOT_FOUND', { message: `页面文件尚未生成：${hint}。`, detail: hint }),
        );
      res.setHeader('Cache-Control', 'no-cache');
      if (type) res.type(type);
      res.sendFile(file, (error) => {
        if (error && !res.headersSent) next(error);
      });
    };
  router.get(['/admin', '/admin/'], send(path.join(webDir, 'admin.html'), 'web/admin.html'));
  router.get(
    '/admin.js',
    send(
      path.join(webDir, 'dist', 'admin.js'),
      'web/dist/admin.js（请运行 npm run build:web）',
      'text/javascript',
    ),
  );
  return router;
}
