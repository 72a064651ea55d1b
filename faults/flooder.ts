/**
 * The attacker, in its own process so that its busy loop does not delay the measurements:
 *   ping <wsUrl> <sockets> <seconds>   WebSocket clients that flood pings (app frames and
 *                                      control frames), never read a reply, and reconnect
 *                                      at once when the server drops them
 *   hold <host> <port> <count> <from>  TCP connections from address <from> that send half a
 *                                      POST and then nothing
 * Prints one JSON line with what happened, then exits.
 */
import { connect, type Socket } from 'node:net';
import { WebSocket } from 'ws';

const [mode, ...args] = process.argv.slice(2);

async function pingFlood(url: string, sockets: number, seconds: number): Promise<void> {
  let sent = 0;
  let closedByServer = 0;
  let refused = 0;
  const until = Date.now() + seconds * 1000;
  const frame = JSON.stringify({ type: 'ping', id: 'x'.repeat(32) });
  const payload = Buffer.alloc(125, 0x61);
  /** One attacker slot: a socket that floods until the server drops it, then a new one. */
  const slot = async (): Promise<void> => {
    while (Date.now() < until) {
      const ws = new WebSocket(url);
      ws.on('error', () => {});
      const opened = await new Promise<boolean>((resolve) => {
        ws.once('open', () => resolve(true));
        ws.once('unexpected-response', () => resolve(false));
        ws.once('close', () => resolve(false));
      });
      if (!opened) {
        refused++;
        await new Promise((r) => setTimeout(r, 50));
        continue;
      }
      // Never read: the server's replies pile up on its side unless it bounds them.
      (ws as unknown as { _socket: Socket })._socket.pause();
      const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
      let open = true;
      void closed.then(() => (open = false));
      while (open && Date.now() < until) {
        if (ws.bufferedAmount < 4 * 1024 * 1024) {
          for (let i = 0; i < 200; i++) {
            ws.send(frame);
            ws.ping(payload);
            sent += 2;
          }
        }
        await new Promise((r) => setImmediate(r));
      }
      if (!open) closedByServer++;
      ws.terminate();
    }
  };
  await Promise.all(Array.from({ length: sockets }, slot));
  console.log(JSON.stringify({ sent, closedByServer, refused }));
}

async function hold(host: string, port: number, count: number, from: string): Promise<void> {
  let connected = 0;
  let refused = 0;
  let closed = 0;
  const sockets: Socket[] = [];
  const opened: Array<Promise<void>> = [];
  for (let i = 0; i < count; i++) {
    const socket = connect({ host, port, localAddress: from });
    sockets.push(socket);
    let text = '';
    opened.push(
      new Promise<void>((resolve) => {
        socket.on('connect', () => {
          connected++;
          socket.write(
            `POST /api/ask HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"question":`,
          );
          resolve();
        });
        socket.on('data', (d: Buffer) => (text += d.toString()));
        socket.on('error', () => resolve());
        socket.on('close', () => {
          closed++;
          if (text.includes('429')) refused++;
          resolve();
        });
      }),
    );
    if (i % 500 === 499) await new Promise((r) => setTimeout(r, 10));
  }
  await Promise.all(opened);
  const started = Date.now();
  // Wait until the server has closed every socket (timeouts), or 40 s.
  while (closed < count && Date.now() - started < 40_000)
    await new Promise((r) => setTimeout(r, 100));
  console.log(
    JSON.stringify({
      connected,
      refused,
      closed,
      allClosedAfterMs: closed === count ? Date.now() - started : null,
    }),
  );
  for (const s of sockets) s.destroy();
}

if (mode === 'ping') await pingFlood(args[0]!, Number(args[1]), Number(args[2]));
else if (mode === 'hold') await hold(args[0]!, Number(args[1]), Number(args[2]), args[3]!);
else throw new Error(`unknown mode ${mode}`);
