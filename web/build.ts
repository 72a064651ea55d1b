/**
 * Bundles web/src into ONE file, web/dist/widget.js (an IIFE for a classic async script tag),
 * and the staff console web/src/staff into web/dist/staff.js, with esbuild. Run by `npm run build:web` (and by `npm start`, `npm test`, `npm run bench`).
 */
import { build } from 'esbuild';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const WEB_DIR = path.dirname(fileURLToPath(import.meta.url));

/** Where the bundle is written. */
export const WIDGET_FILE = path.join(WEB_DIR, 'dist', 'widget.js');

/** The size budget from issue 4: 40 KB gzip. */
export const WIDGET_BUDGET_BYTES = 40 * 1024;

export interface BuildWidgetOptions {
  /** @default WIDGET_FILE */
  outfile?: string;
  /** @default true */
  minify?: boolean;
}

/** Builds the widget bundle and returns its raw and gzip sizes in bytes. */
export async function buildWidget(
  options: BuildWidgetOptions = {},
): Promise<{ file: string; bytes: number; gzipBytes: number }> {
  const outfile = options.outfile ?? WIDGET_FILE;
  await mkdir(path.dirname(outfile), { recursive: true });
  const pkg = JSON.parse(await readFile(path.join(WEB_DIR, '..', 'package.json'), 'utf8')) as {
    version: string;
  };
  await build({
    entryPoints: [path.join(WEB_DIR, 'src', 'widget.ts')],
    outfile,
    bundle: true,
    format: 'iife',
    target: ['es2020', 'chrome80', 'safari15', 'firefox90'], // Safari 14 cannot be targeted: esbuild marks its destructuring as unsupported,
    minify: options.minify ?? true,
    legalComments: 'none',
    charset: 'utf8',
    define: { __WIDGET_VERSION__: JSON.stringify(pkg.version) },
    logLevel: 'warning',
  });
  const bytes = await readFile(outfile);
  return { file: outfile, bytes: bytes.length, gzipBytes: gzipSync(bytes, { level: 9 }).length };
}

/** Where the staff console's bundle is written (served at /staff.js). */
export const STAFF_FILE = path.join(WEB_DIR, 'dist', 'staff.js');

/** Builds the staff console (web/staff.html loads it); returns its size in bytes. */
export async function buildStaff(outfile = STAFF_FILE): Promise<{ file: string; bytes: number }> {
  await mkdir(path.dirname(outfile), { recursive: true });
  await build({
    entryPoints: [path.join(WEB_DIR, 'src', 'staff', 'main.ts')],
    outfile,
    bundle: true,
    format: 'iife',
    target: ['es2020', 'chrome80', 'safari15', 'firefox90'],
    minify: true,
    legalComments: 'none',
    charset: 'utf8',
    logLevel: 'warning',
  });
  return { file: outfile, bytes: (await readFile(outfile)).length };
}

/** Where the operator console's bundle is written (served at /admin.js), Chart.js included. */
export const ADMIN_FILE = path.join(WEB_DIR, 'dist', 'admin.js');

/** Builds the operator console (web/admin.html loads it); returns its size in bytes. */
export async function buildAdmin(outfile = ADMIN_FILE): Promise<{ file: string; bytes: number }> {
  await build({
    entryPoints: [path.join(WEB_DIR, 'src', 'admin', 'main.ts')],
    outfile,
    bundle: true,
    format: 'iife',
    target: ['es2020', 'chrome80', 'safari15', 'firefox90'],
    minify: true,
    legalComments: 'none',
    charset: 'utf8',
    logLevel: 'warning',
  });
  return { file: outfile, bytes: (await readFile(outfile)).length };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildStaff();
  await buildAdmin();
  const { bytes, gzipBytes } = await buildWidget();
  const kb = (n: number) => (n / 1024).toFixed(1);
  console.log(
    `web/dist/widget.js: ${kb(bytes)} KB, ${kb(gzipBytes)} KB gzip (budget ${kb(WIDGET_BUDGET_BYTES)} KB)`,
  );
  if (gzipBytes > WIDGET_BUDGET_BYTES) {
    console.error('widget.js is over its 40 KB gzip budget');
    process.exitCode = 1;
  }
}
