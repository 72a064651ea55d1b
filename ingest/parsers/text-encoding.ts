/**
 * Bytes of a text file → a string, whatever the encoding: a BOM decides (UTF-8, UTF-16 LE
 * or BE); otherwise valid UTF-8 is UTF-8, and anything else is tried as GB18030 (a
 * superset of GBK and GB2312) and UTF-16 through iconv-lite and kept only when it reads as
 * text. Binary files (executables, images, random bytes) are refused with a reason. Pure.
 */
import iconv from 'iconv-lite';
import { IngestFileError } from '../file-errors.js';

/** Magic numbers of common binary formats that are never reports in a text file. */
const MAGIC: Array<[number[], string]> = [
  [[0x7f, 0x45, 0x4c, 0x46], 'ELF 可执行文件'],
  [[0x4d, 0x5a], 'Windows 可执行文件'],
  [[0x89, 0x50, 0x4e, 0x47], 'PNG 图片'],
  [[0xff, 0xd8, 0xff], 'JPEG 图片'],
  [[0x25, 0x50, 0x44, 0x46], 'PDF 文件（请使用 .pdf 扩展名）'],
  [[0x50, 0x4b, 0x03, 0x04], 'ZIP 压缩包（.docx 请使用 .docx 扩展名）'],
  [[0x1f, 0x8b], 'gzip 压缩包'],
  [[0xd0, 0xcf, 0x11, 0xe0], '旧版 Office 文件（.doc/.xls）'],
];

/** Characters a report's text is made of. Anything else in quantity means a wrong decoding. */
const TEXTUAL =
  /[\p{Script=Han}\p{P}\p{Zs}\t\n\r\f\u0020-\u007e\u3000-\u303f\uff00-\uffef\u2000-\u206f\u00a0-\u00ff]/u;

/** Share of the sample's characters that look like text (0–1). */
function textualShare(text: string): number {
  let total = 0;
  let good = 0;
  for (const ch of text.slice(0, 20_000)) {
    total++;
    if (TEXTUAL.test(ch)) good++;
  }
  return total === 0 ? 1 : good / total;
}

/** Decoded text must be at least this textual to be kept (measured: reports ≥ 0.99, random bytes as GB18030 ≈ 0.6). */
const MIN_TEXTUAL = 0.97;

function startsWith(bytes: Buffer, magic: number[]): boolean {
  return magic.every((b, i) => bytes[i] === b);
}

function isUtf8(bytes: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** How many of the sample's even and odd bytes are NUL (UTF-16 text of ASCII has one of them high). */
function nulShares(sample: Buffer): { even: number; odd: number; any: boolean } {
  let even = 0;
  let odd = 0;
  for (let i = 0; i < sample.length; i++) {
    if (sample[i] === 0) {
      if (i % 2 === 0) even++;
      else odd++;
    }
  }
  const half = Math.max(1, sample.length / 2);
  return { even: even / half, odd: odd / half, any: even + odd > 0 };
}

/** The text of a .txt/.md/.html file; throws IngestFileError (FILE_BINARY, FILE_ENCODING). */
export function decodeText(bytes: Buffer): string {
  if (bytes.length === 0) return '';
  if (startsWith(bytes, [0xef, 0xbb, 0xbf])) return bytes.subarray(3).toString('utf8');
  if (startsWith(bytes, [0xff, 0xfe])) return iconv.decode(bytes.subarray(2), 'utf-16le');
  if (startsWith(bytes, [0xfe, 0xff])) return iconv.decode(bytes.subarray(2), 'utf-16be');
  for (const [magic, what] of MAGIC) {
    if (startsWith(bytes, magic))
      throw new IngestFileError('FILE_BINARY', `不是文本文件（${what}），已跳过`);
  }
  const sample = bytes.subarray(0, 64 * 1024);
  const nul = nulShares(sample);
  const candidates: Array<{ encoding: string; text: () => string }> = [];
  if (!nul.any && isUtf8(bytes))
    candidates.push({ encoding: 'utf-8', text: () => bytes.toString('utf8') });
  else if (!nul.any)
    candidates.push({ encoding: 'gb18030', text: () => iconv.decode(bytes, 'gb18030') });
  else {
    // NUL bytes: UTF-16 without a BOM, or binary. Try the byte order the NULs suggest first.
    const order = nul.odd >= nul.even ? ['utf-16le', 'utf-16be'] : ['utf-16be', 'utf-16le'];
    for (const encoding of order)
      candidates.push({ encoding, text: () => iconv.decode(bytes, encoding) });
  }
  for (const candidate of candidates) {
    // Judge on a decoded sample first: a 50 MB file is decoded whole only once.
    const head = iconv.decode(sample, candidate.encoding);
    if (textualShare(head) >= MIN_TEXTUAL) {
      const text = candidate.text();
      if (textualShare(text.slice(-20_000)) >= MIN_TEXTUAL) return text;
    }
  }
  if (nul.any || candidates[0]?.encoding === 'utf-8') {
    throw new IngestFileError(
      'FILE_BINARY',
      '不是文本文件（含有大量控制字符或二进制数据），已跳过',
    );
  }
  throw new IngestFileError(
    'FILE_ENCODING',
    '无法识别文件编码（不是 UTF-8、UTF-16 或 GBK/GB18030 文本，也可能是二进制文件），已跳过；请另存为 UTF-8 后重新导入',
  );
}
