/**
 * Asking a labelled set and keeping what the fit needs: every candidate of every question
 * with its features and whether it is a right answer, and the question's outcome when no
 * candidate decides it (questions about the document itself, plan overviews, places or
 * years no report covers). Scoring of full answers for the tables (score.ts, plus CMRC's
 * any-of answers).
 */
import type { Engine, Prepared } from '../engine-types.js';
import { isAppError } from '../errors.js';
import { eligible, type FeatureVector } from '../answer/features.js';
import { decide, type DecisionModel } from '../answer/decision.js';
import { focus } from '../answer/extractive.js';
import type { QueryAnalysis } from '../retrieval/query.js';
import type { Answer } from '../types.js';
import type { QuestionDecision } from './fit.js';
import type { LabelledItem } from './question-sets.js';
import { scoreItem, squash, type ItemResult } from './score.js';

export interface CandidateRow {
  x: FeatureVector;
  /** The candidate's document. */
  doc: string;
  /** 1 when this sentence is a right answer to the question (what the ranker and acceptor learn). */
  y: number;
  /**
   * 1 when the answer stated from this sentence is right (statesAnswer: for a figure question,
   * the figure picked is the one asked): what a question's decision is scored on, and the
   * threshold read from. @default y
   */
  stated?: number;
}

export interface QuestionRecord {
  item: LabelledItem;
  candidates: CandidateRow[];
  /** Set when the model does not decide this question: whether its answer was right. */
  fixed: boolean | null;
}

const docMatches = (docId: string, expected: string | undefined) =>
  !expected || docId === expected || docId.endsWith(`/${expected}`);

/** Whether a sentence of a document is a right answer to an item. */
export function isRightSentence(item: LabelledItem, docId: string, sentence: string): boolean {
  if (item.expect.refuse) return false;
  if (!docMatches(docId, item.expect.doc)) return false;
  const text = squash(sentence);
  if (item.anyOf) return item.anyOf.some((a) => text.includes(squash(a)));
  const cite = item.expect.cite;
  const contains = item.expect.contains ?? [];
  if (typeof cite !== 'string' && contains.length === 0) return false;
  return (
    (typeof cite !== 'string' || text.includes(squash(cite))) &&
    contains.every((c) => text.includes(squash(c)))
  );
}

/**
 * Whether the part of a right sentence that an answer states (focus: for a figure question,
 * the clause of the figure it picks) holds the item's expected strings: a sentence holding
 * the figure asked beside others answers only when that figure is the one picked.
 */
export function statesAnswer(
  item: LabelledItem,
  analysis: QueryAnalysis,
  sentence: string,
  before: string,
): boolean {
  const contains = item.expect.contains ?? [];
  if (analysis.type !== 'quantity' || item.anyOf || contains.length === 0) return true;
  const f = focus(analysis, sentence, before);
  const stated = squash(sentence.slice(f.start, f.end));
  return contains.every((c) => stated.includes(squash(c)));
}

/** Scores a full answer: the eval format's rules, or for CMRC items any gold answer in the answer text. */
export function scoreAnswer(item: LabelledItem, answer: Answer, ms: number): ItemResult {
  if (!item.anyOf) return scoreItem(item, answer, ms);
  const text = squash(answer.answer.replace(/\[\d+\]/g, ''));
  const passed = answer.found && item.anyOf.some((a) => text.includes(squash(a)));
  const reasons = passed ? [] : [answer.found ? 'answer holds no gold answer' : 'false refusal'];
  return {
    id: item.id,
    kind: item.kind,
    passed,
    cited: null,
    refused: !answer.found,
    falseRefusal: !answer.found,
    ms,
    reasons,
  };
}

/** The engine's answer to an item; a question it rejects (empty after normalisation) counts as a refusal with the error's message. */
export async function prepareItem(
  engine: Engine,
  item: LabelledItem,
  explain = false,
): Promise<Prepared> {
  try {
    return await engine.prepare(item.question, {
      history: item.history ?? [],
      exclude: item.exclude ?? [],
      explain,
    });
  } catch (error) {
    if (!isAppError(error)) throw error;
    const answer: Answer = {
      found: false,
      answer: error.message,
      citations: [],
      mode: 'extractive',
      question: item.question,
    };
    return { answer, passages: [], route: 'meta' };
  }
}

export async function collect(engine: Engine, item: LabelledItem): Promise<QuestionRecord> {
  const prepared = await prepareItem(engine, item, true);
  if (prepared.route !== 'model') {
    return { item, candidates: [], fixed: scoreAnswer(item, prepared.answer, 0).passed };
  }
  // Only candidates that can answer at all (features.eligible) take part in the decision.
  const analysis = prepared.analysis!;
  const candidates = (prepared.candidates ?? [])
    .filter((s) => eligible(analysis, s.features))
    .map((s) => {
      const right = isRightSentence(item, s.doc.meta.docId, s.text);
      return {
        x: s.features,
        doc: s.doc.meta.docId,
        y: right ? 1 : 0,
        stated: right && statesAnswer(item, analysis, s.text, s.before) ? 1 : 0,
      };
    });
  return { item, candidates, fixed: null };
}

/** The question-level decision of a record under a model: its best candidate's probability and whether the answer stated from it is right. */
export function decisionOf(record: QuestionRecord, model: DecisionModel): QuestionDecision {
  const ps = decide(
    model,
    record.candidates.map((c) => c.x),
    record.candidates.map((c) => c.doc),
  );
  let best = -Infinity;
  let bestCorrect = false;
  ps.forEach((v, i) => {
    const c = record.candidates[i]!;
    if (v > best) [best, bestCorrect] = [v, (c.stated ?? c.y) === 1];
  });
  return { answerable: !record.item.expect.refuse, best, bestCorrect };
}
