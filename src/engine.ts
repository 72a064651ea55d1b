/**
 * The answering core behind every transport: loads the index, then for each question
 * normalises → analyses (follow-ups, synonyms, dates) → retrieves (hybrid) → answers
 * (extractive) → streams the text to onDelta. Also ensures the index exists and is fresh.
 */
import type { Config } from './config.js';
import { AppError } from './errors.js';
import {
  composeAnswer,
  composeMetaAnswer,
  composePlanAnswer,
  composeUncovered,
  isPlanOverview,
} from './answer/compose.js';
import { loadDecisionModel, type DecisionModel } from './answer/decision.js';
import { scoreSentences, type DocText } from './answer/extractive.js';
import { neighbourFigure, withoutYears } from './answer/neighbour-year.js';
import { answerPieces } from './answer/pieces.js';
import { suggestQuestions } from './answer/suggest.js';
import type {
  AskOptions,
  Engine,
  Manifest,
  Passage,
  PassageView,
  Prepared,
  SearchOptions,
  SearchResult,
} from './engine-types.js';
import { createEmbedder, type Embedder } from './embeddings/index.js';
import { buildInChild } from './admin/ingest-child.js';
import { hasIndex, loadIndex, type StoredDocument } from './index-store.js';
import type { HNSWLib } from '@langchain/community/vectorstores/hnswlib';
import type { KeywordIndexData } from './retrieval/keyword.js';
import { HybridSearch } from './retrieval/hybrid.js';
import { KeywordIndex, linkableWords } from './retrieval/keyword.js';
import { searchText } from './retrieval/search-text.js';
import { headWord, linkByOrder, wordList, type WordList } from './retrieval/char-order.js';

import { addForms, analyzeQuestion, type QueryAnalysis } from './retrieval/query.js';
import { DocumentCatalog } from './retrieval/scope.js';
import { loadLexicon, type Lexicon } from './text/lexicon.js';
import { normalizeQuestion } from './text/normalize.js';
import { generalIdf } from './text/idf.js';
import { cutWords } from './text/tokenize.js';
import type { Answer, Chunk, DocumentMeta } from './types.js';

export type EngineConfig = Pick<
  Config,
  | 'CORPUS_DIR'
  | 'INDEX_DIR'
  | 'LEXICON_FILE'
  | 'MAX_QUESTION_CHARS'
  | 'MAX_HISTORY'
  | 'RETRIEVAL_K'
  | 'EMBEDDINGS_PROVIDER'
  | 'EMBEDDINGS_BASE_URL'
  | 'EMBEDDINGS_API_KEY'
  | 'EMBEDDINGS_MODEL'
  | 'EMBEDDINGS_BATCH_SIZE'
  | 'INGEST_MAX_UNCOMPRESSED_BYTES'
  | 'INGEST_MAX_PARAGRAPHS'
  | 'INGEST_MAX_PDF_PAGES'
>;

/** The short replies to small talk (the operator's settings, or the built-in defaults). */
export interface SmallTalkReplies {
  greeting: string;
  thanks: string;
  handoff: string;
}

export const DEFAULT_REPLIES: SmallTalkReplies = {
  greeting:
    '您好！我可以回答已收录报告中的问题，例如某项工作的数字、进展和计划，并给出原文出处。请直接输入您的问题。',
  thanks: '不客气！如果还有其他问题，可以继续问我。',
  handoff: '我是自动问答服务，不能转接人工。如需人工服务，请拨打当地政务服务便民热线12345。',
};

export interface LoadEngineOptions {
  /** Replies to greetings, thanks and hand-off requests, read at each question (settings may change). @default DEFAULT_REPLIES */
  replies?: () => SmallTalkReplies;
  embedder?: Embedder;
  lexicon?: Lexicon;
  /** The answer decision model (default: the committed decision-model.json). */
  model?: DecisionModel;
}

function toPassage(chunk: Chunk, meta: DocumentMeta, score: number): Passage {
  const p: Passage = {
    chunkId: chunk.id,
    docId: chunk.docId,
    title: meta.title,
    section: chunk.section,
    text: chunk.text,
    start: chunk.start,
    end: chunk.end,
    year: meta.reportYear,
    score: Number(score.toFixed(3)),
  };
  if (chunk.page !== undefined) p.page = chunk.page;
  return p;
}

export async function loadEngine(
  config: EngineConfig,
  options: LoadEngineOptions = {},
): Promise<Engine> {
  const embedder = options.embedder ?? createEmbedder(config);
  const index = await loadIndex(config.INDEX_DIR, {
    embeddings: embedder.embeddings,
    embedderId: embedder.id,
  });
  return createEngine(config, { ...index, embedder }, options);
}

export interface EngineParts {
  manifest: Manifest;
  documents: StoredDocument[];
  chunks: Chunk[];
  keyword: KeywordIndexData;
  store: HNSWLib | null;
  embedder: Embedder;
  /** Every chunk's vector, row i for chunk i (lets narrow searches rank exactly; see HybridSearch). */
  vectors?: Float32Array;
}

/** The engine over an index already in memory (loadEngine reads one from INDEX_DIR). */
export function createEngine(
  config: Pick<EngineConfig, 'LEXICON_FILE' | 'MAX_QUESTION_CHARS' | 'MAX_HISTORY' | 'RETRIEVAL_K'>,
  index: EngineParts,
  options: LoadEngineOptions = {},
): Engine {
  const { embedder } = index;
  const lexicon = options.lexicon ?? loadLexicon(config.LEXICON_FILE);
  const { chunks, manifest } = index;
  const docs = new Map<string, DocText>(index.documents.map((d) => [d.meta.docId, d]));
  const catalog = new DocumentCatalog(index.documents.map((d) => d.meta));
  const byId = new Map<string, number>(chunks.map((c, i) => [c.id, i]));
  const titleChunk = new Map<string, string>();
  for (const c of chunks) if (c.kind === 'title') titleChunk.set(c.docId, c.id);
  const keyword = new KeywordIndex(index.keyword);
  /** The text chunk i is indexed by (the keyword index's document i). */
  const indexedText = (i: number) => {
    const chunk = chunks[i]!;
    return searchText(chunk, docs.get(chunk.docId)?.meta.title);
  };
  let words: WordList | undefined;
  const corpusWords = () =>
    (words ??= wordList(linkableWords(index.keyword), (w) => keyword.df(`w:${w}`)));
  // Chunks of each report's plan section, newest report first (for plan overviews without a topic).
  const reportYear = (c: Chunk) => docs.get(c.docId)?.meta.reportYear ?? 0;
  const planChunks = chunks
    .filter((c) => c.period === 'plan' && c.kind !== 'title')
    .sort((a, b) => reportYear(b) - reportYear(a));
  const search = new HybridSearch({
    chunks,
    keyword,
    store: index.store,
    embeddings: embedder.embeddings,
    ...(index.vectors ? { vectors: index.vectors } : {}),
  });
  const model = options.model ?? loadDecisionModel();
  const suggestions = suggestQuestions(chunks, docs);
  // Load the word-rarity table and the segmenter now, not on the first citizen's question.
  generalIdf('');
  cutWords('预热');

  const normalizeHistory = (history: unknown): string[] => {
    if (!Array.isArray(history)) return [];
    return history
      .filter((h): h is string => typeof h === 'string')
      .slice(-config.MAX_HISTORY)
      .flatMap((h) => {
        try {
          return [normalizeQuestion(h, { maxChars: config.MAX_QUESTION_CHARS })];
        } catch {
          return [];
        }
      });
  };

  const replies = options.replies ?? (() => DEFAULT_REPLIES);

  async function answer(
    analysis: QueryAnalysis,
    exclude: ReadonlySet<string>,
    explain: boolean,
  ): Promise<Prepared> {
    if (analysis.intent && !analysis.isFollowUp) {
      const text = replies()[analysis.intent] || DEFAULT_REPLIES[analysis.intent];
      const reply = {
        found: false,
        answer: text,
        citations: [],
        mode: 'extractive' as const,
        question: analysis.question,
        intent: analysis.intent,
      };
      return { answer: reply, passages: [], route: 'smalltalk' };
    }
    for (const c of analysis.concepts) {
      // No passage holds it as written: link it to corpus words holding its characters in order.
      if (!c.vague && !c.forms.some((f) => keyword.holdsPhrase(f, indexedText))) {
        addForms(analysis, c, linkByOrder(c.text, corpusWords()));
        // Still no corpus word: the compound's head stands for it, weighing as the head does.
        const head = c.forms.length === 1 ? headWord(c.text, (w) => keyword.hasWord(w)) : null;
        if (head !== null) {
          addForms(analysis, c, [head]);
          c.weight *= Math.min(1, generalIdf(head) / generalIdf(c.text));
        }
      }
      c.known = c.forms.some((f) => keyword.holds(f));
      c.corpusWeight = c.known ? Math.max(...c.forms.map((f) => keyword.rarity(f))) : 0;
    }
    const inScope = catalog.scope(analysis);
    const scope =
      exclude.size === 0
        ? inScope
        : {
            ...inScope,
            restricted: true,
            allows: (id: string) => !exclude.has(id) && inScope.allows(id),
            denied: new Set([...inScope.denied, ...exclude]),
          };
    if (analysis.meta) {
      // One report named (or only one ingested): its metadata; otherwise each report's.
      const ids = catalog.reportsAsked(analysis, scope);
      const metaDocs = ids.slice(0, 5).flatMap((id) => docs.get(id) ?? []);
      if (metaDocs.length > 0) {
        return {
          answer: composeMetaAnswer(
            analysis,
            metaDocs,
            (id) => titleChunk.get(id) ?? null,
            ids.length,
          ),
          passages: [],
          route: 'meta',
        };
      }
    }
    const allowed =
      scope.restricted && (scope.uncovered.length === 0 || exclude.size > 0) ? scope : null;
    if (scope.uncovered.length === 0 && isPlanOverview(analysis)) {
      // The plan sections themselves, newest reports first, at most three reports.
      const docIds = [
        ...new Set(
          planChunks.filter((c) => !allowed || allowed.allows(c.docId)).map((c) => c.docId),
        ),
      ].slice(0, 3);
      const retrieved = planChunks
        .filter((c) => docIds.includes(c.docId))
        .map((chunk) => ({ chunk, score: 1, similarity: 0, bm25: 0 }));
      const passages = retrieved.map((r) =>
        toPassage(r.chunk, docs.get(r.chunk.docId)!.meta, r.score),
      );
      return {
        answer: composePlanAnswer(
          analysis,
          scoreSentences(analysis, retrieved, docs, catalog, model),
        ),
        passages,
        route: 'plan',
      };
    }
    // The question as typed, expanded with its concepts, synonyms and history.
    const retriever = search.asRetriever({
      k: config.RETRIEVAL_K,
      expansions: analysis.phrases,
      ...(allowed ? { deny: allowed.denied } : {}),
    });
    const retrieved = (await retriever.invoke(analysis.question)).map((doc) => ({
      chunk: chunks[byId.get(doc.metadata.chunkId)!]!,
      score: doc.metadata.score,
      similarity: doc.metadata.similarity,
      bm25: doc.metadata.bm25,
    }));
    const scored = scoreSentences(analysis, retrieved, docs, catalog, model);
    const passages = retrieved.map((r) =>
      toPassage(r.chunk, docs.get(r.chunk.docId)!.meta, r.score),
    );
    const candidates = explain ? scored : undefined;
    const explained = explain ? { analysis } : {};
    if (scope.uncovered.length > 0 && exclude.size === 0) {
      // Only a year is uncovered: a neighbouring year's figure may be shown, labelled as such.
      const askedYears = analysis.time.years.filter((y) => !scope.coveredYears.includes(y));
      const onlyYears = askedYears.length > 0 && scope.uncovered.length === askedYears.length;
      const neighbour = onlyYears
        ? neighbourFigure(
            analysis,
            askedYears,
            scoreSentences(withoutYears(analysis), retrieved, docs, catalog, model),
            model.threshold,
          )
        : null;
      return {
        answer: composeUncovered(analysis, scored, scope.uncovered, scope.coveredYears, neighbour),
        passages,
        route: 'uncovered',
        candidates,
        ...explained,
      };
    }
    const composed = composeAnswer(analysis, scored, {
      threshold: model.threshold,
      ...(model.alongside !== undefined ? { alongside: model.alongside } : {}),
      documentCount: docs.size,
    });
    return { answer: composed, passages, route: 'model', candidates, ...explained };
  }

  async function prepare(
    question: string,
    askOptions: Omit<AskOptions, 'onDelta'> = {},
  ): Promise<Prepared> {
    const q = normalizeQuestion(question, { maxChars: config.MAX_QUESTION_CHARS });
    const analysis = analyzeQuestion(q, { lexicon, history: normalizeHistory(askOptions.history) });
    return answer(analysis, new Set(askOptions.exclude ?? []), askOptions.explain === true);
  }

  return {
    manifest,
    prepare,
    async ask(question: string, askOptions: AskOptions = {}): Promise<Answer> {
      const { answer: result } = await prepare(question, askOptions);
      if (askOptions.onDelta)
        for (const piece of answerPieces(result.answer)) askOptions.onDelta(piece);
      return result;
    },
    documents: () => index.documents.map((d) => d.meta),
    passage(chunkId: string, neighbours = 1): PassageView | null {
      const i = byId.get(chunkId);
      if (i === undefined) return null;
      const chunk = chunks[i]!;
      const doc = docs.get(chunk.docId)!;
      const same = (c: Chunk | undefined): c is Chunk =>
        !!c && c.docId === chunk.docId && c.kind !== 'title';
      const before = chunks.slice(Math.max(0, i - neighbours), i).filter(same);
      const after = chunks.slice(i + 1, i + 1 + neighbours).filter(same);
      return { chunk, document: doc.meta, before, after };
    },
    suggestions: (limit = 6) => suggestions.slice(0, limit),
    search: (question, searchOptions = {}) => searchPassages(question, searchOptions),
  };

  async function searchPassages(question: string, options: SearchOptions): Promise<SearchResult> {
    const q = normalizeQuestion(question, { maxChars: config.MAX_QUESTION_CHARS });
    const analysis = analyzeQuestion(q, { lexicon });
    // The question's own places and years narrow as when answering; the caller's filters too.
    const scope = catalog.scope(analysis);
    const own = scope.restricted && scope.uncovered.length === 0 ? scope.denied : null;
    if (options.doc !== undefined && !catalog.has(options.doc))
      throw new AppError('NOT_FOUND', {
        message: '没有这个文档，请检查 doc 参数（文档编号见 /api/documents）。',
        detail: `doc: ${options.doc.slice(0, 80)}`,
      });
    const filter = catalog.filter(options);
    const retriever = search.asRetriever({
      k: options.k ?? DEFAULT_SEARCH_K,
      expansions: analysis.phrases,
      ...(own ? { deny: own } : {}),
      ...(filter ? { allow: (c: Chunk) => filter(c.docId) } : {}),
    });
    const hits = await retriever.invoke(q);
    return {
      question: q,
      uncovered: scope.uncovered,
      passages: hits.map((hit, i) => {
        const chunk = chunks[byId.get(hit.metadata.chunkId)!]!;
        const meta = docs.get(chunk.docId)!.meta;
        const { year: _year, ...span } = toPassage(chunk, meta, hit.metadata.score);
        return {
          ...span,
          rank: i + 1,
          bm25: Number(hit.metadata.bm25.toFixed(3)),
          similarity: Number(hit.metadata.similarity.toFixed(3)),
          document: {
            docId: meta.docId,
            title: meta.title,
            reportYear: meta.reportYear,
            region: meta.region,
            docType: meta.docType,
          },
        };
      }),
    };
  }
}

/** Passages a search returns when the caller does not say. */
export const DEFAULT_SEARCH_K = 5;

export interface EnsureIndexLog {
  info(message: string): void;
}

/**
 * Builds the index when it is missing or when the corpus changed since it was built, in
 * the ingest child process (the serving process never imports ingest/). An index built
 * with another embedder is not rebuilt silently: loading it fails with INDEX_MISMATCH,
 * which says to run npm run ingest.
 */
export async function ensureIndex(
  config: EngineConfig & { INGEST_MAX_OLD_SPACE_MB?: number; INGEST_NICENESS?: number },
  log: EnsureIndexLog = { info: () => {} },
): Promise<void> {
  if (!hasIndex(config.INDEX_DIR)) log.info('索引不存在，正在构建…');
  const report = await buildInChild(
    {
      corpusDir: config.CORPUS_DIR,
      indexDir: config.INDEX_DIR,
      embedder: config,
      batchSize: config.EMBEDDINGS_BATCH_SIZE,
      onlyIfStale: true,
    },
    {
      ...(config.INGEST_MAX_OLD_SPACE_MB ? { maxOldSpaceMb: config.INGEST_MAX_OLD_SPACE_MB } : {}),
      ...(config.INGEST_NICENESS !== undefined ? { niceness: config.INGEST_NICENESS } : {}),
    },
  );
  if (report)
    log.info(
      `索引已更新：${report.documents} 个文档，${report.chunks} 个段落，失败 ${report.failed.length} 个`,
    );
}
