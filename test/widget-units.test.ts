/** The widget's pure parts and its transport logic, in Node with fake sockets and fetch. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  copyText,
  highlightParts,
  sentenceAround,
  splitAnswer,
  stripMarkers,
} from '../web/src/answer-text.js';
import { readConfig } from '../web/src/config.js';
import { Api } from '../web/src/api.js';
import { fontIndex } from '../web/src/prefs.js';
import { safeHref, whenLine } from '../web/src/ui/passage.js';
import { jitteredDelay } from '../web/src/transport/backoff.js';
import { askStream, readEvents } from '../web/src/transport/http.js';
import { SocketClient } from '../web/src/transport/socket.js';
import { Transport } from '../web/src/transport/transport.js';
import type { Answer, AskHandlers, Citation, ConnectionState } from '../web/src/types.js';

const TEXT =
  '大力实施免费法律咨询惠民工程,为群众免费提供法律咨询46.4万人次,受理法律援助案件1.87万件。开展专项行动。';
const at = TEXT.indexOf('46.4万人次');
const CITATION: Citation = {
  n: 1,
  chunkId: 'c1',
  docId: 'd',
  title: '2021年度山西省法治政府建设年度报告',
  section: '七、着力提升法律服务质量,矛盾纠纷化解方式持续改进',
  text: TEXT,
  start: 0,
  end: TEXT.length,
  score: 0.9,
  highlight: { start: at, end: at + '46.4万人次'.length },
};
const ANSWER: Answer = {
  found: true,
  answer: '为群众免费提供法律咨询46.4万人次。[1]',
  citations: [CITATION],
  mode: 'extractive',
  question: 'q',
};

describe('answer-text', () => {
  it('turns [n] markers into citation segments and leaves unknown ones as text', () => {
    expect(splitAnswer('甲[1]乙[7]', new Set([1]))).toEqual([
      { kind: 'text', text: '甲' },
      { kind: 'cite', n: 1 },
      { kind: 'text', text: '乙[7]' },
    ]);
    expect(stripMarkers('甲[1]乙[2]')).toBe('甲乙');
  });

  it('finds the whole sentence around the figure, keeping its stop', () => {
    const s = sentenceAround(TEXT, at, at + 3);
    expect(TEXT.slice(s.start, s.end)).toBe(
      '大力实施免费法律咨询惠民工程,为群众免费提供法律咨询46.4万人次,受理法律援助案件1.87万件。',
    );
    const parts = highlightParts(CITATION);
    expect(parts.sentence.slice(parts.figure!.start, parts.figure!.end)).toBe('46.4万人次');
    expect(parts.before + parts.sentence + parts.after).toBe(TEXT);
    expect(highlightParts({ text: 'x', highlight: { start: 5, end: 9 } }).figure).toBeNull();
  });

  it('formats the hotline read-out as 据《title》section：sentence', () => {
    expect(copyText(ANSWER)).toBe(
      '据《2021年度山西省法治政府建设年度报告》七、着力提升法律服务质量,矛盾纠纷化解方式持续改进：大力实施免费法律咨询惠民工程,为群众免费提供法律咨询46.4万人次,受理法律援助案件1.87万件。',
    );
    const noHighlight = {
      ...ANSWER,
      citations: [{ ...CITATION, highlight: undefined, section: '六、监督 > （一）人大' }],
    };
    expect(copyText(noHighlight)).toBe(
      '据《2021年度山西省法治政府建设年度报告》六、监督，（一）人大：为群众免费提供法律咨询46.4万人次。',
    );
  });
});

describe('config', () => {
  it('defaults the server to the script origin and reads data-* options', () => {
    const c = readConfig({}, 'https://wz.example.cn/widget.js', 'https://www.shanxi.gov.cn/page');
    expect(c).toMatchObject({
      server: 'https://wz.example.cn',
      mode: 'widget',
      position: 'right',
      suggestions: true,
      maxChars: 200,
      globalName: 'wenzheng',
    });
    const d = readConfig(
      {
        server: 'https://api.example.cn/wz/',
        position: 'left',
        suggestions: 'off',
        mode: 'page',
        maxChars: '120',
        global: 'bad name',
        title: '问答',
      },
      null,
      'https://x.cn/',
    );
    expect(d).toMatchObject({
      server: 'https://api.example.cn/wz',
      position: 'left',
      suggestions: false,
      mode: 'page',
      maxChars: 120,
      globalName: 'wenzheng',
      title: '问答',
    });
  });

  it('reads data-font-size in px, kept between 12 and 32, 16 by default', () => {
    const size = (fontSize?: string) =>
      readConfig(fontSize === undefined ? {} : { fontSize }, null, 'https://x.cn/').fontSize;
    expect([size(), size('18'), size('18px'), size('100'), size('2'), size('大')]).toEqual([
      16, 18, 18, 32, 12, 16,
    ]);
  });

  it('maps setFontScale arguments to A / A+ / A++', () => {
    expect([
      fontIndex('A'),
      fontIndex('a+'),
      fontIndex('A++'),
      fontIndex(1),
      fontIndex(1.3),
      fontIndex(2),
    ]).toEqual([0, 1, 2, 0, 1, 2]);
  });
});

describe('citations and settings', () => {
  it('links only to http(s) originals and says the date and PDF page', () => {
    expect(safeHref('https://www.gd.gov.cn/a.html')).toBe('https://www.gd.gov.cn/a.html');
    expect([safeHref('javascript:alert(1)'), safeHref('/relative'), safeHref(undefined)]).toEqual([
      null,
      null,
      null,
    ]);
    expect(whenLine({ publishedAt: '2022-08-16', page: 3 })).toBe('发布日期：2022-08-16 · 第 3 页');
    expect(whenLine({ publishedAt: null })).toBe('');
  });

  it('reads the widget settings, and tells a refused site from a failed request', async () => {
    const reply = (status: number, body: unknown) => async () =>
      new Response(JSON.stringify(body), { status });
    const ok = await new Api(
      'https://wz',
      reply(200, {
        greeting: '您好',
        handoff: { phone: '12345', hours: 1 },
        suggestions: ['问？', 2],
      }),
    ).widgetConfig();
    expect(ok).toEqual({
      kind: 'ok',
      settings: {
        greeting: '您好',
        handoff: { phone: '12345', hours: '', url: '' },
        suggestions: ['问？'],
      },
    });
    expect(
      await new Api(
        'https://wz',
        reply(403, { error: { code: 'ORIGIN_NOT_ALLOWED' } }),
      ).widgetConfig(),
    ).toEqual({ kind: 'not-allowed' });
    expect(
      await new Api('https://wz', async () =>
        Promise.reject(new TypeError('Failed to fetch')),
      ).widgetConfig(),
    ).toEqual({ kind: 'failed' });
  });
});

describe('backoff', () => {
  it('grows exponentially with full jitter and stays under the cap', () => {
    expect(jitteredDelay(0, { random: () => 0 })).toBe(250);
    expect(jitteredDelay(3, { random: () => 1 })).toBe(4000);
    expect(jitteredDelay(20, { random: () => 1 })).toBe(15_000);
    const seen = new Set(Array.from({ length: 20 }, () => jitteredDelay(4)));
    expect(seen.size).toBeGreaterThan(1);
  });
});

/** A Response whose body arrives in the given pieces. */
function sse(pieces: string[], status = 200): Response {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const p of pieces) controller.enqueue(new TextEncoder().encode(p));
      controller.close();
    },
  });
  return new Response(body, {
    status,
    headers: { 'content-type': 'text/event-stream; charset=utf-8' },
  });
}

const FRAMES = [
  ': stream open\n\n',
  'event: answer.start\ndata: {"type":"answer.start","id":"q1","messageId":"m1"}\n\n',
  'event: answer.delta\ndata: {"type":"answer.delta","id":"q1","seq":0,"text":"为群众"}\n\n',
  `event: answer.done\ndata: ${JSON.stringify({ type: 'answer.done', id: 'm1', answer: ANSWER })}\n\n`,
];

function recorder(): AskHandlers & { log: string[] } {
  const log: string[] = [];
  return {
    log,
    onStart: (id, via) => log.push(`start ${id} ${via}`),
    onDelta: (t) => log.push(`delta ${t}`),
    onDone: (a) => log.push(`done ${a.answer}`),
    onError: (code) => log.push(`error ${code}`),
  };
}

describe('http transport', () => {
  it('parses server-sent events split at any byte', async () => {
    const whole = FRAMES.join('');
    const events: string[] = [];
    for await (const e of readEvents(sse(whole.match(/[\s\S]{1,7}/g)!).body!)) events.push(e.event);
    expect(events).toEqual(['answer.start', 'answer.delta', 'answer.done']);
  });

  it('streams an answer, reports a coded error, and calls a missing route unavailable', async () => {
    const req = { question: 'q', history: [], sessionId: 's' };
    const h = recorder();
    expect(await askStream(req, h, { server: 'http://x', fetch: async () => sse(FRAMES) })).toBe(
      'ok',
    );
    expect(h.log).toEqual(['start m1 sse', 'delta 为群众', `done ${ANSWER.answer}`]);
    const e = recorder();
    const tooLong = async () =>
      new Response(
        JSON.stringify({ error: { code: 'QUESTION_TOO_LONG', message: '问题太长了' } }),
        { status: 413 },
      );
    expect(await askStream(req, e, { server: 'http://x', fetch: tooLong })).toBe('ok');
    expect(e.log).toEqual(['error QUESTION_TOO_LONG']);
    expect(
      await askStream(req, recorder(), {
        server: 'http://x',
        fetch: async () => new Response('', { status: 404 }),
      }),
    ).toBe('unavailable');
    const cut = recorder();
    await askStream(req, cut, { server: 'http://x', fetch: async () => sse(FRAMES.slice(0, 3)) });
    expect(cut.log.at(-1)).toBe('error INTERRUPTED');
  });
});

/** A scriptable WebSocket: tests open, drop or refuse it. */
class FakeSocket {
  static all: FakeSocket[] = [];
  static refuse = false;
  readyState = 0;
  sent: string[] = [];
  onopen: (() => void) | null = null;
  onclose: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onmessage: ((e: { data: string }) => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.all.push(this);
    if (FakeSocket.refuse) setTimeout(() => this.drop(), 1);
  }
  open() {
    this.readyState = 1;
    this.onopen?.();
  }
  drop() {
    this.readyState = 3;
    this.onclose?.();
  }
  send(data: string) {
    this.sent.push(data);
  }
  close() {
    if (this.readyState !== 3) setTimeout(() => this.drop(), 0);
  }
  receive(frame: object) {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }
}
const Fake = FakeSocket as unknown as typeof WebSocket;

describe('socket client', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    FakeSocket.all = [];
    FakeSocket.refuse = false;
  });
  afterEach(() => vi.useRealTimers());

  it('reconnects after a drop, showing the reconnecting state, and re-sends nothing', async () => {
    const states: ConnectionState[] = [];
    let drops = 0;
    const client = new SocketClient({
      url: 'ws://x/ws',
      WebSocketImpl: Fake,
      onFrame: () => {},
      onState: (s) => states.push(s),
      onDrop: () => drops++,
    });
    client.connect();
    FakeSocket.all[0]!.open();
    expect(client.send({ type: 'ask', id: '1' })).toBe(true);
    FakeSocket.all[0]!.drop();
    expect(drops).toBe(1);
    await vi.advanceTimersByTimeAsync(600); // first retry: 250–500 ms
    expect(FakeSocket.all).toHaveLength(2);
    FakeSocket.all[1]!.open();
    expect(states).toEqual(['connecting', 'open', 'reconnecting', 'open']);
    expect(FakeSocket.all[1]!.sent).toEqual([]);
    client.stop();
  });

  it('gives up for HTTP after three failed attempts, and a connect timeout counts as one', async () => {
    const states: ConnectionState[] = [];
    const client = new SocketClient({
      url: 'ws://x/ws',
      WebSocketImpl: Fake,
      connectTimeoutMs: 1000,
      onFrame: () => {},
      onState: (s) => states.push(s),
      onDrop: () => {},
    });
    const open = client.waitOpen(60_000);
    await vi.advanceTimersByTimeAsync(1001); // the first socket never opens
    FakeSocket.refuse = true;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(await open).toBe(false);
    expect(states.at(-1)).toBe('http');
    expect(await client.waitOpen(10)).toBe(false);
    client.stop();
  });

  it('closes a socket that stops answering pings', async () => {
    const client = new SocketClient({
      url: 'ws://x/ws',
      WebSocketImpl: Fake,
      pingIntervalMs: 1000,
      pongTimeoutMs: 500,
      onFrame: () => {},
      onState: () => {},
      onDrop: () => {},
    });
    client.connect();
    FakeSocket.all[0]!.open();
    await vi.advanceTimersByTimeAsync(1000);
    expect(FakeSocket.all[0]!.sent).toEqual(['{"type":"ping"}']);
    await vi.advanceTimersByTimeAsync(600);
    expect(FakeSocket.all[0]!.readyState).toBe(3);
    client.stop();
  });
});

describe('transport', () => {
  beforeEach(() => {
    FakeSocket.all = [];
    FakeSocket.refuse = false;
  });

  it('asks over the socket with history and session, routing frames by id', async () => {
    const t = new Transport({
      server: 'http://x',
      WebSocketImpl: Fake,
      onState: () => {},
      newId: () => 'q1',
    });
    const h = recorder();
    const asking = t.ask('那政协提案呢？', ['人大代表建议办理了多少件？'], 's1', h);
    FakeSocket.all[0]!.open();
    await asking;
    expect(JSON.parse(FakeSocket.all[0]!.sent[0]!)).toEqual({
      type: 'ask',
      id: 'q1',
      question: '那政协提案呢？',
      history: ['人大代表建议办理了多少件？'],
      sessionId: 's1',
    });
    const ws = FakeSocket.all[0]!;
    ws.receive({ type: 'answer.start', id: 'q1', messageId: 'm1' });
    ws.receive({ type: 'answer.delta', id: 'other', seq: 0, text: '别的' });
    ws.receive({ type: 'answer.done', id: 'q1', answer: ANSWER });
    expect(h.log).toEqual(['start m1 ws', `done ${ANSWER.answer}`]);
  });

  it('reports an answer cut off by a dropped socket as interrupted without re-sending it', async () => {
    const fetch = vi.fn(async () => sse(FRAMES));
    const t = new Transport({ server: 'http://x', WebSocketImpl: Fake, onState: () => {}, fetch });
    const h = recorder();
    const asking = t.ask('q', [], 's', h);
    FakeSocket.all[0]!.open();
    await asking;
    FakeSocket.all[0]!.drop();
    expect(h.log).toEqual(['error INTERRUPTED']);
    expect(fetch).not.toHaveBeenCalled();
    expect(FakeSocket.all[0]!.sent).toHaveLength(1);
  });

  it('falls back to SSE when the socket cannot open, then to plain POST when SSE is missing', async () => {
    FakeSocket.refuse = true;
    const calls: string[] = [];
    const fetch = vi.fn(async (url: string | URL | Request) => {
      calls.push(String(url));
      return String(url).endsWith('/stream')
        ? new Response('', { status: 404 })
        : new Response(JSON.stringify({ ...ANSWER, messageId: 'm9' }), {
            headers: { 'content-type': 'application/json' },
          });
    });
    const t = new Transport({
      server: 'http://x',
      WebSocketImpl: Fake,
      onState: () => {},
      fetch,
      connectTimeoutMs: 200,
    });
    const h = recorder();
    await t.ask('q', [], 's', h);
    expect(calls).toEqual(['http://x/api/ask/stream', 'http://x/api/ask']);
    expect(h.log).toEqual(['start m9 http', `done ${ANSWER.answer}`]);
    await t.ask('q2', [], 's', recorder());
    expect(calls.at(-1)).toBe('http://x/api/ask'); // SSE is not tried again once it was missing
  });
});
