/**
 * Scoring of question sets (format: ../shared/eval/README.md). Pure: items and answers in,
 * per-item results and a per-kind table out.
 */
import type { Answer } from '../types.js';

export interface EvalItem {
  id: string;
  kind: string;
  question: string;
  history?: string[];
  /** The report the question is about (refusals too), when the set says. */
  doc?: string;
  expect: { contains?: string[]; cite?: string | null; doc?: string; refuse?: boolean };
}

export interface ItemResult {
  id: string;
  kind: string;
  passed: boolean;
  /** Whether a cite expectation held (null when the item has none). */
  cited: boolean | null;
  refused: boolean;
  falseRefusal: boolean;
  ms: number;
  reasons: string[];
}

/** How answers and expectations are compared: NFKC, white space removed. */
export const squash = (s: string) => s.normalize('NFKC').replace(/\s+/g, '');

export function parseItems(jsonl: string): EvalItem[] {
  return jsonl
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('//'))
    .map((l, i) => {
      const item = JSON.parse(l) as EvalItem;
      if (typeof item.question !== 'string' || typeof item.expect !== 'object') {
        throw new Error(`line ${i + 1}: needs "question" and "expect"`);
      }
      return { ...item, id: item.id ?? `line-${i + 1}`, kind: item.kind ?? 'fact' };
    });
}

function docMatches(docId: string, expected: string): boolean {
  return docId === expected || docId.endsWith(`/${expected}`) || docId.includes(expected);
}

export function scoreItem(item: EvalItem, answer: Answer, ms: number): ItemResult {
  const reasons: string[] = [];
  const e = item.expect;
  const refused = !answer.found;
  let cited: boolean | null = null;
  if (e.refuse) {
    if (!refused) reasons.push('expected a refusal (found: false)');
  } else {
    if (refused) reasons.push('false refusal');
    const text = squash(answer.answer);
    for (const c of e.contains ?? [])
      if (!text.includes(squash(c))) reasons.push(`answer lacks 「${c}」`);
    const top = answer.citations.slice(0, 3);
    if (typeof e.cite === 'string') {
      cited = top.some((c) => squash(c.text).includes(squash(e.cite!)));
      if (!cited) reasons.push(`no citation among the first 3 holds 「${e.cite}」`);
    }
    if (e.doc && !top.some((c) => docMatches(c.docId, e.doc!)))
      reasons.push(`no citation from ${e.doc}`);
  }
  return {
    id: item.id,
    kind: item.kind,
    passed: reasons.length === 0,
    cited,
    refused,
    falseRefusal: !e.refuse && refused,
    ms,
    reasons,
  };
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export interface KindRow {
  kind: string;
  n: number;
  passed: number;
  passRate: number;
  /** Share of items with a cite expectation whose cite held (null: none had one). */
  cite3: number | null;
  /** Share of refuse items refused (null: none). */
  refusalAccuracy: number | null;
  falseRefusals: number;
  p50: number;
  p95: number;
}

export function summarize(results: ItemResult[]): KindRow[] {
  const kinds = [...new Set(results.map((r) => r.kind)), 'all'];
  return kinds.map((kind) => {
    const rs = kind === 'all' ? results : results.filter((r) => r.kind === kind);
    const withCite = rs.filter((r) => r.cited !== null);
    const refuseItems = rs.filter(
      (r) =>
        r.reasons.includes('expected a refusal (found: false)') || (r.refused && !r.falseRefusal),
    );
    const ms = rs.map((r) => r.ms);
    const passed = rs.filter((r) => r.passed).length;
    return {
      kind,
      n: rs.length,
      passed,
      passRate: rs.length ? passed / rs.length : 0,
      cite3: withCite.length ? withCite.filter((r) => r.cited).length / withCite.length : null,
      refusalAccuracy: refuseItems.length
        ? refuseItems.filter((r) => r.refused).length / refuseItems.length
        : null,
      falseRefusals: rs.filter((r) => r.falseRefusal).length,
      p50: percentile(ms, 50),
      p95: percentile(ms, 95),
    };
  });
}

const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(0)}%`);

export function formatTable(rows: KindRow[]): string {
  const head = '| kind | n | pass | cite@3 | refusal acc. | false refusals | p50 ms | p95 ms |';
  const sep = '|---|---|---|---|---|---|---|---|';
  const body = rows.map(
    (r) =>
      `| ${r.kind} | ${r.n} | ${pct(r.passRate)} | ${pct(r.cite3)} | ${pct(r.refusalAccuracy)} | ${r.falseRefusals} | ${r.p50.toFixed(1)} | ${r.p95.toFixed(1)} |`,
  );
  return [head, sep, ...body].join('\n');
}
