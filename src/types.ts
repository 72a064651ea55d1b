/** The shared vocabulary: documents, chunks, citations and answers (the API contract). */

export interface DocumentMeta {
  /** The file's path relative to the corpus folder, e.g. `shanxi-2021-law-based-government-report.txt`. */
  docId: string;
  title: string;
  /** Information source as the page states it (山西省人民政府, 解放日报…). */
  source: string;
  /** The government that issued the report (山西省人民政府, 国务院…), derived from the region. */
  issuer: string;
  /** ISO date (YYYY-MM-DD) of publication, when known. */
  publishedAt: string | null;
  /** The year the report is about (e.g. 2021 for a 2021 annual report). */
  reportYear: number | null;
  /** The year reviewed by the report's account of work done (去年 for most readers). */
  reviewYear: number | null;
  /** The year the report's plan section is about (今年 in the report's own words). */
  planYear: number | null;
  /** Province or city the report is about, when detected. */
  region: string | null;
  docType: string;
  /**
   * The original's address (http/https), from the sidecar's `sourceUrl` or the scraped
   * page's 原文链接/canonical line; absent when unknown.
   */
  sourceUrl?: string;
  /**
   * When, where and by whom a report was delivered, as its opening lines say
   * (「2026年1月14日在浙江省第十四届人民代表大会第四次会议上 … 省长 刘捷」); absent when they do not.
   */
  delivered?: Delivery;
  /**
   * The years the text states a figure of (a figure written right after the year:
   * 从2020年的3.68万亿元; text/figures.yearsStated), ascending; absent when none.
   */
  statedYears?: number[];
  /** sha256 of the raw file bytes. */
  hash: string;
  /** Length of the cleaned text. */
  chars: number;
}

export interface Delivery {
  /** ISO date (YYYY-MM-DD) of the session, or null. */
  date: string | null;
  /** The session (浙江省第十四届人民代表大会第四次会议), or null. */
  occasion: string | null;
  /** Who delivered it (刘捷), or null. */
  speaker: string | null;
  /** Their office as written (省长, 市长, 国务院总理), or null. */
  role: string | null;
  /** Span of the cleaned text these were read from (for the citation). */
  start: number;
  end: number;
}

/** A section of a document: its heading path, and the span of the cleaned text it covers. */
export interface Section {
  /** Full path, outermost first, e.g. ['七、着力提升法律服务质量,矛盾纠纷化解方式持续改进']. */
  path: string[];
  /** What the section talks about in time: the reviewed year(s) or the plan for the coming year. */
  period: 'review' | 'plan' | 'other';
  start: number;
  end: number;
}

export interface SentenceSpan {
  start: number;
  end: number;
}

export interface Chunk {
  /** Content-derived stable id (hash of docId, section and text). */
  id: string;
  docId: string;
  /** Section path joined with ' > ' (empty for the document title). */
  section: string;
  period: Section['period'];
  /** Exactly `documentText.slice(start, end)`. */
  text: string;
  start: number;
  end: number;
  /** Sentence spans inside the chunk, as document offsets. */
  sentences: SentenceSpan[];
  /** 1-based page for paged formats (PDF). */
  page?: number;
  /** Position of the chunk within its document (0-based). */
  ordinal: number;
  /** `title` for the document's title line (kept out of the search indexes). */
  kind?: 'title';
}

/** A span of a document's cleaned text, as cited or given to a model. */
export interface SourceSpan {
  chunkId: string;
  docId: string;
  title: string;
  section: string;
  /** Exactly `documentText.slice(start, end)`. */
  text: string;
  start: number;
  end: number;
  /** 1-based page for paged formats (PDF). */
  page?: number;
}

export interface Citation extends SourceSpan {
  n: number;
  /** Relevance in [0, 1], higher is better. */
  score: number;
  /** The figure or phrase of the answer inside `text`, for highlighting (offsets into `text`). */
  highlight?: { start: number; end: number };
  year?: number | null;
  /** The document's publication date (YYYY-MM-DD), added by the server for display. */
  publishedAt?: string | null;
  /** The original document's address, when known (see DocumentMeta.sourceUrl). */
  sourceUrl?: string;
}

export type AnswerMode = 'extractive' | 'llm' | 'extractive-fallback' | 'curated';

export interface Answer {
  found: boolean;
  /** Short Chinese answer text with [n] markers matching the citations. */
  answer: string;
  citations: Citation[];
  mode: AnswerMode;
  /** Why the LLM answer was not used (only with mode extractive-fallback). */
  fallbackReason?: string;
  /** The question as normalised. */
  question: string;
  /** The standalone question used for retrieval when a follow-up was resolved. */
  resolvedQuestion?: string;
  /** True when streamed text was replaced by a checked answer. */
  replaced?: boolean;
  /** Small talk answered with the operator's reply (found is false: nothing was looked up in the reports). */
  intent?: 'greeting' | 'thanks' | 'handoff';
}
