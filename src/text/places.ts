/**
 * Province-level places, as short names (山西, not 山西省): one list for ingest and
 * questions, read once from places.txt beside this module.
 */
import { readWordLists } from './word-lists.js';

const PLACE_LISTS = readWordLists('places.txt', [
  'mainland',
  'other-regions',
  'short',
  'not-names',
]);

/** The 31 mainland provinces, autonomous regions and municipalities, in the file's order. */
export const MAINLAND_PROVINCES: readonly string[] = PLACE_LISTS.mainland;

/** Hong Kong, Macao and Taiwan. */
export const OTHER_REGIONS: readonly string[] = PLACE_LISTS['other-regions'];

/** Words the segmenter tags as place names that name no one place (城镇, 山区; 新建, a verb). */
export const NOT_PLACE_NAMES: ReadonlySet<string> = new Set(PLACE_LISTS['not-names']);

/** One-character short names as hotline staff write them (津 → 天津). */
export const SHORT_NAMES: ReadonlyMap<string, string> = new Map(
  PLACE_LISTS.short.map((pair) => {
    const [short, place] = pair.split('=');
    if (!short || !place) throw new Error(`places.txt: short: expected 简称=地名, got "${pair}"`);
    return [short, place] as const;
  }),
);
