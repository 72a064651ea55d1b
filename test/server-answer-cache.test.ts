import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createAnswerCache } from '../src/server/answer-cache.js';
import { createFakeEngine } from './helpers/fake-engine.js';
import { removeDataDirs, startServer, type TestServer } from './helpers/server.js';
import { frames, opened, sendJson } from './helpers/ws-client.js';

const open: TestServer[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});
afterAll(() => removeDataDirs());

async function askTwice(env: Record<string, string>) {
  const engine = createFakeEngine();
  const server = await startServer({ engine, env });
  open.push(server);
  const ws = await opened(server.connect());
  const inbox = frames(ws);
  sendJson(ws, { type: 'ask', id: 'a', question: '复议案件多少件' });
  const first = await inbox.next('answer.done', (f) => f.id === 'a');
  sendJson(ws, { type: 'ask', id: 'b', question: '复议案件多少件' });
  const second = await inbox.next('answer.done', (f) => f.id === 'b');
  const deltas = (id: string) =>
    inbox.seen.flatMap((f) => (f.type === 'answer.delta' && f.id === id ? [f.text] : []));
  return { engine, first, second, deltas };
}

describe('server answer cache', () => {
  it('serves a repeated question without the engine, streaming it the same way', async () => {
    const { engine, first, second, deltas } = await askTwice({});
    expect(engine.asked).toHaveLength(1);
    const { messageId: a, ...firstAnswer } = first.answer;
    const { messageId: b, ...secondAnswer } = second.answer;
    expect(b).not.toBe(a);
    expect(secondAnswer).toEqual(firstAnswer);
    expect(deltas('b')).toEqual(deltas('a'));
  });

  it('asks the engine every time with ANSWER_CACHE_SIZE=0', async () => {
    const { engine } = await askTwice({ ANSWER_CACHE_SIZE: '0' });
    expect(engine.asked).toHaveLength(2);
  });

  it('keys by history and drops the least recently used entry', () => {
    const cache = createAnswerCache(2);
    const value = (text: string) => ({
      answer: {
        found: true,
        answer: text,
        citations: [],
        mode: 'extractive' as const,
        question: text,
      },
      deltas: [text],
    });
    cache.set('q', [], value('1'));
    cache.set('q', ['earlier'], value('2'));
    expect(cache.get('q', [])?.answer.answer).toBe('1');
    cache.set('r', [], value('3'));
    expect(cache.get('q', ['earlier'])).toBeUndefined();
    expect(cache.get(' q ', [])?.answer.answer).toBe('1');
    expect(cache.size).toBe(2);
  });
});
