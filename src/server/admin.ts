/**
 * Staff-only routes under /api/admin, behind `Authorization: Bearer <ADMIN_TOKEN>`.
 * An empty ADMIN_TOKEN disables them (always 401).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
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

/** GET /api/admin/gaps?limit=50: unanswered questions, grouped, most frequent first. */
export function adminRoutes(options: AdminRoutesOptions): Router {
  const router = Router();
  router.use(requireBearer(options.adminToken));
  router.get('/gaps', (req, res) => {
    const raw = Number(req.query.limit ?? 50);
    const limit = Number.isInteger(raw) && raw > 0 ? Math.min(raw, 500) : 50;
    res.json({ gaps: options.store.gaps(limit) });
  });
  return router;
}
