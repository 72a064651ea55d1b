/**
 * LLM answers on top of the extractive engine: `withLlm(engine, config)` returns an Engine
 * whose ask() retrieves with engine.prepare(), streams the model's answer to onDelta, and
 * accepts it only if it passes the checks; otherwise, and whenever the model is slow, down,
 * busy or wrong, the extractive answer is returned (mode extractive-fallback, with the
 * reason, and `replaced` when text was already streamed). Refusals never reach the model.
 * Text is streamed only a checked sentence at a time (createStreamGate), and the question
 * and history are masked (ID-card and phone numbers, e-mail) before they leave the machine.
 */
import type { Config } from '../config.js';
import type { AskOptions, Engine, Passage } from '../engine-types.js';
import { normalizeQuestion } from '../text/normalize.js';
import type { Answer, Citation } from '../types.js';
import { maskPersonalData } from '../text/mask.js';
import { checkAnswer, createMarkerFilter, createStreamGate, unreadable } from './checks.js';
import {
  createCircuitBreaker,
  createLimiter,
  type CircuitBreaker,
  type Limiter,
} from './circuit.js';
import { findFigures } from '../text/figures.js';
import { answerPieces } from './pieces.js';
import {
  answerMessages,
  createChatModelFactory,
  invokeCompletion,
  LlmError,
  rewriteMessages,
  streamCompletion,
  type ChatModelFactory,
  type LlmConfig,
} from './llm.js';

export type LlmEngineConfig = LlmConfig &
  Pick<
    Config,
    | 'LLM_MAX_CONCURRENCY'
    | 'LLM_REWRITE_FOLLOWUPS'
    | 'LLM_CIRCUIT_FAILURES'
    | 'LLM_CIRCUIT_COOLDOWN_MS'
    | 'MAX_QUESTION_CHARS'
    | 'MAX_HISTORY'
  >;

/** The part of a pino logger this module uses. */
export interface LlmLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

export interface WithLlmOptions {
  /** @default createChatModelFactory(config) */
  model?: ChatModelFactory;
  /** @default a logger that drops everything */
  logger?: LlmLogger;
  /** Clock of the circuit breaker. @default Date.now */
  now?: () => number;
  /** @default createCircuitBreaker from LLM_CIRCUIT_FAILURES / LLM_CIRCUIT_COOLDOWN_MS */
  circuit?: CircuitBreaker;
  /** @default createLimiter({ max: LLM_MAX_CONCURRENCY }) */
  limiter?: Limiter;
  /** Masks personal data in what the model is sent (question, history). @default maskPersonalData */
  mask?: (text: string) => string;
  /** The deadline of one model call, a signal that aborts after `ms`. @default AbortSignal.timeout */
  deadline?: (ms: number) => AbortSignal;
}

const SILENT: LlmLogger = { info: () => {}, warn: () => {} };
const MARKERS = /\[\d+\]/g;

function toCitation(p: Passage, n: number, answer: string): Citation {
  const citation: Citation = { ...p, n }; // a Passage is a SourceSpan with year and score, as a Citation
  // Highlight the first figure of the answer that the passage holds as written.
  for (const f of findFigures(answer)) {
    const at = p.text.indexOf(f.raw);
    if (at >= 0) {
      citation.highlight = { start: at, end: at + f.raw.length };
      break;
    }
  }
  return citation;
}

/** The model's rewrite as a question, or null when it is not usable. */
function cleanRewrite(text: string, maxChars: number): string | null {
  const line = text
    .trim()
    .split('\n')[0]!
    .replace(/^(?:改写后的问题|问题)[:：]\s*/, '')
    .replace(/^["“「'‘]+|["”」'’]+$/g, '')
    .trim();
  if (line === '' || [...line].length > maxChars || unreadable(line)) return null;
  return line;
}

/** Wraps an engine so that ask() answers with the configured model, checked, with fallback. */
export function withLlm(
  engine: Engine,
  config: LlmEngineConfig,
  options: WithLlmOptions = {},
): Engine {
  const model = options.model ?? createChatModelFactory(config);
  const log = options.logger ?? SILENT;
  const circuit =
    options.circuit ??
    createCircuitBreaker({
      failureThreshold: config.LLM_CIRCUIT_FAILURES,
      cooldownMs: config.LLM_CIRCUIT_COOLDOWN_MS,
      ...(options.now ? { now: options.now } : {}),
    });
  const limiter = options.limiter ?? createLimiter({ max: config.LLM_MAX_CONCURRENCY });
  const mask = options.mask ?? maskPersonalData;
  const who = { provider: config.LLM_PROVIDER, model: config.LLM_MODEL };

  /** Runs one model call under the circuit, the concurrency cap and the deadline. */
  async function call<T>(
    caller: AbortSignal | undefined,
    run: (signals: { signal: AbortSignal; deadline: AbortSignal }) => Promise<T>,
  ): Promise<T> {
    if (!circuit.tryAcquire())
      throw new LlmError('circuit-open', 'the circuit is open after repeated failures');
    const deadline = (options.deadline ?? AbortSignal.timeout.bind(AbortSignal))(
      config.LLM_TIMEOUT_MS,
    );
    const signal = caller ? AbortSignal.any([deadline, caller]) : deadline;
    const release = await limiter.acquire(signal);
    if (!release) {
      circuit.release();
      throw new LlmError(caller?.aborted ? 'aborted' : 'busy', 'no free model slot');
    }
    try {
      const result = await run({ signal, deadline });
      circuit.success();
      return result;
    } catch (error) {
      const reason = error instanceof LlmError ? error.reason : 'model-error';
      if (reason === 'aborted') circuit.release();
      else circuit.failure();
      throw error;
    } finally {
      release();
    }
  }

  async function rewrite(
    question: string,
    history: string[],
    caller: AbortSignal | undefined,
  ): Promise<string | null> {
    try {
      const text = await call(caller, ({ signal, deadline }) =>
        invokeCompletion(model(signal), rewriteMessages(mask(question), history.map(mask)), {
          signal,
          deadline,
          ...(caller ? { callerSignal: caller } : {}),
        }),
      );
      const cleaned = cleanRewrite(text, config.MAX_QUESTION_CHARS);
      if (!cleaned)
        log.warn(
          { ...who, reason: 'unusable-rewrite' },
          'follow-up rewrite unusable: offline handling used',
        );
      return cleaned;
    } catch (error) {
      const reason = error instanceof LlmError ? error.reason : 'model-error';
      log.warn(
        { ...who, reason, err: error instanceof Error ? error.message : String(error) },
        'follow-up rewrite failed: offline handling used',
      );
      return null;
    }
  }

  async function ask(question: string, askOptions: AskOptions = {}): Promise<Answer> {
    const { onDelta, signal: caller } = askOptions;
    const history = askOptions.history ?? [];
    const q = normalizeQuestion(question, { maxChars: config.MAX_QUESTION_CHARS });
    const base = { history, ...(caller ? { signal: caller } : {}) };

    let prepared = null;
    const recent = config.MAX_HISTORY > 0 ? history.slice(-config.MAX_HISTORY) : [];
    if (config.LLM_REWRITE_FOLLOWUPS && recent.length > 0) {
      const standalone = await rewrite(q, recent, caller);
      if (standalone && standalone !== q) {
        const attempt = await engine.prepare(standalone, base);
        // The offline follow-up handling stays the fallback when the rewrite finds nothing.
        if (attempt.answer.found)
          prepared = {
            ...attempt,
            answer: { ...attempt.answer, question: q, resolvedQuestion: standalone },
          };
      }
    }
    prepared ??= await engine.prepare(q, base);
    const extractive = prepared.answer;
    const streamExtractive = () => {
      if (onDelta) for (const piece of answerPieces(extractive.answer)) onDelta(piece);
    };
    // Nothing relevant retrieved (or a question about the report itself): the model is not asked.
    if (!extractive.found || prepared.passages.length === 0) {
      streamExtractive();
      return extractive;
    }

    const passages = prepared.passages;
    const started = performance.now();
    let streamed = '';
    // Only checked sentences reach the reader: an invented figure or a planted phone number is never shown.
    const gate = createStreamGate(passages);
    const emit = (text: string) => {
      if (!text) return;
      streamed += text;
      onDelta?.(text);
    };
    const fallback = (reason: string, detail: string): Answer => {
      log.warn(
        {
          ...who,
          reason,
          detail,
          latencyMs: Math.round(performance.now() - started),
          streamedChars: streamed.length,
        },
        'llm answer not used: extractive fallback',
      );
      if (streamed === '') streamExtractive();
      return {
        ...extractive,
        mode: 'extractive-fallback',
        fallbackReason: reason,
        ...(streamed ? { replaced: true } : {}),
      };
    };

    const asked = extractive.resolvedQuestion ?? q;
    let text: string;
    try {
      const completion = await call(caller, ({ signal, deadline }) =>
        streamCompletion(
          model(signal),
          answerMessages(
            mask(asked),
            passages,
            (extractive.resolvedQuestion ? [] : recent).map(mask),
          ),
          {
            signal,
            deadline,
            ...(caller ? { callerSignal: caller } : {}),
            onToken: (token) => emit(gate.push(token)),
          },
        ),
      );
      text = completion.text;
      if (completion.finishReason === 'length') {
        // Cut by LLM_MAX_TOKENS: keep the complete sentences.
        const end = Math.max(
          text.lastIndexOf('。'),
          text.lastIndexOf('！'),
          text.lastIndexOf('？'),
        );
        if (end < 0)
          return fallback(
            'truncated',
            'the answer hit LLM_MAX_TOKENS before its first sentence ended',
          );
        text = text.slice(0, end + 1);
      }
    } catch (error) {
      const reason = error instanceof LlmError ? error.reason : 'model-error';
      return fallback(reason, error instanceof Error ? error.message : String(error));
    }

    if (gate.failure) return fallback(gate.failure.reason, gate.failure.detail);
    // Reasoning models (e.g. qwen3 on Ollama) may put their thinking in the content.
    const visible = text.replace(/<think>[\s\S]*?<\/think>/g, '');
    const checked = checkAnswer(visible, passages);
    if (!checked.ok) {
      // Empty or garbled output is the model server misbehaving: it counts towards the circuit.
      if (checked.reason === 'empty' || checked.reason === 'garbled') circuit.failure();
      return fallback(checked.reason, checked.detail);
    }
    // The whole answer passed: release what the gate still held (the last sentence).
    const markers = createMarkerFilter(passages.length);
    const shown = markers.push(visible) + markers.flush();
    if (shown.startsWith(streamed)) emit(shown.slice(streamed.length));
    if (checked.removedMarkers.length > 0) {
      log.info(
        { ...who, removed: checked.removedMarkers },
        'llm answer: unknown citation markers removed',
      );
    }
    const strip = (s: string) => s.replace(MARKERS, '').trim();
    const answer: Answer = {
      found: true,
      answer: checked.text,
      citations: checked.cited.map((i, k) => toCitation(passages[i]!, k + 1, checked.text)),
      mode: 'llm',
      question: extractive.question,
      ...(extractive.resolvedQuestion ? { resolvedQuestion: extractive.resolvedQuestion } : {}),
      ...(streamed && strip(streamed) !== strip(checked.text) ? { replaced: true } : {}),
    };
    log.info(
      {
        ...who,
        latencyMs: Math.round(performance.now() - started),
        citations: answer.citations.length,
      },
      'llm answer accepted',
    );
    return answer;
  }

  return {
    ask,
    prepare: (question, prepareOptions) => engine.prepare(question, prepareOptions),
    documents: () => engine.documents(),
    passage: (chunkId, neighbours) => engine.passage(chunkId, neighbours),
    suggestions: (limit) => engine.suggestions(limit),
    search: (question, searchOptions) => engine.search(question, searchOptions),
    get manifest() {
      return engine.manifest;
    },
  };
}
