/** Fitting the share of the threshold at which reports stand side by side, on stub inputs. */
import { describe, expect, it } from 'vitest';
import { loadDecisionModel, parseDecisionModel } from '../src/answer/decision.js';
import { ALONGSIDE_GRID, fitAlongside, type CalibrationInputs } from '../src/eval/calibration.js';
import type { Engine } from '../src/engine-types.js';
import type { CorpusName, QuestionSet } from '../src/eval/question-sets.js';

const set = (name: string, split: 'train' | 'val', corpus: CorpusName) =>
  ({ name, split, corpus, items: [] }) as unknown as QuestionSet;

describe('fitAlongside', () => {
  it('picks the smallest share with the most training answers right, from training work-report sets only', async () => {
    const seen: string[][] = [];
    const shares: number[] = [];
    const inputs = {
      sets: [
        set('gov-a', 'train', 'gov'),
        set('gov-val', 'val', 'gov'),
        set('seed-a', 'train', 'seed'),
      ],
      reopen: async (m: { alongside?: number }) => {
        shares.push(m.alongside!);
        return new Map<CorpusName, Engine>();
      },
    } as unknown as CalibrationInputs;
    const right: Record<number, number> = { 0.25: 10, 0.5: 12, 0.75: 12, 1: 11 };
    let call = 0;
    const fitted = await fitAlongside(inputs, loadDecisionModel(), async (sets) => {
      seen.push(sets.map((s) => s.name));
      return right[ALONGSIDE_GRID[call++]!]!;
    });
    expect(fitted.alongside).toBe(0.5);
    expect(shares).toEqual([...ALONGSIDE_GRID]);
    expect(seen.every((names) => names.join() === 'gov-a')).toBe(true);
  });

  it('is read back from the model file, and a bad value is refused', () => {
    const model = { ...loadDecisionModel(), alongside: 0.75 };
    expect(parseDecisionModel(JSON.stringify(model)).alongside).toBe(0.75);
    expect(() => parseDecisionModel(JSON.stringify({ ...model, alongside: -1 }))).toThrow(
      /not a decision model/,
    );
  });
});
