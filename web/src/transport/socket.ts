/**
 * A reconnecting WebSocket: connect timeout, jittered backoff, heartbeat pings, and a wake-up
 * on `visibilitychange`/`pageshow`/`online`, because mobile browsers kill sockets in the
 * background. It never re-sends anything: a dropped socket is reported to its owner.
 */
import type { ConnectionState, ServerFrame } from '../types.js';
import { jitteredDelay, type BackoffOptions } from './backoff.js';

export interface SocketClientOptions {
  url: string;
  onFrame(frame: ServerFrame): void;
  onState(state: ConnectionState): void;
  /** Called when an open socket closes (in-flight answers are lost). */
  onDrop(): void;
  /** @default 5000 */
  connectTimeoutMs?: number;
  /** Consecutive failed attempts after which the widget uses HTTP. @default 3 */
  maxFailures?: number;
  /** @default 25000 */
  pingIntervalMs?: number;
  /** @default 8000 */
  pongTimeoutMs?: number;
  backoff?: BackoffOptions;
  /** @default globalThis.WebSocket */
  WebSocketImpl?: typeof WebSocket;
}

/** One logical connection to `/ws` that comes back after drops. */
export class SocketClient {
  state: ConnectionState = 'idle';
  private ws: WebSocket | null = null;
  private failures = 0;
  private everOpened = false;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private connectTimer: ReturnType<typeof setTimeout> | undefined;
  private pingTimer: ReturnType<typeof setInterval> | undefined;
  private pongTimer: ReturnType<typeof setTimeout> | undefined;
  private waiters: Array<(open: boolean) => void> = [];
  private stopped = false;

  constructor(private readonly options: SocketClientOptions) {}

  /** Opens the socket unless it is open or opening. */
  connect(): void {
    this.stopped = false;
    if (this.ws) return;
    const Impl =
      this.options.WebSocketImpl ?? (typeof WebSocket === 'undefined' ? undefined : WebSocket);
    if (!Impl) return this.giveUp();
    clearTimeout(this.retryTimer);
    let ws: WebSocket;
    try {
      ws = new Impl(this.options.url);
    } catch {
      this.failed();
      return;
    }
    this.ws = ws;
    this.setState(this.everOpened ? 'reconnecting' : this.state === 'http' ? 'http' : 'connecting');
    this.connectTimer = setTimeout(() => {
      if (ws.readyState !== 1) ws.close();
    }, this.options.connectTimeoutMs ?? 5000);
    ws.onopen = () => {
      clearTimeout(this.connectTimer);
      this.failures = 0;
      this.everOpened = true;
      this.setState('open');
      this.startPings();
      this.resolveWaiters(true);
    };
    ws.onmessage = (event) => this.receive(event.data);
    ws.onclose = () => this.closed(ws);
    ws.onerror = () => {
      /* a close event always follows */
    };
  }

  /** Resolves true once open, false after `timeoutMs` or when the widget has moved to HTTP. */
  waitOpen(timeoutMs: number): Promise<boolean> {
    if (this.ws?.readyState === 1) return Promise.resolve(true);
    if (this.state === 'http' && !this.ws) return Promise.resolve(false);
    this.connect();
    return new Promise((resolve) => {
      const timer = setTimeout(() => done(false), timeoutMs);
      const done = (open: boolean) => {
        clearTimeout(timer);
        this.waiters = this.waiters.filter((w) => w !== done);
        resolve(open);
      };
      this.waiters.push(done);
    });
  }

  /** Sends a frame if the socket is open; returns whether it was sent. */
  send(frame: object): boolean {
    if (this.ws?.readyState !== 1) return false;
    this.ws.send(JSON.stringify(frame));
    return true;
  }

  /** The page came back (visible, restored from bfcache, online): check the socket now. */
  wake(): void {
    if (this.stopped) return;
    if (this.ws?.readyState === 1) {
      this.ping(4000);
      return;
    }
    if (this.ws) return;
    this.failures = Math.min(this.failures, 1);
    this.connect();
  }

  /** Closes for good (until the next connect). */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    const ws = this.ws;
    this.ws = null;
    this.stopPings();
    ws?.close(1000);
  }

  private receive(data: unknown): void {
    if (typeof data !== 'string') return;
    let frame: ServerFrame;
    try {
      frame = JSON.parse(data) as ServerFrame;
    } catch {
      return;
    }
    if (frame.type === 'pong') {
      clearTimeout(this.pongTimer);
      this.pongTimer = undefined;
      return;
    }
    this.options.onFrame(frame);
  }

  private closed(ws: WebSocket): void {
    if (this.ws !== ws) return;
    clearTimeout(this.connectTimer);
    this.stopPings();
    this.ws = null;
    const wasOpen = this.state === 'open';
    if (wasOpen) this.options.onDrop();
    if (this.stopped) return;
    if (wasOpen) {
      this.failures = 0;
      this.setState('reconnecting');
      this.schedule();
      return;
    }
    this.failed();
  }

  private failed(): void {
    this.failures++;
    this.resolveWaiters(false);
    if (this.failures >= (this.options.maxFailures ?? 3)) this.giveUp();
    else if (this.everOpened) this.setState('reconnecting');
    this.schedule();
  }

  private giveUp(): void {
    this.setState('http');
    this.resolveWaiters(false);
  }

  private schedule(): void {
    clearTimeout(this.retryTimer);
    if (this.stopped || (typeof document !== 'undefined' && document.hidden)) return;
    const delay = jitteredDelay(this.failures, this.options.backoff);
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }

  private startPings(): void {
    this.stopPings();
    this.pingTimer = setInterval(() => this.ping(), this.options.pingIntervalMs ?? 25_000);
  }

  private stopPings(): void {
    clearInterval(this.pingTimer);
    clearTimeout(this.pongTimer);
    this.pongTimer = undefined;
  }

  /** Sends a ping; a socket that does not answer in time is closed and reconnected. */
  private ping(timeoutMs = this.options.pongTimeoutMs ?? 8000): void {
    const ws = this.ws;
    if (!ws || this.pongTimer || !this.send({ type: 'ping' })) return;
    this.pongTimer = setTimeout(() => {
      this.pongTimer = undefined;
      if (this.ws === ws) ws.close();
    }, timeoutMs);
  }

  private resolveWaiters(open: boolean): void {
    for (const w of [...this.waiters]) w(open);
  }

  private setState(state: ConnectionState): void {
    if (state === this.state) return;
    this.state = state;
    this.options.onState(state);
  }
}
