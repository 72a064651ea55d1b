/**
 * Builds the HNSW vector store: LangChain's HNSWLib over an hnswlib-node index created with
 * explicit graph parameters (HNSWLib's own addVectors always uses the library defaults).
 * The store is saved and loaded by HNSWLib itself (index-store.ts).
 */
import { HNSWLib } from '@langchain/community/vectorstores/hnswlib';
import { Document } from '@langchain/core/documents';
import type { Embeddings } from '@langchain/core/embeddings';
import hnswlib from 'hnswlib-node';

export interface VectorItem {
  vector: ArrayLike<number>;
  chunkId: string;
  /** Stored as the document's pageContent (LangChain retrievers return it). */
  text?: string;
}

export interface VectorStoreOptions {
  /** Links per node (hnswlib default 16). */
  m?: number;
  /** Build-time beam width (hnswlib default 200; 100 loses no recall at this size and halves build time). */
  efConstruction?: number;
}

export function buildVectorStore(
  embeddings: Embeddings,
  dimensions: number,
  items: VectorItem[],
  options: VectorStoreOptions = {},
): HNSWLib {
  const index = new hnswlib.HierarchicalNSW('cosine', dimensions);
  index.initIndex({ maxElements: Math.max(1, items.length), m: options.m ?? 16, efConstruction: options.efConstruction ?? 100 });
  const docs: Record<number, Document> = {};
  items.forEach((item, i) => {
    index.addPoint(Array.from(item.vector), i);
    docs[i] = new Document({ pageContent: item.text ?? '', metadata: { chunkId: item.chunkId } });
  });
  const store = new HNSWLib(embeddings, { space: 'cosine', numDimensions: dimensions, index });
  store.docstore.add(docs);
  return store;
}
