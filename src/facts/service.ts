/**
 * The facts behind GET /api/facts: read from the live index's facts.json the first time
 * they are asked for, and again whenever the engine is replaced (a new index was loaded).
 */
import type { Engine } from '../engine-types.js';
import { AppError } from '../errors.js';
import { readFacts } from '../index-store.js';
import { loadLexicon, type Lexicon } from '../text/lexicon.js';
import { FactIndex, type FactDocument, type FactQuery, type FactSearchResult } from './search.js';

export interface FactsServiceOptions {
  /** The INDEX_DIR the engine was loaded from. */
  indexDir: string;
  /** The loaded engine, or null while the index loads. */
  engine: () => Engine | null;
  /** @default the built-in lexicon plus `lexiconFile`, loaded on first use */
  lexicon?: Lexicon;
  /** An operator's extra lexicon (LEXICON_FILE). @default '' */
  lexiconFile?: string;
}

export interface FactsService {
  /** Throws INDEX_NOT_READY while the index loads; INDEX_MISMATCH when it has no facts.json. */
  search(
    query: FactQuery,
  ): Promise<FactSearchResult & { documents: FactDocument[]; years: number[] }>;
}

/** Creates the service; facts are loaded lazily and shared by concurrent requests. */
export function createFactsService(options: FactsServiceOptions): FactsService {
  let loadedFor: Engine | null = null;
  let index: Promise<FactIndex> | null = null;
  let lexicon = options.lexicon ?? null;

  const current = (): Promise<FactIndex> => {
    const engine = options.engine();
    if (!engine) throw new AppError('INDEX_NOT_READY');
    if (engine !== loadedFor || !index) {
      loadedFor = engine;
      index = readFacts(options.indexDir).then((facts) => {
        if (!facts) {
          throw new AppError('INDEX_MISMATCH', {
            message:
              '索引中没有数据条目（facts.json），它由旧版本生成。请运行 npm run ingest 更新索引。',
          });
        }
        lexicon ??= loadLexicon(options.lexiconFile ?? '');
        return new FactIndex(facts, { lexicon });
      });
      index.catch(() => (index = null)); // retry on the next request
    }
    return index;
  };

  return {
    async search(query) {
      const facts = await current();
      return { ...facts.search(query), documents: facts.documents(), years: facts.years() };
    },
  };
}
