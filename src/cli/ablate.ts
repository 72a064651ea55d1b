/**
 * `npm run ablate`: refits the decision model without each feature in turn (same training
 * split, same settings) and prints the share of validation questions decided right, beside
 * the full model's: a feature earns its place by what removing it costs on validation.
 * Decisions are read off the candidates (no answer text is composed), so the figures are
 * the model's decisions, not full answers: `npm run calibrate` prints those. Each refit reads
 * its threshold from the questions it was fitted on (thresholdFolds 1), not out of fold as
 * calibrate does: one fit per feature instead of four keeps the run to minutes. The
 * committed model's line (its threshold read out of fold) is printed first, for reference;
 * the Δ column compares with the full refit of the same kind as each row.
 */
import { FEATURES } from '../answer/features.js';
import { loadDecisionModel } from '../answer/decision.js';
import {
  collectAll,
  decidedShare,
  fitModel,
  missingInputs,
  openCalibration,
} from '../eval/calibration.js';

const pct = (r: { right: number; n: number }) => `${((100 * r.right) / r.n).toFixed(1)} %`;

async function main(): Promise<void> {
  const missing = missingInputs();
  if (missing) {
    console.error(missing);
    process.exit(2);
  }
  const inputs = await openCalibration(loadDecisionModel(), (m) => console.error(m));
  const records = await collectAll(inputs);
  const settings = { thresholdFolds: 1 };
  const full = fitModel(records, settings);
  const base = {
    train: decidedShare(records, full, 'train'),
    val: decidedShare(records, full, 'val'),
  };
  console.log('| model | train decided right | validation decided right | Δ validation (points) |');
  console.log('|---|---|---|---|');
  // The committed model (calibrate's: its threshold read out of fold), for reference.
  const committed = loadDecisionModel();
  console.log(
    `| committed model (out-of-fold threshold ${committed.threshold}) | ${pct(decidedShare(records, committed, 'train'))} | ${pct(decidedShare(records, committed, 'val'))} | — |`,
  );
  console.log(
    `| all ${FEATURES.length} features (in-sample threshold ${full.threshold}) | ${pct(base.train)} | ${pct(base.val)} | — |`,
  );
  for (const f of FEATURES) {
    const model = fitModel(records, { ...settings, features: FEATURES.filter((g) => g !== f) });
    const train = decidedShare(records, model, 'train');
    const val = decidedShare(records, model, 'val');
    const delta = (100 * val.right) / val.n - (100 * base.val.right) / base.val.n;
    console.log(
      `| without ${f} | ${pct(train)} | ${pct(val)} | ${delta >= 0 ? '+' : ''}${delta.toFixed(1)} |`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
