/**
 * Chooses the embedder from config. The local hashed embedder is the offline default;
 * remote providers (OpenAI-compatible, Ollama) are selected by EMBEDDINGS_PROVIDER.
 */
import type { Embeddings } from '@langchain/core/embeddings';
import type { Config } from '../config.js';
import { LocalHashEmbeddings } from './local.js';
import { createRemoteEmbedder } from './remote.js';

export interface Embedder {
  embeddings: Embeddings;
  /** Stable identity recorded in the manifest (provider, model, dimensions). */
  id: string;
  /** Known up front for local; for remote, fixed by the first response (0 until then). */
  dimensions: number;
}

export type EmbedderConfig = Pick<
  Config,
  'EMBEDDINGS_PROVIDER' | 'EMBEDDINGS_BASE_URL' | 'EMBEDDINGS_API_KEY' | 'EMBEDDINGS_MODEL' | 'EMBEDDINGS_BATCH_SIZE'
>;

export function createEmbedder(config: EmbedderConfig): Embedder {
  if (config.EMBEDDINGS_PROVIDER === 'local') {
    const embeddings = new LocalHashEmbeddings();
    return { embeddings, id: embeddings.id, dimensions: embeddings.dimensions };
  }
  return createRemoteEmbedder(config);
}
