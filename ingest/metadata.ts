/**
 * Document metadata from the cleaned text, the metadata bar and the file name:
 * title, issuing body, publication date, reporting year, region and document type. Pure.
 */
import { MAINLAND_PROVINCES, OTHER_REGIONS } from '../src/text/places.js';
import type { Delivery, DocumentMeta } from '../src/types.js';
import { yearsStated } from '../src/text/figures.js';

const PROVINCES: string[] = [...MAINLAND_PROVINCES, ...OTHER_REGIONS];
const NATIONAL = /国务院|全国|中华人民共和国|中央人民政府/;

export interface MetadataInput {
  docId: string;
  text: string;
  metaLines: string[];
  hash: string;
  /** Overrides from a sidecar file (`<name>.meta.json`). */
  overrides?: Partial<DocumentMeta>;
}

const TITLE_HINT = /报告|公报|纲要|规划|意见|通知|方案|办法|条例|决定|白皮书/;

/**
 * The first short line that reads like a title (no sentence punctuation; a 「——」 subtitle
 * cut off), else the file name. A bare 「政府工作报告」 gets the year and place from the
 * file name, so titles tell documents apart.
 */
export function detectTitle(text: string, docId: string): string {
  const lines = text.split('\n').slice(0, 6);
  const hit = lines.find(
    (l) => l.length >= 4 && TITLE_HINT.test(l.split('——')[0]!) && !/[。;；]/.test(l),
  );
  const base = docId.replace(/^.*\//, '').replace(/\.[^.]+$/, '');
  if (!hit) return base.replace(/[_-]+/g, ' ').trim();
  let title = hit.split('——')[0]!.trim().slice(0, 60);
  if (!/(19|20)\d{2}/.test(title)) {
    const year = base.match(/(19|20)\d{2}/)?.[0];
    const place = base.match(new RegExp(`(?:${PROVINCES.join('|')})(?:省|市|自治区)?|国务院`))?.[0];
    if (place && !title.includes(place)) title = `${place}${title}`;
    if (year) title = `${year}年${title}`;
  }
  return title;
}

function pad(n: string): string {
  return n.padStart(2, '0');
}

/**
 * First date in the metadata bar or in a short line at the head (title, subtitle, 时间 line),
 * as YYYY-MM-DD. Dates inside the body are events, not the publication date.
 */
export function detectDate(metaLines: string[], text: string): string | null {
  const head = text
    .split('\n')
    .slice(0, 4)
    .filter((l) => l.length <= 80);
  const sources = [...metaLines, ...head];
  for (const s of sources) {
    const m = s.match(/(\d{4})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})/);
    if (m) return `${m[1]}-${pad(m[2]!)}-${pad(m[3]!)}`;
  }
  return null;
}

export function detectSource(metaLines: string[], text: string): string | null {
  for (const s of [...metaLines, ...text.split('\n').slice(0, 6)]) {
    const m = s.match(/(?:信息来源|来源|发布机构|发文机关)\s*[:：]\s*([^\s|，,]{2,30})/);
    if (m) return m[1]!;
  }
  return null;
}

/** An http(s) address as written, or null (javascript:, relative or malformed addresses are not links). */
export function httpUrl(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  try {
    const url = new URL(value.trim());
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

/**
 * The scraped page's own address: a 原文链接/原文地址/网址/URL line in the metadata bar or the
 * head (htmlToText writes a page's canonical link as such a line).
 */
export function detectSourceUrl(metaLines: string[], text: string): string | null {
  for (const s of [...metaLines, ...text.split('\n').slice(0, 6)]) {
    const m = s.match(
      /(?:原文链接|原文地址|原文网址|本文网址|本文链接|网址|链接|URL)\s*[:：]\s*(https?:\/\/\S+)/i,
    );
    const url = m ? httpUrl(m[1]) : null;
    if (url) return url;
  }
  return null;
}

export function detectRegion(title: string, docId: string): string | null {
  const hay = `${title} ${docId}`;
  for (const p of PROVINCES) if (hay.includes(p)) return p;
  if (NATIONAL.test(hay)) return '全国';
  return null;
}

export function detectDocType(title: string): string {
  if (/法治政府建设.*报告/.test(title)) return '法治政府建设年度报告';
  if (/政府工作报告/.test(title)) return '政府工作报告';
  if (/统计公报/.test(title)) return '统计公报';
  if (/报告/.test(title)) return '报告';
  return '文件';
}

/**
 * The year a report is about. Annual reports (…年度…报告) cover the year in the title;
 * a government work report reviews the year before the one in its title.
 */
export function detectYears(
  title: string,
  docId: string,
  publishedAt: string | null,
): { reportYear: number | null; reviewYear: number | null; planYear: number | null } {
  const m = title.match(/(20\d{2}|19\d{2})\s*年/) ?? docId.match(/(20\d{2}|19\d{2})/);
  const titleYear = m ? Number(m[1]) : null;
  const pubYear = publishedAt ? Number(publishedAt.slice(0, 4)) : null;
  if (titleYear === null)
    return { reportYear: pubYear, reviewYear: pubYear ? pubYear - 1 : null, planYear: pubYear };
  if (/政府工作报告/.test(title))
    return { reportYear: titleYear, reviewYear: titleYear - 1, planYear: titleYear };
  return {
    reportYear: titleYear,
    reviewYear: titleYear,
    planYear: pubYear && pubYear > titleYear ? pubYear : titleYear + 1,
  };
}

const SESSION = /(\d{4})年(\d{1,2})月(\d{1,2})日在([^\n]{4,40}?(?:会议|大会))上/;
const OFFICE = '(?:国务院)?总理|省长|市长|主席|区长|州长|县长';
const SPEAKER = new RegExp(
  `(${OFFICE})[\\s\u3000]*([\u4e00-\u9fff](?:[ \u3000]?[\u4e00-\u9fff]){1,3}?)(?=作|[ \u3000]*(?:\n|$))`,
);

/**
 * When, where and by whom a report was delivered, from its opening lines (before 「各位代表」):
 * 「2025年1月20日在安徽省第十四届人民代表大会第三次会议上」 and 「省长 王清宪」. Null when
 * the head says neither.
 */
export function detectDelivery(text: string): Delivery | null {
  const stop = text.indexOf('各位代表');
  const head = text.slice(0, stop > 0 ? Math.min(stop, 800) : 400);
  const session = SESSION.exec(head);
  const speaker = SPEAKER.exec(head);
  if (!session && !speaker) return null;
  const spans = [session, speaker].filter((m): m is RegExpExecArray => m !== null);
  const name = speaker ? speaker[2]!.replace(/[\s\u3000]/g, '') : null;
  let end = Math.max(...spans.map((m) => m.index + m[0].length));
  // The words that say the speaker delivered it (「省长许昆林作政府工作报告」, or a line
  // 「张工作政府工作报告。」 under the name) belong to the cited span.
  if (speaker && name) {
    const after = head.slice(speaker.index + speaker[0].length);
    const made = new RegExp(`^(?:[ \u3000]*\n[ \u3000]*${name})?作[^\n。]{0,12}报告`).exec(after);
    if (made) end = Math.max(end, speaker.index + speaker[0].length + made[0].length);
  }
  return {
    date: session ? `${session[1]}-${pad(session[2]!)}-${pad(session[3]!)}` : null,
    occasion: session ? session[4]!.replace(/^——/, '') : null,
    speaker: name,
    role: speaker ? speaker[1]! : null,
    start: Math.min(...spans.map((m) => m.index)),
    end,
  };
}

export function extractMetadata(input: MetadataInput): DocumentMeta {
  const title = detectTitle(input.text, input.docId);
  const publishedAt = detectDate(input.metaLines, input.text);
  // Only government documents are about a region and a year; an encyclopedia page titled
  // 「北京大学」 is not, and the dates in its text are events.
  const docType = input.overrides?.docType ?? detectDocType(title);
  const official = docType !== '文件' && docType !== '百科';
  const region = official ? detectRegion(title, input.docId) : null;
  const years = official
    ? detectYears(title, input.docId, publishedAt)
    : { reportYear: null, reviewYear: null, planYear: null };
  const issuer =
    region === '全国'
      ? '国务院'
      : region
        ? `${region}${/市/.test(title) ? '市' : '省'}人民政府`
        : '';
  const source = detectSource(input.metaLines, input.text) ?? issuer;
  const meta: DocumentMeta = {
    docId: input.docId,
    title,
    source,
    issuer,
    publishedAt,
    reportYear: years.reportYear,
    reviewYear: years.reviewYear,
    planYear: years.planYear,
    region,
    docType,
    hash: input.hash,
    chars: input.text.length,
  };
  const delivered = official ? detectDelivery(input.text) : null;
  if (delivered) meta.delivered = delivered;
  const stated = yearsStated(input.text);
  if (stated.length > 0) meta.statedYears = stated;
  const sourceUrl =
    input.overrides?.sourceUrl !== undefined
      ? httpUrl(input.overrides.sourceUrl)
      : detectSourceUrl(input.metaLines, input.text);
  const merged: DocumentMeta = {
    ...meta,
    ...input.overrides,
    docId: input.docId,
    hash: input.hash,
    chars: input.text.length,
  };
  delete merged.sourceUrl;
  return sourceUrl ? { ...merged, sourceUrl } : merged;
}
