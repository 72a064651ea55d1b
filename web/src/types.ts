/** The wire vocabulary the widget speaks: the server's Answer/Citation and its frames (one definition each, in src/). */
export type { Answer, Citation } from '../../src/types.js';
export type { ServerFrame } from '../../src/server/protocol.js';
import type { Answer } from '../../src/types.js';

/** An answer as the HTTP routes return it: the Answer plus the id used for feedback. */
export interface AnswerWithId extends Answer {
  messageId?: string;
}

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
