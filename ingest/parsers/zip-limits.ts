/**
 * What a .docx expands to, measured before mammoth unpacks it: a 1 MB Word file can hold
 * 300 MB of XML (a "zip bomb"), which would run the ingest out of memory. Reads the zip's
 * central directory, then inflates each part with zlib's `maxOutputLength`, so a part that
 * lies about its size is stopped at the limit too. Also counts the paragraphs of the main
 * document. Pure (bytes in, numbers or an IngestFileError out).
 */
import { inflateRawSync } from 'node:zlib';
import { IngestFileError, mb, type IngestLimits } from '../file-errors.js';

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

interface Entry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

const damaged = (what: string) =>
  new IngestFileError(
    'FILE_DAMAGED',
    `无法解析 Word 文件（.docx 损坏，或是旧版 .doc 改了扩展名）：${what}`,
  );

function centralDirectory(bytes: Buffer): Entry[] {
  // The end record is in the last 64 KB + 22 bytes (its comment is at most 65535 bytes).
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 65_557); i--) {
    if (bytes.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw damaged('不是 zip 格式');
  const count = bytes.readUInt16LE(eocd + 10);
  let at = bytes.readUInt32LE(eocd + 16);
  const entries: Entry[] = [];
  for (let i = 0; i < count; i++) {
    if (at + 46 > bytes.length || bytes.readUInt32LE(at) !== CENTRAL) throw damaged('目录区损坏');
    const nameLength = bytes.readUInt16LE(at + 28);
    entries.push({
      method: bytes.readUInt16LE(at + 10),
      compressedSize: bytes.readUInt32LE(at + 20),
      size: bytes.readUInt32LE(at + 24),
      localOffset: bytes.readUInt32LE(at + 42),
      name: bytes.toString('utf8', at + 46, at + 46 + nameLength),
    });
    at += 46 + nameLength + bytes.readUInt16LE(at + 30) + bytes.readUInt16LE(at + 32);
  }
  return entries;
}

const tooLarge = (limit: number) =>
  new IngestFileError(
    'FILE_TOO_LARGE',
    `Word 文件解压后超过 ${mb(limit)}（INGEST_MAX_UNCOMPRESSED_BYTES），已跳过`,
  );

/** One part, inflated to at most `budget` bytes (more fails with FILE_TOO_LARGE naming `limit`). */
function inflate(bytes: Buffer, entry: Entry, budget: number, limit: number): Buffer {
  const at = entry.localOffset;
  if (at + 30 > bytes.length || bytes.readUInt32LE(at) !== LOCAL)
    throw damaged(`${entry.name} 损坏`);
  const start = at + 30 + bytes.readUInt16LE(at + 26) + bytes.readUInt16LE(at + 28);
  const data = bytes.subarray(start, start + entry.compressedSize);
  if (entry.method === 0) return data;
  if (entry.method !== 8) throw damaged(`${entry.name} 使用了不支持的压缩方式 ${entry.method}`);
  try {
    return inflateRawSync(data, { maxOutputLength: Math.max(1, budget) });
  } catch (error) {
    if (error instanceof RangeError || (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE')
      throw tooLarge(limit);
    throw damaged(`${entry.name} 无法解压`);
  }
}

/** Throws FILE_TOO_LARGE when the .docx expands past the limits, FILE_DAMAGED when it is not a readable zip. */
export function checkDocxExpansion(bytes: Buffer, limits: IngestLimits): void {
  const entries = centralDirectory(bytes);
  const declared = entries.reduce((sum, e) => sum + e.size, 0);
  if (declared > limits.maxUncompressedBytes || entries.some((e) => e.size === 0xffffffff))
    throw tooLarge(limits.maxUncompressedBytes);
  let total = 0;
  for (const entry of entries) {
    if (entry.name.endsWith('/')) continue;
    const out = inflate(
      bytes,
      entry,
      limits.maxUncompressedBytes - total + 1,
      limits.maxUncompressedBytes,
    );
    total += out.length;
    if (total > limits.maxUncompressedBytes) throw tooLarge(limits.maxUncompressedBytes);
    if (entry.name === 'word/document.xml') {
      const paragraphs = out.toString('latin1').match(/<w:p[ >/]/g)?.length ?? 0;
      if (paragraphs > limits.maxParagraphs) {
        throw new IngestFileError(
          'FILE_TOO_LARGE',
          `Word 文件有 ${paragraphs} 个段落，超过 ${limits.maxParagraphs} 个（INGEST_MAX_PARAGRAPHS），已跳过`,
        );
      }
    }
  }
}
