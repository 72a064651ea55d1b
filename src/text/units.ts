/**
 * Units of measure, read from units.txt beside this module: which words after a number
 * are its unit, the family each belongs to (人 and 人次 both count people; 公里 and 米 both
 * measure length) and the question words that ask for a family (多长 → 长度). Pure except
 * the one read of the data file.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const UNITS_FILE = fileURLToPath(new URL('./units.txt', import.meta.url));

export interface UnitTable {
  /** Every unit, longest first (the order a regular expression alternation needs). */
  units: string[];
  /** Unit → its family. */
  family: Map<string, string>;
  /** Question wording → the family it asks for, longest wording first. */
  asks: Array<[string, string]>;
  /** Family asked → other families whose figures answer it too (几个 asks 个数; 3家, 5所 answer). */
  alike: Map<string, Set<string>>;
}

/** Parses units.txt: `族名: 单位 …`, `问法 … = 族名` and `族名 ~ 族名 …` lines; `#` starts a comment. */
export function parseUnits(text: string): UnitTable {
  const family = new Map<string, string>();
  const asks: Array<[string, string]> = [];
  const alike = new Map<string, Set<string>>();
  for (const [n, raw] of text.split('\n').entries()) {
    const line = raw.replace(/#.*/, '').trim();
    if (!line) continue;
    const fam = /^([^:=\s]+)\s*:\s*(.+)$/.exec(line);
    const ask = /^([^:=~]+?)\s*=\s*(\S+)$/.exec(line);
    const like = /^([^:=~\s]+)\s*~\s*(.+)$/.exec(line);
    if (like) alike.set(like[1]!, new Set(like[2]!.split(/\s+/)));
    else if (fam) {
      for (const unit of fam[2]!.split(/\s+/)) {
        if (family.has(unit)) throw new Error(`units.txt:${n + 1}: 「${unit}」 is in two families`);
        family.set(unit, fam[1]!);
      }
    } else if (ask) for (const word of ask[1]!.split(/\s+/)) asks.push([word, ask[2]!]);
    else
      throw new Error(
        `units.txt:${n + 1}: not 「族名: 单位 …」, 「问法 … = 族名」 nor 「族名 ~ 族名 …」`,
      );
  }
  const families = new Set(family.values());
  for (const [word, fam] of asks)
    if (!families.has(fam)) throw new Error(`units.txt: 「${word} = ${fam}」 names no family`);
  for (const [fam, others] of alike)
    for (const f of [fam, ...others])
      if (!families.has(f)) throw new Error(`units.txt: 「${fam} ~ …」 names no family 「${f}」`);
  return {
    units: [...family.keys()].sort((a, b) => b.length - a.length),
    family,
    asks: asks.sort((a, b) => b[0].length - a[0].length),
    alike,
  };
}

let table: UnitTable | undefined;

/** The built-in unit table (read once). */
export function unitTable(): UnitTable {
  return (table ??= parseUnits(readFileSync(UNITS_FILE, 'utf8')));
}

/** The family of a unit, with 万/亿/千 before it ignored (万人 → 人数); null when unknown. */
export function unitFamily(unit: string, units = unitTable()): string | null {
  return units.family.get(unit) ?? units.family.get(unit.replace(/^(?:万亿|万|亿|千)/, '')) ?? null;
}

/** The family of figure a question asks for by its wording (「多长」 → 长度), or null. */
export function askedFamily(question: string, units = unitTable()): string | null {
  for (const [word, fam] of units.asks) if (question.includes(word)) return fam;
  // The people counted: 「的人…多少」, 「人数…多少」.
  if (/(?:的人|人数)(?:一共|总共|大概|大约)?(?:有|是|达到)?多少/.test(question))
    return units.family.get('人') ?? null;
  return null;
}

/** Whether a figure of unit family `found` answers a question asking for family `asked` (the same family, or one units.txt makes alike). */
export function familyAnswers(asked: string, found: string | null, units = unitTable()): boolean {
  return found !== null && (found === asked || (units.alike.get(asked)?.has(found) ?? false));
}
