import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseItems, scoreItem } from '../src/eval/score.js';
import { PROJECT_ROOT } from '../src/config.js';
import { realEngine, removeRealIndex } from './helpers/real-engine.js';

const DEV = path.resolve(PROJECT_ROOT, '../shared/eval/dev.jsonl');

async function failures(jsonl: string): Promise<string[]> {
  const engine = await realEngine();
  const out: string[] = [];
  for (const item of parseItems(jsonl)) {
    const r = scoreItem(item, await engine.ask(item.question, { history: item.history ?? [] }), 0);
    if (!r.passed) out.push(`${item.id}: ${r.reasons.join('; ')}`);
  }
  return out;
}

describe('question sets on the seed report', () => {
  afterAll(removeRealIndex);

  it('passes our own held-out questions (facts, colloquial, follow-ups, near-miss refusals, variants)', async () => {
    expect(await failures(readFileSync(new URL('./fixtures/seed-extra.jsonl', import.meta.url), 'utf8'))).toEqual([]);
  });

  it.skipIf(!existsSync(DEV))('passes the shared development set (needs ../shared/eval/dev.jsonl beside the checkout)', async () => {
    expect(await failures(readFileSync(DEV, 'utf8'))).toEqual([]);
  });
});
