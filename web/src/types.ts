/** The wire vocabulary the widget speaks: the server's Answer/Citation plus the socket frames. */
export type { Answer, Citation } from '../../src/types.js';
import type { Answer } from '../../src/types.js';

/** An answer as the HTTP routes return it: the Answer plus the id used for feedback. */
export interface AnswerWithId extends Answer {
  messageId?: string;
}

/** Frames the server sends over the socket (and, as SSE events, over HTTP). */
export type ServerFrame =
  | { type: 'answer.start'; id: string; messageId: string }
  | { type: 'answer.delta'; id: string; seq: number; text: string }
  | { type: 'answer.done'; id: string; answer: Answer }
  | { type: 'error'; id?: string; code: string; message: string }
  | { type: 'pong' };

/** How an answer reached the widget; shown on each message as `data-transport`. */
export type TransportKind = 'ws' | 'sse' | 'http';

/** Callbacks for one question in flight. */
export interface AskHandlers {
  onStart(messageId: string, via: TransportKind): void;
  onDelta(text: string): void;
  onDone(answer: Answer): void;
  onError(code: string, message: string): void;
}

/** Connection states announced in the status region and shown in the header. */
export type ConnectionState = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'http';
