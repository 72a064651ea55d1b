/**
 * The seed's training question sets as a regression floor: the decision model is fitted on
 * them (npm run calibrate), so they say whether a change broke what the fit learnt, not how
 * well Wenzheng answers new questions (the README's validation table says that).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { parseItems, scoreItem } from '../src/eval/score.js';
import { realEngine, removeRealIndex } from './helpers/real-engine.js';

const TRAIN = new URL('./fixtures/questions/train/', import.meta.url);
/** Measured at the last calibration: 84–90 % per seed set; a change that costs more than a few points fails. */
const FLOOR = 0.8;

describe('question sets on the seed report (training split)', () => {
  afterAll(removeRealIndex);

  for (const file of readdirSync(TRAIN).filter(
    (f) => f.startsWith('seed') && f.endsWith('.jsonl'),
  )) {
    it(`passes at least ${FLOOR * 100} % of ${file}, refusing without stating a figure`, async () => {
      const engine = await realEngine();
      const items = parseItems(readFileSync(new URL(file, TRAIN), 'utf8'));
      const failed: string[] = [];
      for (const item of items) {
        const answer = await engine.ask(item.question, { history: item.history ?? [] });
        const r = scoreItem(item, answer, 0);
        if (!r.passed) failed.push(`${item.id}: ${r.reasons.join('; ')}`);
        if (!answer.found)
          expect(answer.answer, item.id).not.toMatch(/\d+(?:\.\d+)?(?:万|亿)?(?:件|个|人次|项|%)/);
      }
      expect(1 - failed.length / items.length, failed.join('\n')).toBeGreaterThanOrEqual(FLOOR);
    });
  }
});
