/**
 * Structure: finds 公文 headings (一、 / （一） / 1.) and the untitled parts (the opening,
 * the shortcomings paragraph, the plan for the next year) and splits the cleaned text into
 * paragraphs, each with its section path. Pure.
 */
import type { Section } from '../src/types.js';

export interface Paragraph {
  start: number;
  end: number;
  path: string[];
  period: Section['period'];
}

export interface Structure {
  /** The title line's span, when the first line is the title. */
  title: { start: number; end: number } | null;
  sections: Section[];
  paragraphs: Paragraph[];
}

const L1 = /^[一二三四五六七八九十]{1,3}、/;
const L2 = /^[(（][一二三四五六七八九十]{1,3}[)）]/;
const L3 = /^\d{1,2}[.．、](?!\d)/;
const SHORTCOMINGS =
  /^(?:同时|但是?|当前|与此同时)?[,，]?\s*(?:我们)?(?:也)?清醒(?:地)?(?:认识|看到)|^(?:工作中|发展中)?(?:还)?存在(?:的)?(?:一些)?(?:问题|不足|差距)|^在肯定成绩的同时/;
const PLAN = /^(?:今年是|明年是|20\d{2}年是|新的一年|下一步|展望\d{4}|今后一个时期)/;

export const OPENING = '引言';
export const SHORTCOMINGS_SECTION = '存在的不足';
export const PLAN_SECTION = '下一步工作安排';

const REVIEW_HINT = /回顾|过去一年|过去五年|主要成绩|取得|成就|成效|工作总结/;
const PLAN_HINT =
  /总体要求|主要目标|工作安排|重点工作|重点任务|今年|下一步|\d{4}年.{0,4}(?:工作|任务)(?!回顾)/;

/** Words of a chapter title (「2024年工作回顾」, 「“十五五”时期的主要目标任务」, 「2026年重点工作」). */
const CHAPTER_WORDS =
  /回顾|发展成就|工作安排|重点工作|工作任务|目标任务|主要目标|重点任务|总体要求/;

/** An unnumbered chapter title on a line of its own: short, no punctuation, saying its period. */
function unnumberedChapter(line: string): boolean {
  return (
    line.length <= 30 &&
    !/[，,。；;：:！!？?]/.test(line) &&
    CHAPTER_WORDS.test(line) &&
    headingPeriod(line) !== null
  );
}

function headingPeriod(heading: string): Section['period'] | null {
  if (REVIEW_HINT.test(heading)) return 'review';
  if (PLAN_HINT.test(heading)) return 'plan';
  return null;
}

/** A heading that stands alone on its line (no sentence punctuation, not too long). */
function standaloneHeading(line: string): boolean {
  return line.length <= 60 && !/[。；;]/.test(line.slice(0, -1));
}

/** For an inline heading (「（一）坚持稳中求进。大力…」) the heading is the first sentence. */
function inlineHeading(line: string): string {
  const m = line.match(/^[^。!?！？;；]{2,60}[。!?！？;；]/);
  return (m ? m[0] : line.slice(0, 40)).replace(/[。;；]$/, '');
}

export interface StructureOptions {
  title?: string;
  /** Period of sections whose headings do not say (annual reports: review). */
  defaultPeriod?: Section['period'];
}

export function findStructure(text: string, options: StructureOptions = {}): Structure {
  const defaultPeriod = options.defaultPeriod ?? 'other';
  const paragraphs: Paragraph[] = [];
  const sections: Section[] = [];
  let title: Structure['title'] = null;
  let path: string[] = [];
  let period: Section['period'] = defaultPeriod;
  let periods: Section['period'][] = [];
  let seenHeading = false;
  /** Whether the current chapter's heading says its period (「一、2024年工作回顾」). */
  let headingSaysPeriod = false;
  /** Whether a chapter before this one was the plan (「2026年工作安排」). */
  let planBegun = false;

  const open = (newPath: string[], newPeriod: Section['period'], at: number) => {
    const last = sections[sections.length - 1];
    if (last) last.end = at;
    path = newPath;
    period = newPeriod;
    sections.push({ path: newPath, period: newPeriod, start: at, end: text.length });
  };

  let offset = 0;
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    const start = offset;
    const end = start + line.length;
    offset = end + 1;
    if (line.trim() === '') return;
    if (
      i === 0 &&
      options.title &&
      line.includes(options.title) &&
      line.length <= options.title.length + 8
    ) {
      title = { start, end };
      return;
    }
    let level = 0;
    if (L1.test(line)) level = 1;
    else if (L2.test(line)) level = 2;
    else if (L3.test(line) && seenHeading) level = 3;
    else if (unnumberedChapter(line.trim())) level = 1;
    if (level > 0 && (standaloneHeading(line) || level >= 2)) {
      const standalone = standaloneHeading(line);
      const heading = standalone ? line : inlineHeading(line);
      const parentPath = path.slice(0, level - 1);
      const parentPeriods = periods.slice(0, level - 1);
      // A chapter that says no period of its own, once the plan has begun, is still the plan
      // (a report's chapters after its tasks for the year: its government's own conduct, a
      // list of that year's projects).
      const inherited =
        parentPeriods[parentPeriods.length - 1] ?? (planBegun ? 'plan' : defaultPeriod);
      const p = headingPeriod(heading) ?? inherited;
      periods = [...parentPeriods, p];
      if (level === 1) {
        headingSaysPeriod = headingPeriod(heading) !== null;
        if (p === 'plan') planBegun = true;
      }
      seenHeading = true;
      open([...parentPath, heading], p, start);
      if (standalone) return;
    } else if (seenHeading && !headingSaysPeriod && SHORTCOMINGS.test(line)) {
      periods = ['review'];
      open([SHORTCOMINGS_SECTION], 'review', start);
    } else if (seenHeading && !headingSaysPeriod && PLAN.test(line)) {
      periods = ['plan'];
      open([PLAN_SECTION], 'plan', start);
    } else if (sections.length === 0) {
      periods = [defaultPeriod];
      open([OPENING], defaultPeriod, start);
    }
    paragraphs.push({ start, end, path, period });
  });
  return { title, sections, paragraphs };
}
