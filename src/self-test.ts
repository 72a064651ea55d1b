/**
 * The readiness self-test: one real question through retrieval and the extractive answer.
 * An index can load and still answer nothing (an empty keyword.json or chunks.json, a
 * vector file that does not match its chunks); /readyz says ready only after this passes.
 * Run it at start and after every index swap, before the new engine serves (the swap can
 * call it first and keep the old engine when it fails).
 */
import type { Engine } from './engine-types.js';
import { toAppError } from './errors.js';

/** What the self-test found. */
export interface SelfTestResult {
  ok: boolean;
  /** The question it asked. */
  question: string;
  /** Why it failed, in Chinese, for the operator (with the command that fixes it). */
  message?: string;
}

const REBUILD = '请运行 npm run ingest 重建索引。';

/**
 * The question asked: the first document's title, which goes through retrieval (a
 * suggested question may be one about the report's date, answered from its metadata
 * without any passage), else the first suggested question.
 */
function selfTestQuestion(engine: Engine): string | null {
  const title = engine.documents()[0]?.title;
  if (title) return title.slice(0, 60);
  return engine.suggestions(1)[0] ?? null;
}

/**
 * Asks one question the index should answer and checks that retrieval found passages.
 * Never throws.
 */
export async function selfTest(engine: Engine): Promise<SelfTestResult> {
  let question = '';
  try {
    const q = selfTestQuestion(engine);
    if (!q) return { ok: false, question, message: `索引中没有任何文档，无法回答问题。${REBUILD}` };
    question = q;
    const { answer, passages } = await engine.prepare(question);
    if (answer.citations.length === 0 && passages.length === 0) {
      return {
        ok: false,
        question,
        message: `自检问题「${question}」没有检索到任何段落：索引为空或已损坏。${REBUILD}`,
      };
    }
    return { ok: true, question };
  } catch (error) {
    const appError = toAppError(error);
    const cause = appError.cause instanceof Error ? appError.cause.message : appError.detail;
    return {
      ok: false,
      question,
      message: `自检问题「${question}」回答失败（${cause ?? appError.message}）：索引可能已损坏。${REBUILD}`,
    };
  }
}
