/**
 * Holds the engine that answers, and swaps it: after an index build (load()), and when
 * operators add synonyms or curated answers (refresh()). A question takes the engine once
 * when it starts, so questions in flight finish on the engine they started with and the
 * next question gets the new one; nothing restarts.
 *
 * Each engine has a scope: the index version it serves and a digest of what else shapes
 * its answers (synonyms, the operator's replies, the console's fingerprint: curated
 * answers, settings). Replicas with the same scope answer alike, so they share cached
 * answers under it.
 */
import { createHash } from 'node:crypto';
import {
  createEngine,
  type EngineConfig,
  type EngineParts,
  type SmallTalkReplies,
} from '../engine.js';
import type { Engine } from '../engine-types.js';
import { createEmbedder, type Embedder } from '../embeddings/index.js';
import { loadIndex } from '../index-store.js';
import { Lexicon, lexiconEntries, type LexiconEntry } from '../text/lexicon.js';

/** Per-document figures of the loaded index. */
export interface DocumentStats {
  passages: number;
  /** Highest page cited (paged formats), else null. */
  pages: number | null;
}

export interface IndexHolder {
  /** The engine questions are answered with now, or null before the first index loads. */
  current(): Engine | null;
  /** The lexicon in use (built-in, LEXICON_FILE and the console's synonyms). */
  lexicon(): Lexicon;
  /** Reads the index on disk and swaps it in (loads run one at a time). */
  load(): Promise<void>;
  /** The index version being served (a folder name under INDEX_DIR/versions), null before the first. */
  version(): string | null;
  /** The scope of an engine this holder built (see above); undefined for any other. */
  scope(engine: Engine): string | undefined;
  /** Rebuilds the lexicon and the engine over the index in memory (synonyms or curated answers changed). */
  refresh(): void;
  /** Passages and pages of each document of the loaded index. */
  documentStats(): Map<string, DocumentStats>;
  /** The text of a passage of the loaded index. */
  chunkText(chunkId: string): string | null;
  /** The document a passage belongs to. */
  chunkDoc(chunkId: string): string | null;
}

export interface IndexHolderOptions {
  config: EngineConfig;
  /** @default createEmbedder(config) */
  embedder?: Embedder;
  /** Synonyms added at runtime (the console's), merged over the files. @default none */
  synonyms?: () => LexiconEntry[];
  /** Wraps each engine before it answers (LLM answers, curated answers). @default identity */
  wrap?: (engine: Engine, lexicon: Lexicon) => Engine;
  /** Replies to greetings, thanks and hand-off requests (the operator's settings). @default the engine's defaults */
  replies?: () => SmallTalkReplies;
  /** Called with each new engine (the app's setEngine). */
  publish: (engine: Engine) => void;
  /** What else shapes the answers (curated answers, settings), for the scope. @default '' */
  fingerprint?: () => string;
}

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Builds the holder; nothing is loaded until load(). */
export function createIndexHolder(options: IndexHolderOptions): IndexHolder {
  const embedder = options.embedder ?? createEmbedder(options.config);
  // The built-in lexicon, the vocabulary's field files and the operator's LEXICON_FILE.
  const fileEntries: LexiconEntry[] = lexiconEntries(options.config.LEXICON_FILE);
  let parts: EngineParts | null = null;
  let engine: Engine | null = null;
  let lexicon = new Lexicon(fileEntries);
  let chunkIndex = new Map<string, { text: string; docId: string }>();
  let version: string | null = null;
  const scopes = new WeakMap<Engine, string>();
  let loading: Promise<void> = Promise.resolve();

  const rebuild = () => {
    const synonyms = options.synonyms?.() ?? [];
    lexicon = new Lexicon([...fileEntries, ...synonyms]);
    if (!parts) return;
    const base = createEngine(options.config, parts, {
      lexicon,
      ...(options.replies ? { replies: options.replies } : {}),
    });
    engine = options.wrap ? options.wrap(base, lexicon) : base;
    const digest = createHash('sha1')
      .update(
        JSON.stringify([synonyms, options.replies?.() ?? null, options.fingerprint?.() ?? '']),
      )
      .digest('base64url');
    scopes.set(engine, `${version ?? 'none'}:${digest}`);
    options.publish(engine);
  };

  async function loadNow(): Promise<void> {
    const index = await loadIndex(options.config.INDEX_DIR, {
      embeddings: embedder.embeddings,
      embedderId: embedder.id,
    });
    // Loading a large index is CPU work in the serving process: give the event loop a
    // turn between the steps, so /healthz and answers on the old index get in between.
    await yieldToLoop();
    const nextChunks = new Map(index.chunks.map((c) => [c.id, { text: c.text, docId: c.docId }]));
    await yieldToLoop();
    parts = {
      manifest: index.manifest,
      documents: index.documents,
      chunks: index.chunks,
      keyword: index.keyword,
      store: index.store,
      embedder,
    };
    chunkIndex = nextChunks;
    version = index.version;
    rebuild();
  }

  return {
    current: () => engine,
    lexicon: () => lexicon,
    load() {
      const next = loading.then(loadNow);
      loading = next.catch(() => {});
      return next;
    },
    version: () => version,
    scope: (e) => scopes.get(e),
    refresh: rebuild,
    documentStats() {
      const stats = new Map<string, DocumentStats>();
      for (const c of parts?.chunks ?? []) {
        const s = stats.get(c.docId) ?? { passages: 0, pages: null };
        if (c.kind !== 'title') s.passages++;
        if (c.page !== undefined) s.pages = Math.max(s.pages ?? 0, c.page);
        stats.set(c.docId, s);
      }
      return stats;
    },
    chunkText: (id) => chunkIndex.get(id)?.text ?? null,
    chunkDoc: (id) => chunkIndex.get(id)?.docId ?? null,
  };
}
