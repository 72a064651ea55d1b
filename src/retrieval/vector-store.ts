/**
 * Builds the HNSW vector store through LangChain's HNSWLib API: one Document per searchable
 * chunk (its text, and its chunk id in metadata) added with its vector by `addVectors`, which
 * sizes the hnswlib-node graph and fills the docstore. Saved and loaded by HNSWLib itself
 * (index-store.ts); searched with `similaritySearchVectorWithScore` (hybrid.ts).
 */
import { HNSWLib } from '@langchain/community/vectorstores/hnswlib';
import { Document } from '@langchain/core/documents';
import type { Embeddings } from '@langchain/core/embeddings';

/** One searchable chunk and its vector. */
export interface VectorItem {
  vector: ArrayLike<number>;
  chunkId: string;
  /** Stored as the document's pageContent (LangChain retrievers return it). @default '' */
  text?: string;
}

/** Metadata of every document in the vector store. */
export interface VectorMetadata {
  chunkId: string;
}

/**
 * The vector store of `items`. hnswlib's own graph parameters apply (M 16, efConstruction 200):
 * HNSWLib's addVectors sizes the index itself. On the seed this is well under the ingest
 * budget; on the 6,228-chunk CMRC pool it adds about a second to the build.
 */
export async function buildVectorStore(
  embeddings: Embeddings,
  dimensions: number,
  items: VectorItem[],
): Promise<HNSWLib> {
  const store = new HNSWLib(embeddings, { space: 'cosine', numDimensions: dimensions });
  await store.addVectors(
    items.map((item) => Array.from(item.vector)),
    items.map(
      (item) =>
        new Document<VectorMetadata>({
          pageContent: item.text ?? '',
          metadata: { chunkId: item.chunkId },
        }),
    ),
  );
  return store;
}
