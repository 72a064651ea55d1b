/**
 * Sentence-aware chunking for Chinese: 。！？； end sentences (a stop and any closing
 * quote stay with their sentence), sentences are never split — except one longer than
 * four chunks (a page without full stops, not a long sentence), which is cut into chunk-size
 * pieces at a comma or space — chunks never cross paragraphs or sections, and `text.slice(start, end)` equals
 * each chunk. Iterative throughout: a 50 MB report needs no deep stack. Pure.
 */
import { createHash } from 'node:crypto';
import type { Chunk, SentenceSpan } from '../src/types.js';
import type { Structure } from './sections.js';

export interface ChunkOptions {
  /** Sentences are added to a chunk while it stays within this many characters. */
  maxChars: number;
}

export const DEFAULT_CHUNKING: ChunkOptions = { maxChars: 200 };

const SENTENCE = /[^。！？!?；;]*(?:[。！？!?；;]+[”’」』）)]*|$)/g;

/** Sentence spans (document offsets) inside text[start, end). */
export function splitSentences(text: string, start = 0, end = text.length): SentenceSpan[] {
  const spans: SentenceSpan[] = [];
  const slice = text.slice(start, end);
  for (const m of slice.matchAll(SENTENCE)) {
    if (m[0] === '') continue;
    let s = start + (m.index ?? 0);
    let e = s + m[0].length;
    while (s < e && /\s/.test(text[s]!)) s++;
    while (e > s && /\s/.test(text[e - 1]!)) e--;
    if (e > s) spans.push({ start: s, end: e });
  }
  return spans;
}

const SOFT_BREAK = /[，,、：:\s]/;
/** A "sentence" longer than this many chunks is not one: it is cut (see splitLongSpan). */
const LONGEST_SENTENCE_CHUNKS = 4;

/** Cuts a span longer than maxChars into pieces of at most maxChars, at a soft break when there is one. */
export function splitLongSpan(text: string, span: SentenceSpan, maxChars: number): SentenceSpan[] {
  const pieces: SentenceSpan[] = [];
  let start = span.start;
  while (span.end - start > maxChars) {
    let cut = start + maxChars;
    for (let i = cut; i > start + maxChars / 2; i--) {
      if (SOFT_BREAK.test(text[i - 1]!)) {
        cut = i;
        break;
      }
    }
    if ((text.charCodeAt(cut - 1) & 0xfc00) === 0xd800) cut--; // never halve a surrogate pair
    let end = cut;
    while (end > start && /\s/.test(text[end - 1]!)) end--;
    if (end > start) pieces.push({ start, end });
    start = cut;
    while (start < span.end && /\s/.test(text[start]!)) start++;
  }
  if (span.end > start) pieces.push({ start, end: span.end });
  return pieces;
}

export function chunkId(docId: string, section: string, body: string): string {
  return createHash('sha256').update(`${docId}\n${section}\n${body}`).digest('hex').slice(0, 16);
}

export const SECTION_SEPARATOR = ' > ';

export function chunkDocument(
  docId: string,
  text: string,
  structure: Structure,
  options: ChunkOptions = DEFAULT_CHUNKING,
): Chunk[] {
  const chunks: Chunk[] = [];
  const seen = new Map<string, number>();
  const push = (
    sentences: SentenceSpan[],
    section: string,
    period: Chunk['period'],
    kind?: 'title',
  ) => {
    const start = sentences[0]!.start;
    const end = sentences[sentences.length - 1]!.end;
    const body = text.slice(start, end);
    let id = chunkId(docId, section, body);
    const dup = seen.get(id) ?? 0;
    seen.set(id, dup + 1);
    if (dup > 0) id = `${id}-${dup}`;
    const chunk: Chunk = {
      id,
      docId,
      section,
      period,
      text: body,
      start,
      end,
      sentences,
      ordinal: chunks.length,
    };
    if (kind) chunk.kind = kind;
    chunks.push(chunk);
  };
  if (structure.title) {
    const { start, end } = structure.title;
    push([{ start, end }], '', 'other', 'title');
  }
  for (const para of structure.paragraphs) {
    const section = para.path.join(SECTION_SEPARATOR);
    let group: SentenceSpan[] = [];
    for (const whole of splitSentences(text, para.start, para.end)) {
      const pieces =
        whole.end - whole.start > options.maxChars * LONGEST_SENTENCE_CHUNKS
          ? splitLongSpan(text, whole, options.maxChars)
          : [whole];
      for (const sentence of pieces) {
        const groupStart = group[0]?.start ?? sentence.start;
        if (group.length > 0 && sentence.end - groupStart > options.maxChars) {
          push(group, section, para.period);
          group = [];
        }
        group.push(sentence);
      }
    }
    if (group.length > 0) push(group, section, para.period);
  }
  return chunks;
}
