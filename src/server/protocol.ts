/**
 * The wire format: zod schemas for every client frame and request body, and the types of
 * the frames the server sends. WebSocket and SSE share the server frames.
 */
import { z } from 'zod';
import { AppError, type ErrorCode } from '../errors.js';
import type { Answer } from '../types.js';

/** A client-chosen id that ties server frames to the question they answer. */
const frameId = z.string().min(1).max(64);
/** Earlier questions of the conversation, oldest first; the server keeps none itself. */
const history = z.array(z.string().max(2000)).max(50);
/** Optional client session id, used only for the per-session rate limit and the log. */
const sessionId = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,128}$/, 'sessionId: 1–128 letters, digits, _ or -');

// `question` is only type-checked here: its length gets its own code (QUESTION_TOO_LONG)
// from the ask service, so that every transport reports it the same way.
const askFields = {
  question: z.string(),
  history: history.optional(),
  sessionId: sessionId.optional(),
};

export const askFrameSchema = z.strictObject({ type: z.literal('ask'), id: frameId, ...askFields });
export const pingFrameSchema = z.strictObject({ type: z.literal('ping'), id: frameId.optional() });

export type AskFrame = z.infer<typeof askFrameSchema>;
export type PingFrame = z.infer<typeof pingFrameSchema>;
export type ClientFrame = AskFrame | PingFrame;

/** Body of POST /api/ask and POST /api/ask/stream. */
export const askBodySchema = z.strictObject(askFields);
export type AskBody = z.infer<typeof askBodySchema>;

/** Body of POST /api/feedback. */
export const feedbackBodySchema = z.strictObject({
  messageId: z.string().min(1).max(64),
  rating: z.enum(['up', 'down']),
  comment: z.string().max(1000).optional(),
});
export type FeedbackBody = z.infer<typeof feedbackBodySchema>;

/** The answer object every transport returns: the engine's Answer plus the log's message id. */
export type AnswerWithId = Answer & { messageId: string };

/** An error frame: the question (or frame) `id` failed with `code`; `message` is for people. */
export interface ErrorFrame {
  type: 'error';
  id?: string;
  code: ErrorCode;
  message: string;
}

/**
 * Every frame the server sends, on the WebSocket and (as SSE events) on POST /api/ask/stream.
 * The widget imports this type (web/src/types.ts): there is one definition of the wire.
 */
export type ServerFrame =
  | { type: 'answer.start'; id: string; messageId: string }
  | { type: 'answer.delta'; id: string; seq: number; text: string }
  | { type: 'answer.done'; id: string; answer: AnswerWithId }
  | ErrorFrame
  | { type: 'pong'; id?: string };

/** The outcome of parsing one client text frame. */
export type ParsedFrame =
  { ok: true; frame: ClientFrame } | { ok: false; error: AppError; id?: string };

const frameSchemas: Record<ClientFrame['type'], z.ZodType<ClientFrame>> = {
  ask: askFrameSchema,
  ping: pingFrameSchema,
};

/** Names the fields that failed, for `detail` (never echoes the values). */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((i) => `${i.path.length > 0 ? i.path.join('.') : '(root)'}: ${i.message}`)
    .join('; ');
}

/** Parses one WebSocket text frame. Bad JSON or fields → INVALID_FRAME; unknown type → UNKNOWN_FRAME. */
export function parseClientFrame(text: string): ParsedFrame {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, error: new AppError('INVALID_FRAME', { detail: 'not JSON' }) };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, error: new AppError('INVALID_FRAME', { detail: 'not a JSON object' }) };
  }
  const record = value as Record<string, unknown>;
  const id =
    typeof record.id === 'string' && frameId.safeParse(record.id).success ? record.id : undefined;
  const type = record.type;
  const schema =
    typeof type === 'string' && Object.hasOwn(frameSchemas, type)
      ? frameSchemas[type as ClientFrame['type']]
      : undefined;
  if (!schema) {
    const detail = typeof type === 'string' ? `type: ${type.slice(0, 40)}` : 'type: missing';
    return { ok: false, error: new AppError('UNKNOWN_FRAME', { detail }), ...(id ? { id } : {}) };
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const error = new AppError('INVALID_FRAME', { detail: describeIssues(parsed.error) });
    return { ok: false, error, ...(id ? { id } : {}) };
  }
  return { ok: true, frame: parsed.data };
}

/** Validates an HTTP body against a schema; failures are BAD_REQUEST naming the fields. */
export function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body ?? {});
  if (!parsed.success) throw new AppError('BAD_REQUEST', { detail: describeIssues(parsed.error) });
  return parsed.data;
}
