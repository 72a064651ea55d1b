/**
 * Bad files at ingest, through `npm run ingest` in its own process: a 0.9 MB .docx that
 * expands to 300 MB, GBK and UTF-16 reports, an ELF binary, random bytes, and a 50 MB
 * .txt. The run must finish, refuse each bad file with its reason, convert the encodings,
 * index the large text, call it unchanged on the next run (with its passages), and the
 * server must answer from the result with no garbage among the passages.
 */
import { spawn } from 'node:child_process';
import {
  cpSync,
  createWriteStream,
  mkdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { createDeflateRaw, crc32 } from 'node:zlib';
import iconv from 'iconv-lite';
import { randomBytes } from 'node:crypto';
import { PROJECT_ROOT } from '../src/config.js';
import { results, type CaseResult, type FaultCase } from './case.js';
import { ask, rssMb, startServerProcess } from './server-process.js';

const SEED = path.join(PROJECT_ROOT, 'corpus', 'shanxi-2021-law-based-government-report.txt');

/** Deflates `parts` (generated lazily) into one buffer with a streaming deflater. */
async function deflated(
  parts: () => Iterable<Buffer>,
): Promise<{ data: Buffer; size: number; crc: number }> {
  const deflater = createDeflateRaw({ level: 9 });
  const out: Buffer[] = [];
  deflater.on('data', (b: Buffer) => out.push(b));
  const done = new Promise<void>((resolve) => deflater.on('end', () => resolve()));
  let size = 0;
  let crc = 0;
  for (const part of parts()) {
    size += part.length;
    crc = crc32(part, crc);
    if (!deflater.write(part)) await new Promise((r) => deflater.once('drain', r));
  }
  deflater.end();
  await done;
  return { data: Buffer.concat(out), size, crc };
}

/** A minimal .docx (zip) whose document.xml is `xmlMb` MB of paragraphs, written by hand. */
async function zipBombDocx(file: string, xmlMb: number): Promise<void> {
  const paragraph = Buffer.from(
    '<w:p><w:r><w:t>全年办理行政复议案件，推进法治政府建设。</w:t></w:r></w:p>'.repeat(100),
  );
  const head = Buffer.from(
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>',
  );
  const tail = Buffer.from('</w:body></w:document>');
  const count = Math.ceil((xmlMb * 1024 * 1024) / paragraph.length);
  const document = await deflated(function* () {
    yield head;
    for (let i = 0; i < count; i++) yield paragraph;
    yield tail;
  });
  const types = Buffer.from(
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
  );
  const entries = [
    { name: '[Content_Types].xml', method: 0, data: types, size: types.length, crc: crc32(types) },
    { name: 'word/document.xml', method: 8, ...document },
  ];
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(e.method, 8);
    local.writeUInt32LE(e.crc >>> 0, 14);
    local.writeUInt32LE(e.data.length, 18);
    local.writeUInt32LE(e.size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(e.method, 10);
    central.writeUInt32LE(e.crc >>> 0, 16);
    central.writeUInt32LE(e.data.length, 20);
    central.writeUInt32LE(e.size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, e.data);
    centrals.push(central, name);
    offset += local.length + name.length + e.data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  writeFileSync(file, Buffer.concat([...locals, cd, end]));
}

/** About `mb` MB of report text: the seed report again and again, its figures changed each time. */
async function largeText(file: string, mb: number): Promise<void> {
  const seed = readFileSync(SEED, 'utf8');
  const out = createWriteStream(file);
  let size = 0;
  for (let i = 0; size < mb * 1024 * 1024; i++) {
    const part = `${seed.replace(/\d+/g, (d) => String(Number(d) + i))}\n`;
    size += Buffer.byteLength(part);
    if (!out.write(part)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve) => out.end(() => resolve()));
}

/** Runs `npm run ingest` (tsx ingest/cli.ts) in a child; its output, exit code, time and peak RSS. */
async function ingest(
  env: Record<string, string>,
): Promise<{ code: number | null; out: string; ms: number; peakMb: number }> {
  const started = Date.now();
  const child = spawn(
    process.execPath,
    ['--max-old-space-size=4096', '--import', 'tsx', 'ingest/cli.ts'],
    {
      cwd: PROJECT_ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  let peakMb = 0;
  const timer = setInterval(() => (peakMb = Math.max(peakMb, rssMb(child.pid!) || 0)), 200);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  clearInterval(timer);
  return { code, out, ms: Date.now() - started, peakMb };
}

export const badFiles: FaultCase = {
  name: 'bad files at ingest',
  async run(ctx): Promise<CaseResult> {
    const r = results();
    const corpus = path.join(ctx.work, 'bad-corpus');
    const indexDir = path.join(ctx.work, 'bad-index');
    mkdirSync(corpus, { recursive: true });
    cpSync(SEED, path.join(corpus, 'seed.txt'));
    const seed = readFileSync(SEED, 'utf8');
    writeFileSync(path.join(corpus, 'gbk.txt'), iconv.encode(seed.replace(/山西/g, '晋中'), 'gbk'));
    writeFileSync(
      path.join(corpus, 'utf16.txt'),
      Buffer.concat([
        Buffer.from([0xff, 0xfe]),
        iconv.encode(seed.replace(/山西/g, '河东'), 'utf-16le'),
      ]),
    );
    writeFileSync(
      path.join(corpus, 'elf.txt'),
      readFileSync(process.execPath).subarray(0, 1024 * 1024),
    );
    writeFileSync(path.join(corpus, 'random.txt'), randomBytes(1024 * 1024));
    await zipBombDocx(path.join(corpus, 'bomb.docx'), 300);
    await largeText(path.join(corpus, 'large.txt'), 50);
    r.figure(
      'bomb.docx',
      `${(statSync(path.join(corpus, 'bomb.docx')).size / 1024 / 1024).toFixed(2)} MB on disk, 300 MB of XML`,
    );
    const env = { CORPUS_DIR: corpus, INDEX_DIR: indexDir, LOG_LEVEL: 'warn' };

    const first = await ingest(env);
    r.figure(
      'first ingest',
      `${(first.ms / 1000).toFixed(1)} s, peak RSS ${first.peakMb.toFixed(0)} MB, exit ${first.code}`,
    );
    r.check('ingest finishes', first.code === 0, first.out.slice(-300));
    const line = (name: string) => first.out.split('\n').find((l) => l.includes(name)) ?? '';
    r.check(
      'the oversize .docx is refused with its reason',
      /超过|INGEST_MAX/.test(line('bomb.docx')),
      line('bomb.docx'),
    );
    r.check(
      'the ELF binary is refused as not text',
      /不是文本文件/.test(line('elf.txt')),
      line('elf.txt'),
    );
    r.check(
      'random bytes are refused',
      /不是文本文件|无法识别/.test(line('random.txt')),
      line('random.txt'),
    );
    const manifest = JSON.parse(
      readFileSync(path.join(indexDir, 'current', 'manifest.json'), 'utf8'),
    ) as { documents: Array<{ docId: string; title: string }>; counts: { chunks: number } };
    const docs = manifest.documents.map((d) => d.docId);
    r.check(
      'GBK and UTF-16 reports are converted and indexed',
      docs.includes('gbk.txt') &&
        docs.includes('utf16.txt') &&
        manifest.documents.some((d) => d.title.includes('晋中')),
      docs.join(', '),
    );
    const chunks = JSON.parse(
      readFileSync(path.join(indexDir, 'current', 'chunks.json'), 'utf8'),
    ) as Array<{ docId: string; text: string }>;
    const large = chunks.filter((c) => c.docId === 'large.txt').length;
    r.figure('passages of the 50 MB .txt', String(large));
    r.check('the 50 MB .txt is indexed with its passages', large > 10_000, `${large} passages`);
    r.check(
      'no passage holds binary garbage',
      !chunks.some((c) => /[\u0000-\u0008\ufffd]/.test(c.text)),
    );

    const second = await ingest(env);
    r.figure('second ingest', `${(second.ms / 1000).toFixed(1)} s`);
    const unchanged = Number(/未变 (\d+)/.exec(second.out)?.[1] ?? -1);
    const kept = Number(/(\d+) 个段落/.exec(second.out)?.[1] ?? -1);
    r.check(
      'the next run calls all four reports unchanged, re-embeds nothing and keeps every passage',
      second.code === 0 &&
        unchanged === 4 &&
        /新向量 0 个/.test(second.out) &&
        kept === manifest.counts.chunks,
      second.out.split('\n').slice(0, 2).join(' | '),
    );

    const server = await startServerProcess({
      env: { CORPUS_DIR: corpus, INDEX_DIR: indexDir, DATA_DIR: path.join(ctx.work, 'bad-data') },
      timeoutMs: 300_000,
    });
    try {
      const answer = await ask(server.url, '2021年山西办理了多少件人大代表建议？');
      const citations = (answer.body['citations'] ?? []) as Array<{ text: string }>;
      r.check(
        'the server answers from the new index',
        answer.status === 200 && citations.length > 0,
      );
      r.check(
        'no cited passage is garbage',
        citations.every((c) => !/[\u0000-\u0008\ufffd]/.test(c.text)),
      );
    } finally {
      await server.stop();
    }
    return r;
  },
};
