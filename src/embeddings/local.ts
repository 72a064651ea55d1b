/**
 * The offline default embedder: hashed word, character-bigram and number features with
 * IDF weights (jieba's general IDF table), sublinear term frequency, signed feature
 * hashing, L2-normalised. Deterministic, no network, no model files; a LangChain
 * `Embeddings` with its two methods.
 */
import { Embeddings, type EmbeddingsParams } from '@langchain/core/embeddings';
import { generalIdf } from '../text/idf.js';
import { indexTokens } from '../text/tokenize.js';

export interface LocalHashEmbeddingsOptions extends EmbeddingsParams {
  dimensions?: number;
  /** Weight of a character bigram relative to the IDF weight of a word. */
  bigramWeight?: number;
}

export const LOCAL_EMBEDDER_VERSION = 'local-hash-v1';

/** 32-bit FNV-1a. */
function fnv1a(text: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

const NUMBER_WEIGHT = 4;

function featureWeight(token: string, bigramWeight: number): number {
  const kind = token.slice(0, 2);
  const body = token.slice(2);
  if (kind === 'w:') return generalIdf(body) * (body.length > 1 ? 1 : 0.5);
  if (kind === 'b:') return bigramWeight;
  return NUMBER_WEIGHT;
}

/** Token features kept at most (a word's slot and signed weight never change). */
const FEATURE_CACHE_MAX = 200_000;

export class LocalHashEmbeddings extends Embeddings {
  readonly dimensions: number;
  readonly id: string;
  private readonly bigramWeight: number;
  /** token → its vector slot and signed weight (two hashes and an IDF lookup, once per token). */
  private readonly features = new Map<string, { slot: number; weight: number }>();

  constructor(options: LocalHashEmbeddingsOptions = {}) {
    super(options);
    this.dimensions = options.dimensions ?? 1024;
    this.bigramWeight = options.bigramWeight ?? 3.6;
    this.id = `${LOCAL_EMBEDDER_VERSION}-d${this.dimensions}`;
  }

  /** Synchronous embedding of one text (the async methods wrap it). */
  embed(text: string): number[] {
    const counts = new Map<string, number>();
    for (const t of indexTokens(text)) counts.set(t, (counts.get(t) ?? 0) + 1);
    const v = new Float64Array(this.dimensions);
    for (const [token, tf] of counts) {
      const f = this.feature(token);
      // sign · (1 + log tf) · weight, with the sign folded into the weight (exact: it is ±1)
      v[f.slot]! += (1 + Math.log(tf)) * f.weight;
    }
    let norm = 0;
    for (let i = 0; i < v.length; i++) norm += v[i]! * v[i]!;
    norm = Math.sqrt(norm) || 1;
    // A plain loop: Array.from with a map function costs tens of microseconds at 1024 dimensions.
    const out = new Array<number>(v.length);
    for (let i = 0; i < v.length; i++) out[i] = v[i]! / norm;
    return out;
  }

  private feature(token: string): { slot: number; weight: number } {
    let f = this.features.get(token);
    if (!f) {
      const sign = (fnv1a(token, 0x9747b28c) & 1) === 0 ? 1 : -1;
      f = {
        slot: fnv1a(token) % this.dimensions,
        weight: sign * featureWeight(token, this.bigramWeight),
      };
      if (this.features.size >= FEATURE_CACHE_MAX) this.features.clear();
      this.features.set(token, f);
    }
    return f;
  }

  override async embedDocuments(documents: string[]): Promise<number[][]> {
    return documents.map((d) => this.embed(d));
  }

  override async embedQuery(document: string): Promise<number[]> {
    return this.embed(document);
  }
}
