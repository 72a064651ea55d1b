/**
 * The one path every transport takes to answer a question: edge checks, the engine,
 * the question log, and the count of answers in flight that a graceful shutdown waits for.
 */
import { randomUUID } from 'node:crypto';
import { AppError } from '../errors.js';
import { checkQuestion } from '../text/question-check.js';
import type { Engine } from '../engine-types.js';
import type { Answer, DocumentMeta } from '../types.js';
import { createAnswerCache, sharedAnswerKey, type SharedAnswers } from './answer-cache.js';
import type { LogStore } from './log-store.js';
import type { Logger } from './logger.js';
import { maskPersonalData } from '../text/mask.js';
import type { AnswerWithId } from './protocol.js';

export interface AskRequest {
  question: string;
  history?: string[];
  sessionId?: string;
  transport: 'http' | 'sse' | 'ws';
  /** Called once the question passed the checks, before the engine starts. */
  onStart?: (messageId: string) => void;
  /** Pieces of the answer text as the engine produces them. */
  onDelta?: (text: string) => void;
  /** Aborts the engine's work (e.g. the client went away). */
  signal?: AbortSignal;
  /** Logger bound to the request, when there is one. */
  log?: Logger;
}

export interface AskService {
  ask(request: AskRequest): Promise<AnswerWithId>;
  /** Makes new questions fail with SHUTTING_DOWN. */
  stopAccepting(): void;
  /** Resolves when no answer is in flight, or after `timeoutMs`; true when drained. */
  drain(timeoutMs: number): Promise<boolean>;
  readonly inFlight: number;
}

export interface AskServiceOptions {
  /** Returns the engine, or null while the index is still loading. */
  engine: () => Engine | null;
  store: LogStore;
  logger: Logger;
  maxQuestionChars: number;
  /** Answers kept for repeated questions (see answer-cache.ts); 0 = off. @default 0 */
  cacheSize?: number;
  /** The answer cache shared by replicas (second level; with cacheSize > 0). @default none */
  sharedAnswers?: SharedAnswers;
  /**
   * What an engine answers from, the same on every replica (index version, synonyms,
   * curated answers, settings); undefined: its answers are not shared. @default none
   */
  engineScope?: (engine: Engine) => string | undefined;
  /** @default performance.now (latency) */
  now?: () => number;
  /** @default Date.now (log timestamps) */
  clock?: () => number;
  /** @default randomUUID */
  newId?: () => string;
}

/** Per engine, each document's date and address, for the citations people check. */
const documentInfo = new WeakMap<
  Engine,
  Map<string, Pick<DocumentMeta, 'publishedAt' | 'sourceUrl'>>
>();

/** The answer with each citation's document date and original address (when known) added. */
export function withDocumentInfo(answer: Answer, engine: Engine): Answer {
  if (answer.citations.length === 0) return answer;
  let docs = documentInfo.get(engine);
  if (!docs) {
    docs = new Map(
      engine
        .documents()
        .map((d) => [
          d.docId,
          { publishedAt: d.publishedAt, ...(d.sourceUrl ? { sourceUrl: d.sourceUrl } : {}) },
        ]),
    );
    documentInfo.set(engine, docs);
  }
  const info = docs;
  return { ...answer, citations: answer.citations.map((c) => ({ ...c, ...info.get(c.docId) })) };
}

/** Builds the ask service. */
export function createAskService(options: AskServiceOptions): AskService {
  const now = options.now ?? (() => performance.now());
  const clock = options.clock ?? Date.now;
  const newId = options.newId ?? randomUUID;
  let accepting = true;
  const running = new Set<Promise<unknown>>();
  const cacheSize = options.cacheSize ?? 0;
  const shared = options.sharedAnswers;
  let cache = createAnswerCache(cacheSize);
  // Answers hold for one engine: a new index, synonym or curated answer empties the cache.
  let cachedFor: Engine | null = null;

  /** The engine's answer, or the cached one replayed through onDelta. */
  async function compute(
    request: AskRequest,
    engine: Engine,
  ): Promise<{ result: Answer; cached: boolean }> {
    const history = request.history ?? [];
    if (engine !== cachedFor) {
      cache = createAnswerCache(cacheSize);
      cachedFor = engine;
    }
    let hit = cache.get(request.question, history);
    const scope = shared && cacheSize > 0 ? options.engineScope?.(engine) : undefined;
    const sharedKey = scope && shared ? sharedAnswerKey(scope, request.question, history) : null;
    if (!hit && sharedKey && shared) {
      hit = await shared.get(sharedKey);
      if (hit) cache.set(request.question, history, hit);
    }
    if (hit) {
      for (const piece of hit.deltas) request.onDelta?.(piece);
      return { result: hit.answer, cached: true };
    }
    const deltas: string[] = [];
    const result = await engine.ask(request.question, {
      history,
      onDelta: (text) => {
        deltas.push(text);
        request.onDelta?.(text);
      },
      ...(request.signal ? { signal: request.signal } : {}),
    });
    // A fallback says the model was slow or down just now: ask again next time.
    if (result.mode !== 'extractive-fallback') {
      cache.set(request.question, history, { answer: result, deltas });
      if (sharedKey && shared) shared.set(sharedKey, { answer: result, deltas });
    }
    return { result, cached: false };
  }

  async function answer(request: AskRequest, engine: Engine): Promise<AnswerWithId> {
    const messageId = newId();
    // No child logger per answer: the message id goes into the fields (it is cheaper).
    const log = request.log ?? options.logger;
    const started = now();
    request.onStart?.(messageId);
    const { result, cached } = await compute(request, engine);
    const latencyMs = now() - started;
    options.store.recordQuestion({
      messageId,
      at: clock(),
      sessionId: request.sessionId ?? null,
      transport: request.transport,
      question: result.question || request.question, // the store masks it
      found: result.found,
      citedChunkIds: result.citations.map((c) => c.chunkId),
      latencyMs,
      mode: result.mode,
    });
    log.info(
      {
        messageId,
        transport: request.transport,
        cached,
        found: result.found,
        citations: result.citations.length,
        mode: result.mode,
        latencyMs: Math.round(latencyMs),
      },
      'answered',
    );
    if (log.isLevelEnabled('debug'))
      log.debug({ messageId, question: maskPersonalData(request.question) }, 'question');
    return { ...withDocumentInfo(result, engine), messageId };
  }

  return {
    async ask(request) {
      if (!accepting) throw new AppError('SHUTTING_DOWN');
      checkQuestion(request.question, options.maxQuestionChars);
      const engine = options.engine();
      if (!engine) throw new AppError('INDEX_NOT_READY');
      const work = answer(request, engine);
      running.add(work);
      try {
        return await work;
      } finally {
        running.delete(work);
      }
    },
    stopAccepting() {
      accepting = false;
    },
    async drain(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (running.size > 0) {
        const left = deadline - Date.now();
        if (left <= 0) return false;
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<void>((resolve) => {
          timer = setTimeout(resolve, left);
        });
        await Promise.race([Promise.allSettled([...running]), timeout]);
        clearTimeout(timer);
      }
      return true;
    },
    get inFlight() {
      return running.size;
    },
  };
}
