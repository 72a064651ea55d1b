/**
 * Curated answers: an editor's answer to a question and its paraphrases, citing report
 * passages. It is checked like a model's answer (at least one passage; every figure in it
 * must occur in the passages it cites) and takes priority over the engine when a question
 * matches. withCurated wraps an engine; the wrapped engine answers curated questions
 * from the entries and everything else from the engine underneath.
 */
import type { AskOptions, Engine, Prepared } from '../engine-types.js';
import { figureKey, findFigures, normalizeFigureText } from '../text/figures.js';
import type { Lexicon } from '../text/lexicon.js';
import type { Answer, Citation } from '../types.js';
import { answerPieces } from '../answer/pieces.js';
import { questionSimilarity } from './similarity.js';

/** One version of a curated answer. */
export interface CuratedAnswer {
  id: string;
  version: number;
  question: string;
  paraphrases: string[];
  answer: string;
  /** The passages it cites, in order: [1] is the first. */
  chunkIds: string[];
  author: string;
  /** ISO timestamp of this version. */
  updatedAt: string;
}

/** What an editor submits. */
export type CuratedDraft = Pick<CuratedAnswer, 'question' | 'paraphrases' | 'answer' | 'chunkIds'>;

/** Least similarity for a question to count as a paraphrase of a curated one. */
export const CURATED_MATCH_THRESHOLD = 0.8;

/** Why a draft cannot be saved, or null when it can. */
export function checkCurated(
  draft: CuratedDraft,
  passageText: (chunkId: string) => string | null,
): string | null {
  if (draft.question.trim() === '') return '请填写问题。';
  if (draft.answer.trim() === '') return '请填写答案。';
  if (draft.chunkIds.length === 0) return '精选答案至少要引用一段报告原文。';
  const texts: string[] = [];
  for (const id of draft.chunkIds) {
    const text = passageText(id);
    if (text === null) return `引用的段落不存在或已随文档删除：${id}`;
    texts.push(text);
  }
  const known = new Set<string>();
  for (const t of texts)
    for (const f of findFigures(normalizeFigureText(t))) known.add(figureKey(f));
  const invented = findFigures(normalizeFigureText(draft.answer.replace(/\[\d+\]/g, ''))).filter(
    (f) => !known.has(figureKey(f)),
  );
  if (invented.length > 0) {
    return `答案中的数字在所引段落中找不到：${[...new Set(invented.map((f) => f.raw))].join('、')}。请只写原文中有的数字。`;
  }
  return null;
}

/** The curated answer a question matches best, or null. */
export function matchCurated(
  question: string,
  entries: readonly CuratedAnswer[],
  lexicon?: Lexicon,
): CuratedAnswer | null {
  let best: CuratedAnswer | null = null;
  let bestScore = CURATED_MATCH_THRESHOLD;
  for (const entry of entries) {
    for (const wording of [entry.question, ...entry.paraphrases]) {
      const score = questionSimilarity(question, wording, lexicon);
      if (score >= bestScore) {
        best = entry;
        bestScore = score;
      }
    }
  }
  return best;
}

/** The answer of a curated entry over the engine's passages; null when a cited passage is gone. */
export function curatedAnswer(
  entry: CuratedAnswer,
  question: string,
  engine: Engine,
): Answer | null {
  const citations: Citation[] = [];
  for (const [i, chunkId] of entry.chunkIds.entries()) {
    const view = engine.passage(chunkId, 0);
    if (!view) return null; // its document was deleted: the engine answers (or refuses)
    const c: Citation = {
      n: i + 1,
      chunkId,
      docId: view.chunk.docId,
      title: view.document.title,
      section: view.chunk.section,
      text: view.chunk.text,
      start: view.chunk.start,
      end: view.chunk.end,
      score: 1,
      year: view.document.reportYear,
    };
    if (view.chunk.page !== undefined) c.page = view.chunk.page;
    citations.push(c);
  }
  const text = /\[\d+\]/.test(entry.answer)
    ? entry.answer
    : `${entry.answer}${citations.map((c) => `[${c.n}]`).join('')}`;
  return { found: true, answer: text, citations, mode: 'curated', question };
}

export interface WithCuratedOptions {
  entries: () => readonly CuratedAnswer[];
  lexicon?: Lexicon;
}

/**
 * The engine with curated answers first in ask(). The question is matched on its own words,
 * also inside a conversation: a follow-up such as 「那政协呢」 is too short to match one.
 */
export function withCurated(engine: Engine, options: WithCuratedOptions): Engine {
  const lookup = (question: string): Answer | null => {
    const entry = matchCurated(question, options.entries(), options.lexicon);
    return entry ? curatedAnswer(entry, question.trim(), engine) : null;
  };
  return {
    ...engine,
    manifest: engine.manifest,
    // Retrieval stays the engine's (the console searches passages with it).
    prepare: (question, askOptions): Promise<Prepared> => engine.prepare(question, askOptions),
    async ask(question: string, askOptions: AskOptions = {}): Promise<Answer> {
      const hit = lookup(question);
      if (!hit) return engine.ask(question, askOptions);
      if (askOptions.onDelta)
        for (const piece of answerPieces(hit.answer)) askOptions.onDelta(piece);
      return hit;
    },
  };
}
