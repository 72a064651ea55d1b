/** What every embedder provides: a LangChain Embeddings plus the identity the manifest records. */
import type { Embeddings } from '@langchain/core/embeddings';
import type { Config } from '../config.js';

/** An embedding model and how the index records it. */
export interface Embedder {
  embeddings: Embeddings;
  /** Stable identity recorded in the manifest (provider, model, dimensions). */
  id: string;
  /** Known up front for local; for remote, fixed by the first response (0 until then). */
  dimensions: number;
}

/** The settings that choose and configure the embedder. */
export type EmbedderConfig = Pick<
  Config,
  | 'EMBEDDINGS_PROVIDER'
  | 'EMBEDDINGS_BASE_URL'
  | 'EMBEDDINGS_API_KEY'
  | 'EMBEDDINGS_MODEL'
  | 'EMBEDDINGS_BATCH_SIZE'
>;
