/**
 * The pooled corpus for the scale benchmark, made in a temporary folder from ../shared:
 * the seed, the eight work reports (linked) and the CMRC 2018 passages (one .txt per
 * passage, its title in a sidecar). Nothing is copied into the project.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../src/config.js';

export const SHARED = path.resolve(PROJECT_ROOT, '..', 'shared');
const CMRC = path.join(SHARED, 'corpora', 'cmrc2018');

export interface CmrcQuestion {
  id: string;
  question: string;
  answers: string[];
  passage_id: string;
}

export function readJsonl<T>(file: string): T[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as T);
}

export function cmrcDevQuestions(): CmrcQuestion[] {
  return readJsonl<CmrcQuestion>(path.join(CMRC, 'cmrc2018_dev_questions.jsonl'));
}

/** docId of a CMRC passage in the pooled corpus, and back. */
export const cmrcDocId = (passageId: string) => `cmrc/${passageId}.txt`;
export const passageOf = (docId: string) => docId.match(/^cmrc\/(.+)\.txt$/)?.[1] ?? docId;

export function makePooledCorpus(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'wz-pool-'));
  symlinkSync(path.join(PROJECT_ROOT, 'corpus', 'shanxi-2021-law-based-government-report.txt'), path.join(dir, 'shanxi-2021-law-based-government-report.txt'));
  const gov = path.join(SHARED, 'corpora', 'gov-reports');
  for (const f of readdirSync(gov).filter((f) => f.endsWith('.txt'))) symlinkSync(path.join(gov, f), path.join(dir, f));
  mkdirSync(path.join(dir, 'cmrc'));
  for (const f of ['cmrc2018_dev_passages.jsonl', 'cmrc2018_trial_passages.jsonl']) {
    for (const p of readJsonl<{ id: string; title: string; text: string }>(path.join(CMRC, f))) {
      writeFileSync(path.join(dir, 'cmrc', `${p.id}.txt`), `${p.title}\n${p.text}\n`);
      writeFileSync(path.join(dir, 'cmrc', `${p.id}.meta.json`), JSON.stringify({ title: p.title, docType: '百科' }));
    }
  }
  return dir;
}
