/**
 * Chooses the embedder from config. The local hashed embedder is the offline default;
 * remote providers (OpenAI-compatible, Ollama) are selected by EMBEDDINGS_PROVIDER.
 */
import type { Embedder, EmbedderConfig } from './embedder.js';
import { LocalHashEmbeddings } from './local.js';
import { createRemoteEmbedder } from './remote.js';

export type { Embedder, EmbedderConfig } from './embedder.js';

/** The embedder EMBEDDINGS_PROVIDER names (settings already checked by loadConfig). */
export function createEmbedder(config: EmbedderConfig): Embedder {
  if (config.EMBEDDINGS_PROVIDER === 'local') {
    const embeddings = new LocalHashEmbeddings();
    return { embeddings, id: embeddings.id, dimensions: embeddings.dimensions };
  }
  return createRemoteEmbedder(config);
}
