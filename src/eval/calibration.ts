/**
 * The calibration run shared by `npm run calibrate` and `npm run ablate`: the corpora the
 * sets are asked against (made in .tmp/calibrate from ../shared, never copied into the
 * project), their indexes (built once, reused while the corpus is unchanged), every
 * labelled question's candidates, and the fit.
 */
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { FEATURES } from '../answer/features.js';
import { ACCEPT_EXTRA, acceptorInput, rankScores, type DecisionModel } from '../answer/decision.js';
import { loadConfig, PROJECT_ROOT } from '../config.js';
import { ensureIndex, loadEngine } from '../engine.js';
import type { Engine } from '../engine-types.js';
import { collect, decisionOf, type QuestionRecord } from './collect.js';
import { fitListwise, fitLogistic, pickThreshold, decidedRight } from './fit.js';
import { fitBoosted, fitBoostedListwise, type BoostOptions } from './boost.js';
import { allSets, type CorpusName, type QuestionSet } from './question-sets.js';

export const SHARED = path.resolve(PROJECT_ROOT, '..', 'shared');
export const GOV_REPORTS = path.join(SHARED, 'corpora', 'gov-reports');
export const CMRC_DIR = path.join(SHARED, 'corpora', 'cmrc2018');
export const QUESTIONS_DIR = path.join(PROJECT_ROOT, 'test', 'fixtures', 'questions');
const WORK = path.join(PROJECT_ROOT, '.tmp', 'calibrate');
const SEED_FILE = 'shanxi-2021-law-based-government-report.txt';

/** Why calibration cannot run here, or null. */
export function missingInputs(): string | null {
  if (!existsSync(GOV_REPORTS))
    return `需要 ../shared/corpora/gov-reports（未找到 ${GOV_REPORTS}）：校准用的问题集是针对这些报告写的。`;
  if (!existsSync(QUESTIONS_DIR)) return `需要 ${QUESTIONS_DIR}`;
  return null;
}

function linkInto(dir: string, files: string[]): void {
  for (const f of files) symlinkSync(f, path.join(dir, path.basename(f)));
}

/** A corpus folder for a set's corpus name (recreated each run; the index is reused when its content is the same). */
function corpusDir(name: CorpusName): string {
  if (name === 'seed') return path.join(PROJECT_ROOT, 'corpus');
  const dir = path.join(WORK, `corpus-${name}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const reports = readdirSync(GOV_REPORTS)
    .filter((f) => f.endsWith('.txt'))
    .map((f) => path.join(GOV_REPORTS, f));
  linkInto(dir, [path.join(PROJECT_ROOT, 'corpus', SEED_FILE), ...reports]);
  if (name === 'cmrc') {
    mkdirSync(path.join(dir, 'cmrc'));
    for (const f of ['cmrc2018_dev_passages.jsonl', 'cmrc2018_trial_passages.jsonl']) {
      for (const line of readFileSync(path.join(CMRC_DIR, f), 'utf8').split('\n')) {
        if (!line.trim()) continue;
        const p = JSON.parse(line) as { id: string; title: string; text: string };
        writeFileSync(path.join(dir, 'cmrc', `${p.id}.txt`), `${p.title}\n${p.text}\n`);
        writeFileSync(
          path.join(dir, 'cmrc', `${p.id}.meta.json`),
          JSON.stringify({ title: p.title, docType: '百科' }),
        );
      }
    }
  }
  return dir;
}

export interface CalibrationInputs {
  sets: QuestionSet[];
  engines: Map<CorpusName, Engine>;
  /** Re-opens the engines with another model (same indexes). */
  reopen(model: DecisionModel): Promise<Map<CorpusName, Engine>>;
  /** The index folder of each corpus. */
  indexDirs: Map<CorpusName, string>;
}

export async function openCalibration(
  model: DecisionModel,
  log: (m: string) => void = () => {},
): Promise<CalibrationInputs> {
  const sets = allSets({
    questionsDir: QUESTIONS_DIR,
    cmrcDir: CMRC_DIR,
    devFile: path.join(SHARED, 'eval', 'dev.jsonl'),
  });
  const names = [...new Set(sets.map((s) => s.corpus))];
  const configs = new Map<CorpusName, ReturnType<typeof loadConfig>>();
  for (const name of names) {
    const config = loadConfig({
      env: {
        LOG_LEVEL: 'silent',
        CORPUS_DIR: corpusDir(name),
        INDEX_DIR: path.join(WORK, `index-${name}`),
      },
    });
    log(`索引 ${name}…`);
    await ensureIndex(config, { info: () => {} });
    configs.set(name, config);
  }
  const reopen = async (m: DecisionModel) => {
    const engines = new Map<CorpusName, Engine>();
    for (const [name, config] of configs) engines.set(name, await loadEngine(config, { model: m }));
    return engines;
  };
  const indexDirs = new Map([...configs].map(([name, c]) => [name, c.INDEX_DIR]));
  return { sets, engines: await reopen(model), reopen, indexDirs };
}

export interface SetRecords {
  set: QuestionSet;
  records: QuestionRecord[];
}

export async function collectAll(inputs: CalibrationInputs): Promise<SetRecords[]> {
  const out: SetRecords[] = [];
  for (const set of inputs.sets) {
    const engine = inputs.engines.get(set.corpus)!;
    const records: QuestionRecord[] = [];
    for (const item of set.items) records.push(await collect(engine, item));
    out.push({ set, records });
  }
  return out;
}

export interface FitSettings {
  /** Candidate feature names to fit on. @default every feature */
  features?: readonly string[];
  l2?: number;
  /** Candidates per question the acceptor learns from (best by the ranker first). @default 5 */
  acceptTop?: number;
  /** The acceptor's form: boosted trees (how features combine; 300 trees of depth 3 unless `boost` says) or one linear score. @default 'trees' */
  acceptor?: 'trees' | 'linear';
  /** Settings of the boosted acceptor. */
  boost?: BoostOptions;
  /** The ranker's form. @default 'linear' */
  ranker?: 'trees' | 'linear';
  /** Settings of the boosted ranker. */
  rankBoost?: BoostOptions;
  /**
   * Folds (by report) the refusal threshold is read from: the model is refitted without each
   * fold and the threshold picked on the probabilities it gives the fold's questions, which
   * it was not fitted on; 1 picks it on the fitted questions themselves. @default 3
   */
  thresholdFolds?: number;
  /**
   * Fold assignments whose out-of-fold decisions are pooled before the threshold is read:
   * one assignment puts a few reports together by chance, and the threshold read from it
   * moves with them; several assignments average that chance out (chosen by 5-fold
   * cross-validation on train, 2 fold seeds: 3 pooled assignments against 1, 84.16 against
   * 83.95 % decided right, the threshold's spread between refits 0.011–0.024 against
   * 0.035–0.039). @default 3
   */
  thresholdRepeats?: number;
}

/** The fold of a training question: by the report it is about (CMRC: its passage), so one report's questions share a fold. */
export function foldOf(record: QuestionRecord, folds: number, assignment = 0): number {
  const item = record.item;
  const key = item.doc ?? item.expect.doc ?? item.exclude?.[0] ?? item.id;
  let h = (2166136261 + Math.imul(assignment, 40503)) >>> 0; // FNV-1a, offset per assignment
  for (const ch of key) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  return h % folds;
}

const pick = (x: ArrayLike<number>, cols: number[]) => cols.map((j) => x[j]!);

/**
 * Fits the model on the training records: the ranker on the candidates of answerable
 * questions (is this sentence a right answer?), the acceptor on each question's best few
 * candidates by the ranker (with their ranker score and gap to the best), and the threshold
 * that decides the most training questions right.
 */
export function fitModel(all: SetRecords[], settings: FitSettings = {}): DecisionModel {
  const l2 = settings.l2 ?? 1;
  const names = [...(settings.features ?? FEATURES)];
  const cols = names.map((n) => (FEATURES as readonly string[]).indexOf(n));
  const train = all
    .filter((s) => s.set.split === 'train')
    .flatMap((s) => s.records)
    .filter((r) => r.fixed === null);
  const answerable = train.filter((r) => !r.item.expect.refuse);
  const rankRows = answerable.flatMap((r) => r.candidates);
  const groups = answerable.map((r) => ({
    x: r.candidates.map((c) => pick(c.x, cols)),
    y: r.candidates.map((c) => c.y),
  }));
  const ranker =
    (settings.ranker ?? 'linear') === 'trees'
      ? fitBoostedListwise(names, groups, settings.rankBoost)
      : fitListwise(names, groups, { l2 });

  const acceptNames = [...names, ...ACCEPT_EXTRA];
  const acceptCols = [...cols, FEATURES.length, FEATURES.length + 1];
  const ax: number[][] = [];
  const ay: number[] = [];
  const partial: DecisionModel = { version: 2, ranker, acceptor: ranker, threshold: 0.5 };
  for (const r of train) {
    const { ranks, others } = rankScores(
      partial,
      r.candidates.map((c) => c.x),
      r.candidates.map((c) => c.doc),
    );
    const order = ranks
      .map((v, i) => [v, i] as const)
      .sort((a, b) => b[0] - a[0])
      .slice(0, settings.acceptTop ?? 5);
    for (const [v, i] of order) {
      ax.push(pick(acceptorInput(r.candidates[i]!.x, v, others[i]!), acceptCols));
      ay.push(r.candidates[i]!.y);
    }
  }
  const acceptor =
    (settings.acceptor ?? 'trees') === 'trees'
      ? fitBoosted(acceptNames, ax, ay, { rounds: 300, ...settings.boost })
      : fitLogistic(acceptNames, ax, ay, { l2 });
  const model: DecisionModel = { version: 2, ranker, acceptor, threshold: 0.5 };
  const folds = settings.thresholdFolds ?? 3;
  const repeats = folds > 1 ? (settings.thresholdRepeats ?? 3) : 1;
  const inner: FitSettings = { ...settings, thresholdFolds: 1 };
  const decisions =
    folds > 1
      ? Array.from({ length: repeats }, (_, a) =>
          Array.from({ length: folds }, (_, k) => {
            const held = fitModel(
              all.map((s) => ({
                set: s.set,
                records: s.records.filter(
                  (r) => s.set.split !== 'train' || foldOf(r, folds, a) !== k,
                ),
              })),
              inner,
            );
            return train.filter((r) => foldOf(r, folds, a) === k).map((r) => decisionOf(r, held));
          }).flat(),
        ).flat()
      : train.map((r) => decisionOf(r, model));
  model.threshold = Number(pickThreshold(decisions).toFixed(4));
  model.fit = {
    method: `listwise (conditional logit) ranker and ${(settings.acceptor ?? 'trees') === 'trees' ? 'boosted-tree' : 'logistic'} acceptor; threshold maximising right decisions on train, ${folds > 1 ? `read from out-of-fold probabilities (${folds} folds by report${repeats > 1 ? `, ${repeats} fold assignments pooled` : ''})` : 'read from the fitted questions'}`,
    l2,
    trainQuestions: train.length,
    rankerCandidates: rankRows.length,
    acceptorCandidates: ax.length,
  };
  return model;
}

/** Share of a split's questions decided right by the model (no full answer composed: for ablation). */
export function decidedShare(
  all: SetRecords[],
  model: DecisionModel,
  split: 'train' | 'val',
): { right: number; n: number } {
  const records = all.filter((s) => s.set.split === split).flatMap((s) => s.records);
  let right = 0;
  for (const r of records) {
    if (r.fixed !== null) right += r.fixed ? 1 : 0;
    else if (decidedRight(decisionOf(r, model), model.threshold)) right++;
  }
  return { right, n: records.length };
}

/** Shares of the threshold tried for DecisionModel.alongside, ascending. */
export const ALONGSIDE_GRID = [0.25, 0.5, 0.75, 1] as const;

/**
 * Fits DecisionModel.alongside: the share of the threshold at which another report's sentence
 * stands beside the best answer, chosen by the full answers to the training questions over
 * the work reports (the corpus with several documents); the smallest share among the best.
 */
export async function fitAlongside(
  inputs: CalibrationInputs,
  model: DecisionModel,
  evaluate: (sets: QuestionSet[], engines: Map<CorpusName, Engine>) => Promise<number>,
): Promise<{ alongside: number; passed: Record<string, number> }> {
  const sets = inputs.sets.filter((s) => s.split === 'train' && s.corpus === 'gov');
  const passed: Record<string, number> = {};
  let best: number = ALONGSIDE_GRID[0];
  for (const share of ALONGSIDE_GRID) {
    passed[share] = await evaluate(sets, await inputs.reopen({ ...model, alongside: share }));
    if (passed[share]! > passed[best]!) best = share;
  }
  return { alongside: best, passed };
}
