/**
 * The widget's files, built by web/: the script other sites embed, the demo page, the
 * full-page chat (framable only by ALLOWED_ORIGINS) and the staff console. A file that has
 * not been built answers 404 NOT_FOUND naming it, rather than crashing the server.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Router, type RequestHandler, type Response } from 'express';
import helmet from 'helmet';
import { AppError } from '../errors.js';

export interface StaticRoutesOptions {
  /** The web/ folder. */
  webDir: string;
  /** CSP `frame-ancestors` sources for /chat, read per request. */
  frameAncestors: () => string[];
  /** Cache lifetime of /widget.js in seconds. @default 300 */
  widgetMaxAge?: number;
}

function sendFileOr404(
  res: Response,
  file: string,
  next: (error?: unknown) => void,
  hint: string,
): void {
  if (!existsSync(file)) {
    next(new AppError('NOT_FOUND', { message: `页面文件尚未生成：${hint}。`, detail: hint }));
    return;
  }
  res.sendFile(file, (error) => {
    if (error && !res.headersSent) next(error);
  });
}

function page(webDir: string, name: string): RequestHandler {
  return (_req, res, next) => {
    res.setHeader('Cache-Control', 'no-cache');
    sendFileOr404(res, path.join(webDir, name), next, `web/${name}`);
  };
}

/** Routes: /widget.js, / (demo), /chat (full-page chat), /staff and /staff.js (staff console). */
export function staticRoutes(options: StaticRoutesOptions): Router {
  const router = Router();
  const maxAge = options.widgetMaxAge ?? 300;

  router.get('/widget.js', (_req, res, next) => {
    // Other sites load this script, so it must not be same-origin-only (helmet's default).
    res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
    res.setHeader('Cache-Control', `public, max-age=${maxAge}`);
    res.type('text/javascript');
    sendFileOr404(
      res,
      path.join(options.webDir, 'dist', 'widget.js'),
      next,
      'web/dist/widget.js（请运行 npm run build:web）',
    );
  });

  router.get('/', page(options.webDir, 'demo.html'));

  // The full-page chat may be framed by the allow-listed sites: CSP frame-ancestors
  // replaces X-Frame-Options (which cannot express a list), so frameguard is off here.
  router.get(
    '/chat',
    helmet({
      frameguard: false,
      contentSecurityPolicy: {
        directives: {
          frameAncestors: [() => options.frameAncestors().join(' ')],
          upgradeInsecureRequests: null,
        },
      },
    }),
    (_req, res, next) => {
      res.removeHeader('X-Frame-Options'); // set by the app-wide helmet()
      next();
    },
    page(options.webDir, 'chat.html'),
  );

  router.get('/staff', page(options.webDir, 'staff.html'));
  router.get('/staff.js', (_req, res, next) => {
    res.setHeader('Cache-Control', 'no-cache');
    res.type('text/javascript');
    sendFileOr404(
      res,
      path.join(options.webDir, 'dist', 'staff.js'),
      next,
      'web/dist/staff.js（请运行 npm run build:web）',
    );
  });
  return router;
}
