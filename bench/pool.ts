/**
 * The pooled corpus for the scale benchmark, made in a temporary folder from ../shared:
 * the seed, the eight work reports (linked) and the CMRC 2018 passages (one .txt per
 * passage, its title in a sidecar). Nothing is copied into the project.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pooledCorpus, SHARED } from '../test/helpers/corpus.js';

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

/** The seed and the work reports (as the multi-document tests use them) plus every CMRC passage. */
export function makePooledCorpus(): string {
  const dir = pooledCorpus();
  mkdirSync(path.join(dir, 'cmrc'));
  for (const f of ['cmrc2018_dev_passages.jsonl', 'cmrc2018_trial_passages.jsonl']) {
    for (const p of readJsonl<{ id: string; title: string; text: string }>(path.join(CMRC, f))) {
      writeFileSync(path.join(dir, 'cmrc', `${p.id}.txt`), `${p.title}\n${p.text}\n`);
      writeFileSync(
        path.join(dir, 'cmrc', `${p.id}.meta.json`),
        JSON.stringify({ title: p.title, docType: '百科' }),
      );
    }
  }
  return dir;
}
