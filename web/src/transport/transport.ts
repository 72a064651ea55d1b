/**
 * Picks the way a question travels: the WebSocket when it is open (or opens within the
 * connect timeout), else the SSE route, else plain POST. A question is sent exactly once;
 * an answer cut off by a dropped connection is reported as interrupted, never re-sent.
 */
import type { AskHandlers, ConnectionState, ServerFrame } from '../types.js';
import { T } from '../strings.js';
import { SocketClient } from './socket.js';
import { askPlain, askStream, type AskRequest } from './http.js';

export interface TransportOptions {
  server: string;
  onState(state: ConnectionState): void;
  /** 'auto' tries the socket first; 'http' never opens one. @default 'auto' */
  prefer?: 'auto' | 'http';
  /** @default 5000 */
  connectTimeoutMs?: number;
  /** Question ids. @default a time-and-counter id */
  newId?: () => string;
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
  /** @default globalThis.WebSocket */
  WebSocketImpl?: typeof WebSocket;
}

/** The widget's single connection manager. */
export class Transport {
  private readonly socket: SocketClient | null;
  private readonly inflight = new Map<string, AskHandlers>();
  private readonly controllers = new Set<AbortController>();
  private streamBroken = false;
  private seq = 0;

  constructor(private readonly options: TransportOptions) {
    const wsUrl = options.server.replace(/^http/, 'ws') + '/ws';
    const Impl =
      options.WebSocketImpl ?? (typeof WebSocket === 'undefined' ? undefined : WebSocket);
    this.socket =
      options.prefer === 'http' || !Impl
        ? null
        : new SocketClient({
            url: wsUrl,
            WebSocketImpl: Impl,
            connectTimeoutMs: options.connectTimeoutMs ?? 5000,
            onFrame: (f) => this.frame(f),
            onState: (s) => options.onState(s),
            onDrop: () => this.dropped(),
          });
  }

  get state(): ConnectionState {
    return this.socket?.state ?? 'http';
  }

  /** Opens the socket early (when the panel opens) so the first answer is fast. */
  warmUp(): void {
    this.socket?.connect();
  }

  /** Checks the connection after the page was hidden, restored or offline. */
  wake(): void {
    this.socket?.wake();
  }

  /** Sends one question; the handlers get exactly one onDone or onError. */
  async ask(question: string, history: string[], sessionId: string, h: AskHandlers): Promise<void> {
    const id = this.options.newId?.() ?? `q${Date.now().toString(36)}${(++this.seq).toString(36)}`;
    if (this.socket && (await this.socket.waitOpen(this.options.connectTimeoutMs ?? 5000))) {
      this.inflight.set(id, h);
      if (this.socket.send({ type: 'ask', id, question, history, sessionId })) return;
      this.inflight.delete(id);
    }
    const ac = new AbortController();
    this.controllers.add(ac);
    const req: AskRequest = { question, history, sessionId };
    const http = {
      server: this.options.server,
      signal: ac.signal,
      ...(this.options.fetch ? { fetch: this.options.fetch } : {}),
    };
    try {
      if (!this.streamBroken && (await askStream(req, h, http)) === 'ok') return;
      this.streamBroken = true;
      await askPlain(req, h, http);
    } finally {
      this.controllers.delete(ac);
    }
  }

  /** Stops using the socket for good (the site is not allowed: reconnecting cannot help). */
  stop(): void {
    this.socket?.stop();
  }

  /** Forgets every answer in flight (clear conversation); late frames are ignored. */
  cancelAll(): void {
    this.inflight.clear();
    for (const ac of this.controllers) ac.abort();
    this.controllers.clear();
  }

  private frame(f: ServerFrame): void {
    if (f.type === 'pong') return;
    const id = f.id ?? (this.inflight.size === 1 ? [...this.inflight.keys()][0] : undefined);
    const h = id === undefined ? undefined : this.inflight.get(id);
    if (!h || id === undefined) return;
    if (f.type === 'answer.start') h.onStart(f.messageId, 'ws');
    else if (f.type === 'answer.delta') h.onDelta(f.text);
    else if (f.type === 'answer.done') {
      this.inflight.delete(id);
      h.onDone(f.answer);
    } else {
      this.inflight.delete(id);
      h.onError(f.code, f.message);
    }
  }

  private dropped(): void {
    const lost = [...this.inflight.values()];
    this.inflight.clear();
    for (const h of lost) h.onError('INTERRUPTED', T.interrupted);
  }
}
