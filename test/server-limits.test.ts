/**
 * Limits at every door, on real sockets: request timeouts (headers, body, idle,
 * keep-alive), TCP connections per address, the ping limit, and back-pressure on
 * WebSocket and SSE clients that do not read. Each closes the offender and leaves the
 * server answering everyone else.
 */
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect, type Socket } from 'node:net';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { AskOptions, Engine } from '../src/engine-types.js';
import { capConnectionsPerIp } from '../src/server/limits.js';
import { createFakeEngine } from './helpers/fake-engine.js';
import { removeDataDirs, serversClosedAfterEach, type TestServer } from './helpers/server.js';
import { frames, opened, sendJson } from './helpers/ws-client.js';

const serve = serversClosedAfterEach();
afterAll(() => removeDataDirs());

const sockets: Socket[] = [];
afterAll(() => {
  for (const s of sockets) s.destroy();
});

/** A raw TCP client that records what it receives and whether the server closed it. */
function raw(server: TestServer): {
  socket: Socket;
  received: () => string;
  closed: Promise<void>;
} {
  const { port } = new URL(server.url);
  const socket = connect(Number(port), '127.0.0.1');
  sockets.push(socket);
  let text = '';
  socket.on('data', (d: Buffer) => (text += d.toString()));
  socket.on('error', () => {});
  const closed = once(socket, 'close').then(() => undefined);
  return { socket, received: () => text, closed };
}

async function healthy(server: TestServer): Promise<void> {
  expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
}

describe('server limits', () => {
  it('closes a client that never finishes its headers', async () => {
    const server = await serve({
      engine: createFakeEngine(),
      env: { HTTP_HEADERS_TIMEOUT_MS: '300' },
    });
    const client = raw(server);
    client.socket.write('POST /api/ask HTTP/1.1\r\nHost: x\r\n');
    await client.closed;
    expect(client.received()).toMatch(/^HTTP\/1\.1 408/);
    await healthy(server);
  });

  it('answers 408 to a body that trickles in too slowly', async () => {
    const server = await serve({
      engine: createFakeEngine(),
      env: { HTTP_BODY_TIMEOUT_MS: '300' },
    });
    const client = raw(server);
    client.socket.write(
      'POST /api/ask HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"question":',
    );
    await client.closed;
    expect(client.received()).toMatch(/^HTTP\/1\.1 408/);
    expect(client.received()).toContain('"code":"REQUEST_TIMEOUT"');
    await healthy(server);
  });

  it('closes a connection that sends nothing, and an idle keep-alive connection', async () => {
    const server = await serve({
      engine: createFakeEngine(),
      env: { HTTP_IDLE_TIMEOUT_MS: '300', HTTP_KEEP_ALIVE_TIMEOUT_MS: '300' },
    });
    const silent = raw(server);
    await silent.closed;
    const kept = raw(server);
    kept.socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    await kept.closed;
    expect(kept.received()).toMatch(/^HTTP\/1\.1 200/);
    await healthy(server);
  });

  it('refuses connections beyond the cap per address with 429 and serves again once one closes', async () => {
    const server = await serve({
      engine: createFakeEngine(),
      env: { HTTP_MAX_CONNECTIONS_PER_IP: '3' },
    });
    const held = [raw(server), raw(server), raw(server)];
    for (const h of held)
      h.socket.write('POST /api/ask HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n');
    const fourth = raw(server);
    await fourth.closed;
    expect(fourth.received()).toMatch(/^HTTP\/1\.1 429/);
    expect(fourth.received()).toContain('TOO_MANY_CONNECTIONS');
    held[0]!.socket.destroy();
    await held[0]!.closed;
    await vi.waitFor(() => healthy(server));
  });

  it('hands a refused connection to no other connection listener: no HTTP parser, no timers', async () => {
    const server = createServer((_req, res) => res.end('ok'));
    // Registered before the cap, as Node's own HTTP connection listener is.
    const reached: Socket[] = [];
    server.on('connection', (socket: Socket) => reached.push(socket));
    capConnectionsPerIp(server, { maxPerIp: 1 });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const first = connect(port, '127.0.0.1');
      sockets.push(first);
      first.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
      const [answer] = (await once(first, 'data')) as [Buffer];
      expect(answer.toString()).toMatch(/^HTTP\/1\.1 200/);
      const second = connect(port, '127.0.0.1');
      sockets.push(second);
      second.on('error', () => {});
      second.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
      let text = '';
      second.on('data', (d: Buffer) => (text += d.toString()));
      await once(second, 'close');
      expect(text).toMatch(/^HTTP\/1\.1 429/);
      expect(text).toContain('TOO_MANY_CONNECTIONS');
      expect(reached).toHaveLength(1);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('answers only so many pings a minute per socket, and still answers questions', async () => {
    const server = await serve({ engine: createFakeEngine(), env: { WS_PINGS_PER_MINUTE: '3' } });
    const ws = await opened(server.connect());
    const inbox = frames(ws);
    for (let i = 0; i < 5; i++) sendJson(ws, { type: 'ping', id: `p${i}` });
    sendJson(ws, { type: 'ask', id: 'q', question: '行政复议案件有多少件' });
    expect((await inbox.next('answer.done')).answer.found).toBe(true);
    expect(inbox.seen.filter((f) => f.type === 'pong')).toHaveLength(3);
    expect(inbox.seen.filter((f) => f.type === 'error' && f.code === 'RATE_LIMITED')).toHaveLength(
      1,
    );
  });

  it('drops a socket that keeps flooding past twice the ping limit, and serves the others', async () => {
    const server = await serve({ engine: createFakeEngine(), env: { WS_PINGS_PER_MINUTE: '3' } });
    const flooder = await opened(server.connect());
    const other = await opened(server.connect());
    const closed = once(flooder, 'close');
    for (let i = 0; i < 20; i++) flooder.ping();
    await closed;
    const inbox = frames(other);
    sendJson(other, { type: 'ask', id: 'q', question: '行政复议案件有多少件' });
    expect((await inbox.next('answer.done')).answer.found).toBe(true);
  });

  it('terminates a WebSocket client that floods pings and never reads the replies', async () => {
    const server = await serve({
      engine: createFakeEngine(),
      env: { WS_PINGS_PER_MINUTE: '0', MAX_UNSENT_BYTES: '65536' },
    });
    const flooder = await opened(server.connect());
    const reader = await opened(server.connect());
    // Stop reading: the server's pongs pile up on its side.
    (flooder as unknown as { _socket: Socket })._socket.pause();
    const payload = Buffer.alloc(125, 0x61);
    const flood = setInterval(() => {
      for (let i = 0; i < 2000 && flooder.readyState === flooder.OPEN; i++) flooder.ping(payload);
    }, 1);
    try {
      await vi.waitFor(() => expect(server.wenzheng.ws.clients).toBe(1), {
        timeout: 20_000,
        interval: 50,
      });
    } finally {
      clearInterval(flood);
    }
    const inbox = frames(reader);
    sendJson(reader, { type: 'ask', id: 'still', question: '行政复议案件有多少件' });
    expect((await inbox.next('answer.done')).id).toBe('still');
  });

  it('cuts off an SSE client that stops reading its stream', async () => {
    let aborted = false;
    const chatty: Engine = {
      ...createFakeEngine(),
      async ask(_question: string, options: AskOptions = {}) {
        const piece = '行政复议'.repeat(256);
        for (let i = 0; i < 200_000; i++) {
          if (options.signal?.aborted) {
            aborted = true;
            throw new Error('aborted');
          }
          options.onDelta?.(piece);
          if (i % 50 === 0) await new Promise((r) => setImmediate(r));
        }
        throw new Error('the stream was never cut off');
      },
    };
    const server = await serve({ engine: chatty, env: { MAX_UNSENT_BYTES: '65536' } });
    const client = raw(server);
    const body = JSON.stringify({ question: '行政复议' });
    client.socket.write(
      `POST /api/ask/stream HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
    client.socket.pause();
    await vi.waitFor(() => expect(aborted).toBe(true), { timeout: 20_000, interval: 50 });
    await healthy(server);
  });
});
