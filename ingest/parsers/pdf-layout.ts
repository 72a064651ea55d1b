/**
 * PDF layout → report text. A PDF has no paragraphs, only positioned runs of text; this
 * rebuilds lines from the runs, drops page-number footers, and rejoins lines that the
 * page width wrapped (a line that reaches the right margin continues on the next one,
 * unless that one is indented or is a 公文 heading), across page breaks too. Spaces that
 * justified text leaves between Chinese characters are removed. Pure.
 */
import { squeezeCjkSpaces } from '../../src/text/normalize.js';

/** A run of text as PDF.js reports it (x, y of its baseline, width, font size). */
export interface PdfRun {
  str: string;
  x: number;
  y: number;
  width: number;
  size: number;
  /** PDF.js thinks a line ends after this run. */
  eol: boolean;
}

interface Line {
  text: string;
  left: number;
  right: number;
  size: number;
}

export interface PdfText {
  raw: string;
  /** Start offset of each page in `raw` (page 1 first). */
  pages: number[];
}

const HEADING =
  /^(?:[一二三四五六七八九十]{1,3}、|[(（][一二三四五六七八九十]{1,3}[)）]|\d{1,2}[.．、](?!\d)|第[一二三四五六七八九十百]+[章节条部分])/;
/** 「- 3 -」, 「3」, 「第 3 页」, 「第3页 共10页」, 「3 / 10」. */
const PAGE_NUMBER =
  /^(?:[-—–]?\s*\d{1,4}\s*[-—–]?|第\s*\d{1,4}\s*页(?:\s*[,，]?\s*共\s*\d{1,4}\s*页)?|\d{1,4}\s*\/\s*\d{1,4})$/;
const LATIN_END = /[A-Za-z]$/;
const LATIN_START = /^[A-Za-z]/;

/** Runs → lines: a new line when PDF.js says so or the baseline moves by half a font size. */
export function runsToLines(runs: PdfRun[]): Line[] {
  const lines: Line[] = [];
  let cur: (Line & { y: number }) | null = null;
  const flush = () => {
    if (cur && cur.text.trim() !== '')
      lines.push({
        text: squeezeCjkSpaces(cur.text.trim()),
        left: cur.left,
        right: cur.right,
        size: cur.size,
      });
    cur = null;
  };
  for (const run of runs) {
    if (cur && Math.abs(run.y - cur.y) > Math.max(run.size, cur.size) / 2) flush();
    if (run.str.trim() !== '') {
      cur ??= { text: '', left: run.x, right: run.x, size: run.size, y: run.y };
      cur.left = Math.min(cur.left, run.x);
      cur.text += run.str;
      cur.right = Math.max(cur.right, run.x + run.width);
      cur.size = Math.max(cur.size, run.size);
    } else if (cur) cur.text += run.str;
    if (run.eol) flush();
  }
  flush();
  return lines;
}

function join(a: string, b: string): string {
  return LATIN_END.test(a) && LATIN_START.test(b) ? `${a} ${b}` : a + b;
}

/** Splits after the first sentence end (with any closing quote), or null when there is none. */
function firstSentence(text: string): [string, string] | null {
  const m = text.match(/^[^。！？!?；;]*[。！？!?；;]+[”’」』）)]*/);
  return m ? [m[0], text.slice(m[0].length)] : null;
}

/**
 * Pages of runs → text with one paragraph per line, and each page's start offset. A
 * paragraph that runs over a page break is cut after the first sentence end on the new
 * page: the sentence that straddles the break stays whole on the page where it starts,
 * and the rest of the paragraph is counted on the new page.
 */
export function layoutToText(pages: PdfRun[][]): PdfText {
  const paragraphsByPage: string[][] = [];
  let open = false; // the last line so far reached the right margin mid-sentence
  for (const runs of pages) {
    const lines = runsToLines(runs).filter((l) => !PAGE_NUMBER.test(l.text));
    const paragraphs: string[] = [];
    let carried = false; // paragraphs[0] continues the previous page's last paragraph
    if (lines.length > 0) {
      const maxRight = Math.max(...lines.map((l) => l.right));
      const minLeft = Math.min(...lines.map((l) => l.left));
      lines.forEach((line, i) => {
        const indented = line.left > minLeft + line.size * 0.8;
        const continues = open && !indented && !HEADING.test(line.text);
        if (continues && paragraphs.length > 0)
          paragraphs[paragraphs.length - 1] = join(paragraphs.at(-1)!, line.text);
        else {
          if (continues && i === 0) carried = true;
          paragraphs.push(line.text);
        }
        // Line breaking leaves a gap before an unbreakable run such as 「100%，」: allow 4 em.
        open = line.right >= maxRight - line.size * 4 && !/[。！？!?：:]$/.test(line.text);
      });
    }
    const previous = paragraphsByPage.findLast((p) => p.length > 0);
    if (carried && previous) {
      const split = firstSentence(paragraphs[0]!);
      const [head, tail] = split ?? [paragraphs[0]!, ''];
      previous[previous.length - 1] = join(previous.at(-1)!, head);
      if (tail.trim() === '') paragraphs.shift();
      else paragraphs[0] = tail.trim();
    }
    paragraphsByPage.push(paragraphs);
  }
  let raw = '';
  const starts: number[] = [];
  for (const paragraphs of paragraphsByPage) {
    starts.push(raw.length);
    for (const p of paragraphs) raw += `${p}\n`;
  }
  return { raw, pages: starts };
}
