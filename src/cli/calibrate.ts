/**
 * `npm run calibrate [-- --check]`: fits the answer decision model on the training split,
 * writes src/answer/decision-model.json, then answers every labelled question with it and
 * prints train and validation side by side, per kind and per corpus, with CMRC 2018 trial
 * against plain BM25 measured in the same run. `--check` fits and prints without writing;
 * `--train-failures` lists the training split's failed items (never the validation split's).
 */
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { loadDecisionModel, MODEL_FILE } from '../answer/decision.js';
import {
  collectAll,
  fitAlongside,
  fitModel,
  missingInputs,
  openCalibration,
} from '../eval/calibration.js';
import { evaluateAll, formatReport } from '../eval/report.js';

async function main(): Promise<void> {
  const missing = missingInputs();
  if (missing) {
    console.error(missing);
    process.exit(2);
  }
  const write = !process.argv.includes('--check');
  const t0 = performance.now();
  const inputs = await openCalibration(loadDecisionModel(), (m) => console.error(m));
  const records = await collectAll(inputs);
  const model = fitModel(records);
  // Reports side by side: fitted on the training questions' full answers (evaluateAll).
  const side = await fitAlongside(
    inputs,
    model,
    async (sets, engines) =>
      (await evaluateAll(sets, engines)).flatMap((r) => r.results).filter((x) => x.passed).length,
  );
  model.alongside = side.alongside;
  model.fit = { ...model.fit, alongsidePassed: side.passed };
  if (write) writeFileSync(MODEL_FILE, `${JSON.stringify(model, null, 2)}\n`);
  console.log(
    `model: threshold ${model.threshold}, alongside ${model.alongside}, ${JSON.stringify(model.fit)}`,
  );
  for (const [name, part] of [
    ['ranker', model.ranker],
    ['acceptor', model.acceptor],
  ] as const) {
    if ('weights' in part) {
      console.log(`  ${name}: linear`);
      for (const [i, f] of part.features.entries())
        console.log(`    ${f.padEnd(14)} ${part.weights[i]!.toFixed(3).padStart(7)}`);
    } else
      console.log(
        `  ${name}: ${part.trees.length} boosted trees over ${part.features.length} inputs`,
      );
  }
  const engines = await inputs.reopen(model);
  const report = await evaluateAll(inputs.sets, engines, inputs.indexDirs);
  console.log(formatReport(report));
  if (process.argv.includes('--train-failures')) {
    for (const r of report) {
      for (const f of r.trainFailures) {
        const h = f.item.history?.length ? ` ⟵ ${f.item.history.join(' / ')}` : '';
        console.log(
          `✗ ${f.item.id} ${f.item.question}${h}\n    → ${f.answer.found ? '' : '[拒答] '}${f.answer.answer.slice(0, 160)}\n    ${f.reasons.join('; ')}`,
        );
      }
    }
  }
  console.error(
    `${write ? `wrote ${MODEL_FILE}` : 'not written (--check)'}; ${((performance.now() - t0) / 1000).toFixed(0)} s`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
