/**
 * The WebSocket endpoint at /ws, attached with `noServer` to the HTTP server. The upgrade
 * is checked first (path, Origin, sockets per IP, shutdown) and refused with a plain HTTP
 * status and no socket. Every text frame is validated; a bad frame gets an `error` frame
 * and the socket stays open. Heartbeat pings terminate sockets that stop answering.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { AppError, ERROR_CODES, type ErrorCode } from '../errors.js';
import type { AskService } from './ask-service.js';
import {
  createWindowCounter,
  ipKey,
  localSocketSlots,
  type QuestionBudget,
  type SocketSlots,
} from './limits.js';
import type { Logger } from './logger.js';
import type { OriginPolicy } from './origins.js';
import { parseClientFrame, type AskFrame, type ServerFrame } from './protocol.js';
import { errorBody, errorFrame, toWireError } from './wire-errors.js';

export interface WsOptions {
  server: Server;
  askService: AskService;
  originPolicy: OriginPolicy;
  /** The client address of an upgrade request (honours `trust proxy`). */
  clientIp: (req: IncomingMessage) => string;
  logger: Logger;
  /** Sockets per client IP; 0 = no limit. */
  maxPerIp: number;
  /** Where socket slots are counted. @default localSocketSlots(maxPerIp) (this process) */
  socketSlots?: SocketSlots;
  /** Largest accepted frame in bytes (larger: closed with 1009). */
  maxPayload: number;
  heartbeatMs: number;
  /** The question budget shared with HTTP and SSE (per IP, per session id or else per socket). */
  budget: QuestionBudget;
  /**
   * Frames per minute per socket that the server answers without asking the engine
   * (ping, and bad frames that get an error back), WebSocket control pings too; 0 = no
   * limit. Beyond it they get no reply: one RATE_LIMITED frame per minute says so.
   */
  pingsPerMinute: number;
  /** A socket whose unsent data passes this many bytes is terminated (it is not reading); 0 = no limit. */
  maxUnsentBytes: number;
  /** @default '/ws' */
  path?: string;
  /** @default Date.now */
  clock?: () => number;
}

export interface WsEndpoint {
  /** Refuses new upgrades with 503 SHUTTING_DOWN. */
  stopAccepting(): void;
  /** Closes every socket with `code` (default 1001 going away), terminating stragglers. */
  close(code?: number, reason?: string, graceMs?: number): Promise<void>;
  readonly clients: number;
}

/**
 * Refuses an upgrade with an HTTP response carrying the usual JSON error body, with CORS
 * headers for the requesting origin (as the API's refusals have) so a client that can read
 * the response sees the code.
 */
function refuseUpgrade(socket: Duplex, code: ErrorCode, origin?: string): void {
  const { status } = ERROR_CODES[code];
  const body = JSON.stringify(errorBody(new AppError(code)));
  const cors =
    origin && /^[\x21-\x7e]{1,200}$/.test(origin)
      ? `Access-Control-Allow-Origin: ${origin}\r\nVary: Origin\r\n`
      : '';
  socket.end(
    `HTTP/1.1 ${status} ${code}\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\n${cors}` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

/** Attaches the endpoint to `options.server`'s upgrade event. */
export function attachWebSocket(options: WsOptions): WsEndpoint {
  const path = options.path ?? '/ws';
  // autoPong off: control pings are answered by serve(), within the ping limit.
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: options.maxPayload,
    autoPong: false,
  });
  const sockets = options.socketSlots ?? localSocketSlots(options.maxPerIp);
  const clock = options.clock ?? Date.now;
  const alive = new WeakMap<WebSocket, boolean>();
  let accepting = true;
  let nextSocket = 0;

  options.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== path) return refuseUpgrade(socket, 'NOT_FOUND');
    if (!accepting) return refuseUpgrade(socket, 'SHUTTING_DOWN');
    if (!options.originPolicy.allows(req))
      return refuseUpgrade(socket, 'ORIGIN_NOT_ALLOWED', req.headers.origin);
    const address = options.clientIp(req);
    const ip = ipKey(address);
    const upgrade = (release: (() => void) | null) => {
      if (!release) return refuseUpgrade(socket, 'TOO_MANY_CONNECTIONS');
      // A shared count answers after a round trip: the client may have gone meanwhile.
      if (socket.destroyed) return release();
      wss.handleUpgrade(req, socket, head, (ws) => {
        ws.once('close', release);
        serve(ws, address, `ws${++nextSocket}`);
      });
    };
    const slot = sockets(ip);
    if (slot instanceof Promise) slot.then(upgrade, () => socket.destroy());
    else upgrade(slot);
  });

  /**
   * Back-pressure: ws queues whatever the client does not read, without bound. A client
   * over the bound is not reading (or cannot keep up) and is cut off.
   */
  function overflowing(ws: WebSocket): boolean {
    if (options.maxUnsentBytes === 0 || ws.bufferedAmount <= options.maxUnsentBytes) return false;
    options.logger.warn(
      { unsentBytes: ws.bufferedAmount, limit: options.maxUnsentBytes },
      'socket closed: client does not read its replies',
    );
    ws.terminate();
    return true;
  }

  function send(ws: WebSocket, frame: ServerFrame): void {
    if (ws.readyState !== WebSocket.OPEN || overflowing(ws)) return;
    ws.send(JSON.stringify(frame));
    overflowing(ws);
  }

  function sendError(ws: WebSocket, error: AppError, id?: string): void {
    send(ws, errorFrame(error, id));
  }

  function serve(ws: WebSocket, address: string, socketId: string): void {
    const log = options.logger.child({ socket: socketId });
    let inFlight: AbortController | null = null;
    // Replies that cost no engine work (pong, error frames) are rate limited per socket.
    const replies = createWindowCounter({ limit: options.pingsPerMinute, clock });
    // Frames beyond the limit, counted in the same kind of window: as many again is a flood.
    const ignored = createWindowCounter({ limit: options.pingsPerMinute, clock });
    let warned = false;
    const mayReply = (id?: string): boolean => {
      const decision = replies.take('socket');
      if (decision.ok) {
        warned = false;
        return true;
      }
      // Twice the limit within a minute is a flood, not a client: parsing it would cost
      // every other client their latency, so the socket is dropped.
      if (!ignored.hit('socket')) {
        log.info({ limit: decision.limit }, 'socket closed: frame flood');
        ws.terminate();
        return false;
      }
      if (!warned) {
        warned = true;
        send(ws, {
          type: 'error',
          ...(id !== undefined ? { id } : {}),
          code: 'RATE_LIMITED',
          message: ERROR_CODES.RATE_LIMITED.message,
        });
      }
      return false;
    };
    alive.set(ws, true);
    ws.on('pong', () => alive.set(ws, true));
    ws.on('ping', (data: Buffer) => {
      alive.set(ws, true);
      if (mayReply() && ws.readyState === WebSocket.OPEN && !overflowing(ws)) ws.pong(data);
    });
    ws.on('error', (error) => log.debug({ err: error }, 'socket error'));
    ws.on('close', () => inFlight?.abort());
    ws.on('message', (data: RawData, isBinary: boolean) => {
      alive.set(ws, true);
      if (isBinary)
        return mayReply() ? sendError(ws, new AppError('BINARY_NOT_ALLOWED')) : undefined;
      const parsed = parseClientFrame(data.toString());
      if (!parsed.ok)
        return mayReply(parsed.id) ? sendError(ws, parsed.error, parsed.id) : undefined;
      const frame = parsed.frame;
      if (frame.type === 'ping') {
        return mayReply(frame.id)
          ? send(ws, { type: 'pong', ...(frame.id ? { id: frame.id } : {}) })
          : undefined;
      }
      if (inFlight)
        return mayReply(frame.id) ? sendError(ws, new AppError('BUSY'), frame.id) : undefined;
      const refuse = () =>
        mayReply(frame.id) ? sendError(ws, new AppError('RATE_LIMITED'), frame.id) : undefined;
      const decision = options.budget.take(address, frame.sessionId ?? socketId);
      if (!(decision instanceof Promise) && !decision.ok) return refuse();
      const aborter = new AbortController();
      inFlight = aborter;
      // A shared budget answers after a round trip; the socket counts as busy meanwhile.
      const work =
        decision instanceof Promise
          ? decision.then((d) => (d.ok ? answer(ws, frame, aborter.signal, log) : refuse()))
          : answer(ws, frame, aborter.signal, log);
      void work.finally(() => {
        inFlight = null;
      });
    });
  }

  async function answer(
    ws: WebSocket,
    frame: AskFrame,
    signal: AbortSignal,
    log: Logger,
  ): Promise<void> {
    let seq = 0;
    try {
      const result = await options.askService.ask({
        question: frame.question,
        history: frame.history,
        sessionId: frame.sessionId,
        transport: 'ws',
        signal,
        log,
        onStart: (messageId) => send(ws, { type: 'answer.start', id: frame.id, messageId }),
        onDelta: (text) => send(ws, { type: 'answer.delta', id: frame.id, seq: seq++, text }),
      });
      send(ws, { type: 'answer.done', id: frame.id, answer: result });
    } catch (error) {
      sendError(ws, toWireError(error, log, 'answer failed'), frame.id);
    }
  }

  // A socket that has not answered the previous ping (nor sent anything) is dead.
  const heartbeat = setInterval(() => {
    for (const ws of wss.clients) {
      if (alive.get(ws) === false) {
        ws.terminate();
        continue;
      }
      alive.set(ws, false);
      if (!overflowing(ws)) ws.ping();
    }
  }, options.heartbeatMs);
  heartbeat.unref();

  return {
    stopAccepting() {
      accepting = false;
    },
    async close(code = 1001, reason = 'server shutting down', graceMs = 2000) {
      accepting = false;
      clearInterval(heartbeat);
      const closing = [...wss.clients].map(
        (ws) =>
          new Promise<void>((resolve) => {
            if (ws.readyState === WebSocket.CLOSED) return resolve();
            ws.once('close', () => resolve());
            ws.close(code, reason);
          }),
      );
      const timer = setTimeout(() => {
        for (const ws of wss.clients) ws.terminate();
      }, graceMs);
      await Promise.all(closing);
      clearTimeout(timer);
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
    get clients() {
      return wss.clients.size;
    },
  };
}
