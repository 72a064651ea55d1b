/** The widget's size section for `npm run bench`: a fresh build, measured gzip against its budget. */
import { buildWidget, WIDGET_BUDGET_BYTES } from '../web/build.js';

/** Builds web/dist/widget.js and returns one markdown line with its raw and gzip size. */
export async function widgetSizeReport(): Promise<string> {
  const { bytes, gzipBytes } = await buildWidget();
  const kb = (n: number) => (n / 1024).toFixed(1);
  const verdict = gzipBytes <= WIDGET_BUDGET_BYTES ? 'within' : 'OVER';
  return `| widget.js | ${kb(bytes)} KB | ${kb(gzipBytes)} KB gzip | budget 40 KB gzip: ${verdict} |`;
}
