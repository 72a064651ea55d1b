/**
 * The labelled question sets the decision model is fitted and checked on, split once and
 * for all: `test/fixtures/questions/train/` (fitting and debugging) and
 * `test/fixtures/questions/val/` (whole reports never used for fitting), plus CMRC 2018
 * from ../shared (dev questions for training, trial questions for validation). Each
 * answerable CMRC question is also asked with its passage left out: it must then be refused.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseItems, type EvalItem } from './score.js';

/** The corpus a set is asked against: the seed alone (the default deployment), the seed with every work report, or that pool with the CMRC passages. */
export type CorpusName = 'seed' | 'gov' | 'cmrc';
export type Split = 'train' | 'val';

export interface LabelledItem extends EvalItem {
  /** For CMRC: any of these in the answer passes. */
  anyOf?: string[];
  /** Documents left out of the corpus when this item is asked. */
  exclude?: string[];
}

export interface QuestionSet {
  name: string;
  split: Split;
  corpus: CorpusName;
  items: LabelledItem[];
}

interface CmrcQuestion {
  id: string;
  question: string;
  answers: string[];
  passage_id: string;
}

/** docId of a CMRC passage in the pooled corpus. */
export const cmrcDocId = (passageId: string) => `cmrc/${passageId}.txt`;

function readJsonl<T>(file: string): T[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as T);
}

/** A set's corpus from its file name: `seed*.jsonl` is asked of the seed alone, everything else of the work-report pool. */
export function corpusOfFile(file: string): CorpusName {
  return path.basename(file).startsWith('seed') ? 'seed' : 'gov';
}

/** Every *.jsonl of a split folder as a set. */
export function readSplit(dir: string, split: Split): QuestionSet[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .sort()
    .map((f) => ({
      name: f.replace(/\.jsonl$/, ''),
      split,
      corpus: corpusOfFile(f),
      items: parseItems(readFileSync(path.join(dir, f), 'utf8')),
    }));
}

/** Every `n`th question of a deterministic subsample (no randomness: stable from run to run). */
function every<T>(items: T[], limit: number): T[] {
  if (items.length <= limit) return items;
  const step = items.length / limit;
  return Array.from({ length: limit }, (_, i) => items[Math.floor(i * step)]!);
}

/** CMRC questions as labelled items, each also asked with its passage removed (kind `removed`). */
export function cmrcSet(file: string, split: Split, limit = Infinity): QuestionSet {
  const questions = every(readJsonl<CmrcQuestion>(file), limit);
  const items: LabelledItem[] = [];
  for (const q of questions) {
    const doc = cmrcDocId(q.passage_id);
    items.push({ id: q.id, kind: 'cmrc', question: q.question, expect: { doc }, anyOf: q.answers });
    items.push({
      id: `${q.id}-removed`,
      kind: 'removed',
      question: q.question,
      expect: { refuse: true },
      exclude: [doc],
    });
  }
  return { name: `cmrc-${split}`, split, corpus: 'cmrc', items };
}

export interface SetPaths {
  /** test/fixtures/questions of the checkout. */
  questionsDir: string;
  /** ../shared/eval/dev.jsonl (about the seed), a training set when present. */
  devFile?: string;
  /** ../shared/corpora/cmrc2018, when present. */
  cmrcDir: string;
  /** How many CMRC dev questions to fit on (each also asked removed). @default 400 */
  cmrcTrain?: number;
}

/** All sets: the committed splits, and the shared dev set and CMRC when ../shared has them. */
export function allSets(paths: SetPaths): QuestionSet[] {
  const sets = [
    ...readSplit(path.join(paths.questionsDir, 'train'), 'train'),
    ...readSplit(path.join(paths.questionsDir, 'val'), 'val'),
  ];
  // The shared development set about the seed, read in place (never copied into the project).
  if (paths.devFile && existsSync(paths.devFile)) {
    const items = parseItems(readFileSync(paths.devFile, 'utf8'));
    sets.splice(0, 0, { name: 'seed-dev', split: 'train', corpus: 'seed', items });
  }
  const dev = path.join(paths.cmrcDir, 'cmrc2018_dev_questions.jsonl');
  const trial = path.join(paths.cmrcDir, 'cmrc2018_trial_questions.jsonl');
  if (existsSync(dev)) sets.push(cmrcSet(dev, 'train', paths.cmrcTrain ?? 400));
  if (existsSync(trial)) sets.push(cmrcSet(trial, 'val'));
  return sets;
}
