/**
 * What kind of figure a clause states, and over what period, pure: a target (增长5%左右,
 * 力争…) or a result, a rank (居全国第3位), a share (占比55.1%); a single year, a five-year
 * span (十四五, 五年来), a yearly average (年均) or a running total (累计). Used at ingest for
 * facts and at answer time to match the kind and period a question asks for.
 */

export type FigureKind = 'target' | 'actual' | 'rank' | 'share';
export type FigureSpan = 'year' | 'five-year' | 'average' | 'cumulative';

/** Words that make a figure a target or expectation, not a result. */
const TARGET = /目标|左右|力争|预期|预计|争取|控制在|确保|以内|以上[，,；;。]|以上$|计划/;
/** Words of a rank. */
const RANK = /第[一二三四五六七八九十\d]+位?|首位|前列|位居|居全国|排名/;
/** Words of a share. */
const SHARE = /占比|比重|占[^，,；;。]{0,12}(?:比|%)|比例|覆盖率/;
const AVERAGE = /年均|平均每年|年平均/;
const FIVE_YEAR = /十四五|十五五|十三五|五年来|五年间|过去五年|这五年|五年累计/;
const CUMULATIVE = /累计|总计|合计|共计/;

/** The kind of the figure a clause states; `period` is its passage's (a plan section states targets). */
export function figureKind(
  clause: string,
  period: 'review' | 'plan' | 'other' = 'other',
): FigureKind {
  if (RANK.test(clause)) return 'rank';
  if (TARGET.test(clause) || period === 'plan') return 'target';
  if (SHARE.test(clause)) return 'share';
  return 'actual';
}

/** The period a clause's figure covers. */
export function figureSpan(clause: string): FigureSpan {
  if (AVERAGE.test(clause)) return 'average';
  if (FIVE_YEAR.test(clause)) return 'five-year';
  if (CUMULATIVE.test(clause)) return 'cumulative';
  return 'year';
}

/** Words of a question asking for a rank. */
const ASKS_RANK = /第几|排名|排第|位次|名列/;

/** Whether a question asks for a rank (第几, 排名). */
export function asksRank(question: string): boolean {
  return ASKS_RANK.test(question);
}

/** What a question asks for: a target or a result (null when it does not say), and over what span. */
export function askedKind(question: string): { target: boolean | null; span: FigureSpan } {
  const target = /目标|计划|预期|打算|力争|预计|准备|将要|今年要|明年要/.test(question)
    ? true
    : /实际|完成|实现|达到|去年|上年|取得|增长了|了多少/.test(question)
      ? false
      : null;
  return { target, span: figureSpan(question) };
}

/** Whether a figure is a change over a period (新增30公里) or a level reached (达到909公里). */
export type FigureChange = 'change' | 'level';

/** Words before a figure that make it a change. */
const CHANGE = /(?:新增|增加|增长|提高|提升|下降|减少|降低|多了|新建|新开)[^，,；;。、]{0,10}$/;
/** Words before a figure that make it a level. */
const LEVEL =
  /(?:达到|达|累计|总计|合计|共计|共有|总数|总量|总长|总里程|保有量|规模|突破|超过|增至|增加到|增长到|提高到|降至|下降到|为)[^，,；;。、]{0,10}$/;

/** What the words right before a figure (in its clause) make of it, or null when they do not say. */
export function figureChange(before: string): FigureChange | null {
  const lead = before.slice(-16);
  const level = LEVEL.exec(lead);
  const change = CHANGE.exec(lead);
  if (level && (!change || level.index >= change.index)) return 'level';
  return change ? 'change' : null;
}

/** Whether a question asks for a change (新增了多少, 增加了多少) or a level (一共, 总共, 累计, 现在有多少), or does not say. */
export function askedChange(question: string): FigureChange | null {
  if (
    /一共|总共|总计|累计|合计|共有|总数|总量|总长|总里程|保有量|加起来|现在有|目前有|截至/.test(
      question,
    )
  )
    return 'level';
  if (/新增|增加了?多少|多了多少|多出|新建了?多少|增长了?多少/.test(question)) return 'change';
  return null;
}
