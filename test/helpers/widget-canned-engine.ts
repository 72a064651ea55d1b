/**
 * A canned Engine over the real seed report, for the widget's browser tests while the real
 * engine (src/engine.ts) is not there yet: paragraphs of corpus/ as chunks, three known
 * questions answered with true offsets and highlights, anything else "not found".
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { AppError } from '../../src/errors.js';
import { PROJECT_ROOT } from '../../src/config.js';
import type { AskOptions, Engine, Manifest, PassageView } from '../../src/engine-types.js';
import type { Answer, Chunk, Citation, DocumentMeta } from '../../src/types.js';

const DOC_ID = 'shanxi-2021-law-based-government-report.txt';
const TEXT = readFileSync(path.join(PROJECT_ROOT, 'corpus', DOC_ID), 'utf8');

const DOC: DocumentMeta = {
  docId: DOC_ID,
  title: '2021年度山西省法治政府建设年度报告',
  source: '山西省人民政府',
  publishedAt: '2022-08-16',
  reportYear: 2021,
  reviewYear: 2021,
  planYear: 2022,
  region: '山西省',
  docType: 'law-based-government-report',
  hash: '0'.repeat(64),
  chars: TEXT.length,
} as DocumentMeta;

/** Paragraphs after the first section heading, each with the heading above it. */
function paragraphs(): Chunk[] {
  const chunks: Chunk[] = [];
  let section = '';
  let offset = 0;
  for (const line of TEXT.split('\n')) {
    const start = offset + (line.length - line.trimStart().length);
    offset += line.length + 1;
    const text = line.trim();
    if (/^[一二三四五六七八九十]、/.test(text)) section = text;
    else if (section && text.length > 40) {
      chunks.push({ id: `c${chunks.length}`, docId: DOC_ID, section, period: 'review', text, start, end: start + text.length, sentences: [], ordinal: chunks.length });
    }
  }
  return chunks;
}

const CHUNKS = paragraphs();

function cite(n: number, figure: string, score = 0.9): Citation {
  const chunk = CHUNKS.find((c) => c.text.includes(figure));
  if (!chunk) throw new Error(`canned engine: no chunk holds ${figure}`);
  const at = chunk.text.indexOf(figure);
  return { n, chunkId: chunk.id, docId: DOC_ID, title: DOC.title, section: chunk.section, text: chunk.text, start: chunk.start, end: chunk.end, score, highlight: { start: at, end: at + figure.length }, year: 2021 };
}

const KNOWN: Array<{ test: (q: string) => boolean; answer: string; figure: string }> = [
  { test: (q) => q.includes('法律咨询'), answer: '2021年，全省为群众免费提供法律咨询46.4万人次。[1]', figure: '46.4万人次' },
  { test: (q) => q.includes('政协提案'), answer: '2021年，省政府办理政协提案870件。[1]', figure: '政协提案870件' },
  { test: (q) => q.includes('人大代表建议'), answer: '2021年，省政府办理人大代表建议811件。[1]', figure: '人大代表建议811件' },
];

/** The canned engine; `asked` records questions with their history. */
export function createCannedEngine(): Engine & { asked: Array<{ question: string; history: string[] }> } {
  const asked: Array<{ question: string; history: string[] }> = [];
  const manifest: Manifest = {
    version: 1,
    builtAt: '2024-01-01T00:00:00.000Z',
    corpusHash: 'canned',
    embedder: { id: 'canned', dimensions: 1 },
    chunking: { maxChars: 400, overlapSentences: 0 },
    counts: { documents: 1, chunks: CHUNKS.length, sentences: 0 },
    documents: [{ docId: DOC_ID, hash: DOC.hash, title: DOC.title }],
  };
  const engine = {
    asked,
    manifest,
    async prepare(question: string, opts: AskOptions = {}) {
      return { answer: await engine.ask(question, opts), passages: [] };
    },
    async ask(question: string, options: AskOptions = {}): Promise<Answer> {
      const q = question.trim();
      if (q === '') throw new AppError('EMPTY_QUESTION');
      asked.push({ question: q, history: options.history ?? [] });
      const hit = KNOWN.find((k) => k.test(q));
      const answer: Answer = hit
        ? { found: true, answer: hit.answer, citations: [cite(1, hit.figure)], mode: 'extractive', question: q }
        : {
            found: false,
            answer: '报告中没有找到与这个问题直接相关的内容。',
            citations: [cite(1, '46.4万人次', 0.2), cite(2, '政协提案870件', 0.1)].map((c) => ({ ...c, highlight: undefined }) as Citation),
            mode: 'extractive',
            question: q,
          };
      for (const piece of answer.answer.match(/.{1,6}/gsu) ?? []) {
        options.onDelta?.(piece);
        await new Promise((r) => setTimeout(r, 15));
      }
      return answer;
    },
    documents: () => [DOC],
    passage(chunkId: string, neighbours = 1): PassageView | null {
      const i = CHUNKS.findIndex((c) => c.id === chunkId);
      if (i < 0) return null;
      return { chunk: CHUNKS[i]!, document: DOC, before: CHUNKS.slice(Math.max(0, i - neighbours), i), after: CHUNKS.slice(i + 1, i + 1 + neighbours) };
    },
    suggestions: (limit = 6) => ['去年山西给老百姓免费做了多少次法律咨询？', '人大代表建议办理了多少件？', '政协提案办理了多少件？'].slice(0, limit),
  };
  return engine;
}
