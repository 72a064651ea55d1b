/**
 * Remote embedders through LangChain: an OpenAI-compatible /v1/embeddings endpoint
 * (OpenAIEmbeddings with a baseURL) or Ollama (OllamaEmbeddings).
 */
import { OllamaEmbeddings } from '@langchain/ollama';
import { OpenAIEmbeddings } from '@langchain/openai';
import { AppError } from '../errors.js';
import type { Embedder, EmbedderConfig } from './embedder.js';

export function createRemoteEmbedder(config: EmbedderConfig): Embedder {
  const model = config.EMBEDDINGS_MODEL;
  if (!model)
    throw new AppError('CONFIG_INVALID', {
      message: 'EMBEDDINGS_MODEL 未设置：使用远程向量服务时必须指定模型。',
    });
  if (config.EMBEDDINGS_PROVIDER === 'openai') {
    if (!config.EMBEDDINGS_BASE_URL) {
      throw new AppError('CONFIG_INVALID', {
        message: 'EMBEDDINGS_BASE_URL 未设置：使用 openai 向量服务时必须指定地址。',
      });
    }
    const embeddings = new OpenAIEmbeddings({
      model,
      apiKey: config.EMBEDDINGS_API_KEY || 'not-needed',
      batchSize: config.EMBEDDINGS_BATCH_SIZE,
      maxRetries: 3,
      configuration: { baseURL: config.EMBEDDINGS_BASE_URL },
    });
    return { embeddings, id: `openai:${model}`, dimensions: 0 };
  }
  const embeddings = new OllamaEmbeddings({
    model,
    baseUrl: config.EMBEDDINGS_BASE_URL || 'http://127.0.0.1:11434',
    maxRetries: 3,
  });
  return { embeddings, id: `ollama:${model}`, dimensions: 0 };
}
