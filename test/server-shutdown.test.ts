import { once } from 'node:events';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogStore } from '../src/server/log-store.js';
import { createFakeEngine } from './helpers/fake-engine.js';
import { removeDataDirs, startServer } from './helpers/server.js';
import { readSse } from './helpers/sse.js';
import { frames, opened, sendJson } from './helpers/ws-client.js';

afterAll(() => removeDataDirs());

describe('server shutdown', () => {
  it('finishes answers in flight, refuses new work, closes sockets with 1001 and the database', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const server = await startServer({ engine: createFakeEngine({ gate }) });
    try {
      const ws = await opened(server.connect());
      const idle = await opened(server.connect());
      const inbox = frames(ws);
      sendJson(ws, { type: 'ask', id: 'inflight', question: '复议' });
      await inbox.next('answer.delta');
      const stream = fetch(`${server.url}/api/ask/stream`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ question: '法律服务' }),
      });
      const streamed = stream.then(readSse);
      // Wait for the streamed question to reach the engine (a fixed 30 ms failed on a busy CI machine).
      await expect.poll(() => server.wenzheng.askService.inFlight).toBe(2);

      const closedIdle = once(idle, 'close');
      const shutdown = server.wenzheng.shutdown({ timeoutMs: 5000 });
      // New questions on an open socket are refused while the old ones finish.
      sendJson(ws, { type: 'ping', id: 'still-there' });
      await inbox.next('pong');
      release();
      const done = await inbox.next('answer.done');
      expect(done.answer.found).toBe(true);
      const [code] = (await once(ws, 'close')) as [number];
      expect(code).toBe(1001);
      expect(((await closedIdle) as [number])[0]).toBe(1001);
      expect((await streamed).events.at(-1)?.event).toBe('answer.done');
      await shutdown;
      expect(server.wenzheng.server.listening).toBe(false);
      await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
      // The database was closed cleanly and holds both answers.
      const store = createLogStore({ dir: server.dataDir });
      expect((await store.get(done.answer.messageId))?.found).toBe(true);
      await store.close();
    } finally {
      release();
      await server.close();
    }
  });

  it('answers SHUTTING_DOWN to questions asked during the drain', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const server = await startServer({ engine: createFakeEngine({ gate }) });
    try {
      const ws = await opened(server.connect());
      const other = await opened(server.connect());
      const inbox = frames(ws);
      const otherInbox = frames(other);
      sendJson(ws, { type: 'ask', id: 'a', question: '复议' });
      await inbox.next('answer.delta');
      const shutdown = server.wenzheng.shutdown({ timeoutMs: 5000 });
      sendJson(other, { type: 'ask', id: 'late', question: '复议' });
      expect(await otherInbox.next('error')).toMatchObject({ id: 'late', code: 'SHUTTING_DOWN' });
      release();
      await shutdown;
    } finally {
      release();
      await server.close();
    }
  });
});
