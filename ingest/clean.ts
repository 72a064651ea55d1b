/**
 * Cleaning: turns a scraped page or a plain report into the report's own text.
 * Drops site chrome (navigation, accessibility links, view counters, font bars, share
 * links, stray trailing fragments) and keeps every sentence of the report. Pure.
 */

/** Lines that are site chrome when they are short. */
const CHROME = [
  /无障碍/,
  /登录\s*\|?\s*注册/,
  /网站支持\s*IPv6/i,
  /浏览次数/,
  /【\s*字体/,
  /^(?:字号|字体)\s*[:：]?\s*[大中小]/,
  /打印本页|关闭窗口|打印\s*\|?\s*关闭|分享到|扫一扫|收藏本页|加入收藏|设为首页/,
  /^(?:上一篇|下一篇|返回顶部|相关链接|相关报道|责任编辑|网站地图|主办单位|版权所有)/,
  /^(?:首页|当前位置)\s*[>＞»]/,
  /^(?:下载|打印|字号)$/,
];

/** The 时间/来源 bar under a title; kept out of the text, read by metadata. */
export const META_LINE =
  /(?:时间|发布时间|日期|发布日期)\s*[:：]\s*\d{4}[-年/.]\d{1,2}[-月/.]\d{1,2}|信息来源\s*[:：]|^来源\s*[:：]|^(?:原文链接|原文地址|原文网址|本文网址|本文链接)\s*[:：]\s*https?:\/\//;

const BULLET = /^[•·●▪■◆►\-*]\s*/;
const SENTENCE_END = /[。！？!?；;…”」』)）]$/;

export interface CleanResult {
  /** The cleaned report text: title line first (when found), paragraphs separated by \n. */
  text: string;
  /** Lines removed as chrome or metadata (for the ingest report and tests). */
  dropped: string[];
  /** The metadata bar lines (时间/来源), for metadata extraction. */
  metaLines: string[];
  /**
   * Where each page starts in `text` (page 1 first), when the raw text has form-feed page
   * breaks (see pages.ts); absent otherwise.
   */
  pageStarts?: number[];
}

function isChrome(line: string): boolean {
  return line.length <= 80 && CHROME.some((re) => re.test(line));
}

/** The page's own address from `<link rel="canonical">` or `<meta property="og:url">`, if any. */
function pageAddress(html: string): string | null {
  const tag = html.match(
    /<link\b[^>]*\brel=["']?canonical["']?[^>]*>|<meta\b[^>]*\bproperty=["']?og:url["']?[^>]*>/i,
  )?.[0];
  const url = tag?.match(/\b(?:href|content)=["']?(https?:\/\/[^"'\s>]+)/i)?.[1];
  return url ?? null;
}

/**
 * Converts simple HTML to text lines: scripts/styles gone, block tags become line breaks.
 * The page's canonical address becomes a 原文链接 line (a metadata line, not report text).
 */
export function htmlToText(html: string): string {
  const address = pageAddress(html);
  return (
    (address ? `原文链接：${address.replace(/&amp;/g, '&')}\n` : '') +
    html
      .replace(/<(script|style|noscript|nav|header|footer)\b[\s\S]*?<\/\1>/gi, '\n')
      .replace(/<br\s*\/?>/gi, '\n')
      .replace(/<\/(p|div|li|h[1-6]|tr|section|article|title)>/gi, '\n')
      .replace(/<[^>]+>/g, '')
      .replace(/&nbsp;/g, ' ')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&amp;/g, '&')
  );
}

/** Markdown to plain lines: heading marks, emphasis and link syntax removed. */
export function markdownToText(md: string): string {
  return md
    .replace(/^#{1,6}\s+/gm, '')
    .replace(/^>\s?/gm, '')
    .replace(/\*\*|__|`/g, '')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1');
}

/** Normalises a raw line: NFKC, no-break spaces, bullets and surrounding space removed. */
function tidy(line: string): string {
  return line.normalize('NFKC').replace(/\s+/g, ' ').trim().replace(BULLET, '').trim();
}

export function cleanText(raw: string): CleanResult {
  const dropped: string[] = [];
  const metaLines: string[] = [];
  const kept: string[] = [];
  // Index into `kept` of each page's first line: a page break is a form feed (pages.ts).
  const pageFirstLine: number[] = [];
  for (const page of raw.replace(/\r\n?/g, '\n').split('\f')) {
    pageFirstLine.push(kept.length);
    for (const rawLine of page.split('\n')) {
      const line = tidy(rawLine);
      if (line === '') continue;
      if (line.length <= 160 && META_LINE.test(line)) {
        metaLines.push(line);
        dropped.push(line);
        continue;
      }
      if (isChrome(line)) {
        dropped.push(line);
        continue;
      }
      kept.push(line);
    }
  }
  // Stray trailing fragments (e.g. a lone 「乡镇」 from the page footer): short lines with no
  // sentence ending after the last real paragraph.
  while (kept.length > 1) {
    const last = kept[kept.length - 1]!;
    if (last.length <= 12 && !SENTENCE_END.test(last) && !/^[一二三四五六七八九十]+、/.test(last)) {
      dropped.push(last);
      kept.pop();
    } else break;
  }
  const result: CleanResult = { text: kept.join('\n'), dropped, metaLines };
  if (pageFirstLine.length > 1) {
    const lineStarts: number[] = [];
    let offset = 0;
    for (const line of kept) {
      lineStarts.push(offset);
      offset += line.length + 1;
    }
    result.pageStarts = pageFirstLine.map((i) => lineStarts[i] ?? result.text.length);
  }
  return result;
}
