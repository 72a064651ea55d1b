/** Helpers to drive a `ws` client in tests: wait for open, collect frames, await one. */
import { once } from 'node:events';
import type { WebSocket } from 'ws';
import type { ServerFrame } from '../../src/server/protocol.js';

/** Resolves when the socket is open. */
export async function opened(ws: WebSocket): Promise<WebSocket> {
  if (ws.readyState !== ws.OPEN) await once(ws, 'open');
  return ws;
}

/** Records every JSON frame the socket receives, and waits for one that matches. */
export function frames(ws: WebSocket) {
  const seen: ServerFrame[] = [];
  const waiters: Array<{ match: (f: ServerFrame) => boolean; resolve: (f: ServerFrame) => void }> =
    [];
  ws.on('message', (data) => {
    const frame = JSON.parse(data.toString()) as ServerFrame;
    seen.push(frame);
    for (const w of [...waiters]) {
      if (w.match(frame)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(frame);
      }
    }
  });
  return {
    seen,
    /** The first frame (already seen or still to come) that matches. */
    next<T extends ServerFrame['type']>(
      type: T,
      where: (f: Extract<ServerFrame, { type: T }>) => boolean = () => true,
      timeoutMs = 10_000,
    ): Promise<Extract<ServerFrame, { type: T }>> {
      const match = (f: ServerFrame) =>
        f.type === type && where(f as Extract<ServerFrame, { type: T }>);
      const found = seen.find(match);
      if (found) return Promise.resolve(found as Extract<ServerFrame, { type: T }>);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no ${type} frame within ${timeoutMs} ms`)),
          timeoutMs,
        );
        waiters.push({
          match,
          resolve: (f) => {
            clearTimeout(timer);
            resolve(f as Extract<ServerFrame, { type: T }>);
          },
        });
      });
    },
  };
}

/** Sends a JSON frame. */
export function sendJson(ws: WebSocket, frame: unknown): void {
  ws.send(JSON.stringify(frame));
}
