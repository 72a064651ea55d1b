/**
 * A small Engine for tests that must control timing (an answer held in flight) or that
 * run before the real index exists. It answers from two fixed passages.
 */
import { AppError } from '../../src/errors.js';
import type {
  AskOptions,
  Engine,
  Manifest,
  PassageView,
  SearchOptions,
  SearchResult,
} from '../../src/engine-types.js';
import type { Answer, Chunk, DocumentMeta } from '../../src/types.js';

export const FAKE_DOC: DocumentMeta = {
  docId: 'fake-report.txt',
  title: '2021年度某省法治政府建设年度报告',
  source: '某省人民政府',
  issuer: '山西省人民政府',
  publishedAt: '2022-08-16',
  reportYear: 2021,
  reviewYear: 2021,
  planYear: 2022,
  region: '某省',
  docType: 'law-based-government-report',
  hash: 'f'.repeat(64),
  chars: 60,
};

const TEXT = '全年办理行政复议案件3125件。新建公共法律服务站点120个。';
export const FAKE_CHUNKS: Chunk[] = [
  {
    id: 'chunk-a',
    docId: FAKE_DOC.docId,
    section: '一、行政复议',
    period: 'review',
    text: TEXT.slice(0, 15),
    start: 0,
    end: 15,
    sentences: [{ start: 0, end: 15 }],
    ordinal: 0,
  },
  {
    id: 'chunk-b',
    docId: FAKE_DOC.docId,
    section: '二、法律服务',
    period: 'review',
    text: TEXT.slice(15),
    start: 15,
    end: TEXT.length,
    sentences: [{ start: 15, end: TEXT.length }],
    ordinal: 1,
  },
];

/** A fake chunk as a cited span of the fake document. */
const span = (c: Chunk) => ({
  chunkId: c.id,
  docId: c.docId,
  title: FAKE_DOC.title,
  section: c.section,
  text: c.text,
  start: c.start,
  end: c.end,
});

export interface FakeEngineOptions {
  /** When set, ask() waits for this promise before answering (after the first delta). */
  gate?: Promise<void>;
  /** Largest question accepted. @default 200 */
  maxQuestionChars?: number;
}

/** A deterministic Engine: questions mentioning 复议 find chunk-a, 法律服务 chunk-b, else not found. */
export function createFakeEngine(options: FakeEngineOptions = {}): Engine & { asked: string[] } {
  const max = options.maxQuestionChars ?? 200;
  const asked: string[] = [];
  const manifest: Manifest = {
    version: 1,
    pipelineVersion: 2,
    builtAt: '2024-01-01T00:00:00.000Z',
    corpusHash: 'fake',
    embedder: { id: 'fake', dimensions: 4 },
    chunking: { maxChars: 200, overlapSentences: 0 },
    counts: { documents: 1, chunks: FAKE_CHUNKS.length, sentences: 2 },
    documents: [{ docId: FAKE_DOC.docId, hash: FAKE_DOC.hash, title: FAKE_DOC.title }],
  };
  async function respond(question: string, ask: AskOptions, counted: boolean): Promise<Answer> {
    const q = question.trim();
    if (q === '') throw new AppError('EMPTY_QUESTION');
    if ([...q].length > max) throw new AppError('QUESTION_TOO_LONG');
    if (counted) asked.push(q);
    const chunk = q.includes('复议')
      ? FAKE_CHUNKS[0]
      : q.includes('法律服务')
        ? FAKE_CHUNKS[1]
        : undefined;
    const text = chunk ? `${chunk.text}[1]` : '报告中没有找到相关内容。';
    ask.onDelta?.(text.slice(0, 4));
    if (counted && options.gate) await options.gate;
    ask.signal?.throwIfAborted();
    ask.onDelta?.(text.slice(4));
    return {
      found: chunk !== undefined,
      answer: text,
      mode: 'extractive',
      question: q,
      citations: chunk
        ? [
            {
              n: 1,
              chunkId: chunk.id,
              docId: chunk.docId,
              title: FAKE_DOC.title,
              section: chunk.section,
              text: chunk.text,
              start: chunk.start,
              end: chunk.end,
              score: 0.9,
            },
          ]
        : [],
    };
  }
  const engine = {
    asked,
    manifest,
    async prepare(question: string) {
      // Not counted in `asked` and never held by the gate: the server's self-test uses it.
      // Like the real engine, it returns the closest passages even when it finds no answer.
      const passages = FAKE_CHUNKS.map((c) => ({ ...span(c), year: 2021, score: 0.5 }));
      return { answer: await respond(question, {}, false), passages, route: 'model' as const };
    },
    async ask(question: string, ask: AskOptions = {}): Promise<Answer> {
      return respond(question, ask, true);
    },
    documents: () => [FAKE_DOC],
    passage(chunkId: string, neighbours = 1): PassageView | null {
      const i = FAKE_CHUNKS.findIndex((c) => c.id === chunkId);
      if (i < 0) return null;
      return {
        chunk: FAKE_CHUNKS[i]!,
        document: FAKE_DOC,
        before: FAKE_CHUNKS.slice(Math.max(0, i - neighbours), i),
        after: FAKE_CHUNKS.slice(i + 1, i + 1 + neighbours),
      };
    },
    suggestions: (limit = 6) =>
      ['2021年办理了多少件行政复议案件？', '新建了多少个公共法律服务站点？'].slice(0, limit),
    async search(question: string, options: SearchOptions = {}): Promise<SearchResult> {
      const q = question.trim();
      if (q === '') throw new AppError('EMPTY_QUESTION');
      if ([...q].length > max) throw new AppError('QUESTION_TOO_LONG');
      const first = q.includes('法律服务') ? 1 : 0;
      const passages = [FAKE_CHUNKS[first]!, FAKE_CHUNKS[1 - first]!]
        .filter((c) => options.doc === undefined || c.docId === options.doc)
        .slice(0, options.k ?? 5)
        .map((c, i) => ({
          ...span(c),
          rank: i + 1,
          score: i === 0 ? 1 : 0.5,
          bm25: 0,
          similarity: 0,
          document: {
            docId: FAKE_DOC.docId,
            title: FAKE_DOC.title,
            reportYear: FAKE_DOC.reportYear,
            region: FAKE_DOC.region,
            docType: FAKE_DOC.docType,
          },
        }));
      return { question: q, passages, uncovered: [] };
    },
  };
  return engine;
}
