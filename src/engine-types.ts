/** The contract between the answering core and its transports (server, CLI, widget API). */
import type { Answer, Chunk, DocumentMeta, SourceSpan } from './types.js';
import type { ScoredSentence } from './answer/extractive.js';
import type { QueryAnalysis } from './retrieval/query.js';
import type { DocumentFilters } from './retrieval/scope.js';

export interface AskOptions {
  /** The user's earlier questions in this conversation, oldest first. */
  history?: string[];
  /** Called with successive pieces of the answer text as they are produced. */
  onDelta?: (text: string) => void;
  signal?: AbortSignal;
  /** Documents to leave out (evaluation: a question asked without its report must be refused). */
  exclude?: string[];
  /** Return every candidate with its features and probability (calibration, debugging). */
  explain?: boolean;
}

export interface PassageView {
  chunk: Chunk;
  document: DocumentMeta;
  /** The chunks just before and after, in document order. */
  before: Chunk[];
  after: Chunk[];
}

export interface Manifest {
  version: number;
  /** Version of the ingest pipeline that prepared the documents. */
  pipelineVersion: number;
  builtAt: string;
  corpusHash: string;
  embedder: { id: string; dimensions: number };
  chunking: { maxChars: number; overlapSentences: number };
  counts: { documents: number; chunks: number; sentences: number };
  documents: Array<Pick<DocumentMeta, 'docId' | 'hash' | 'title'>>;
}

/** A retrieved passage as given to a language model: a whole chunk with its document. */
export interface Passage extends SourceSpan {
  year: number | null;
  /** Fused retrieval score in [0, 1]. */
  score: number;
}

/** The extractive answer together with the passages it was chosen from. */
export interface Prepared {
  answer: Answer;
  passages: Passage[];
  /**
   * Which part of the engine decided: the decision model over candidates, a question about
   * the document itself, a plan overview, or a place/year no report covers.
   */
  route: 'model' | 'meta' | 'plan' | 'uncovered' | 'smalltalk';
  /** With `explain`: the analysed question. */
  analysis?: QueryAnalysis | undefined;
  /** With `explain`: the candidate sentences, best first, with features and probabilities. */
  candidates?: ScoredSentence[] | undefined;
}

/** A passage search: how many passages, and which documents (every filter narrows). */
export interface SearchOptions extends DocumentFilters {
  /** Passages returned, best first. @default 5 */
  k?: number;
}

/** One ranked passage of a search, with its document. */
export interface SearchHit extends SourceSpan {
  /** 1 for the best passage. */
  rank: number;
  /** Fused retrieval score: 1 when first in both lists, plus up to 0.25 for repeating the question's wording. */
  score: number;
  /** BM25 score (0 when not found by keywords). */
  bm25: number;
  /** Cosine similarity from the vector search (0 when not found there). */
  similarity: number;
  document: Pick<DocumentMeta, 'docId' | 'title' | 'reportYear' | 'region' | 'docType'>;
}

export interface SearchResult {
  /** The question as searched (normalised). */
  question: string;
  passages: SearchHit[];
  /**
   * Places or years the question names that no document covers (the search then ignores
   * them, as answering does, and such a question is refused when asked).
   */
  uncovered: string[];
}

export interface Engine {
  /**
   * Retrieval and the extractive answer, without streaming: what an LLM answerer builds on
   * (when `answer.found` is false the refusal stands and no model is asked).
   */
  prepare(question: string, options?: Omit<AskOptions, 'onDelta'>): Promise<Prepared>;
  /** Answers one question. Throws AppError (EMPTY_QUESTION, QUESTION_TOO_LONG) for bad input. */
  ask(question: string, options?: AskOptions): Promise<Answer>;
  documents(): DocumentMeta[];
  /** A passage with its neighbours and section, or null when the id is unknown. */
  passage(chunkId: string, neighbours?: number): PassageView | null;
  /**
   * The ranked passages the answer is chosen from, for staff and programs: the same analysis,
   * document scope and hybrid retrieval as ask(). Throws as ask() does for a bad question,
   * and NOT_FOUND for a `doc` filter naming no document.
   */
  search(question: string, options?: SearchOptions): Promise<SearchResult>;
  /** Suggested questions derived from the ingested documents. */
  suggestions(limit?: number): string[];
  readonly manifest: Manifest;
}
