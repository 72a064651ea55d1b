/**
 * The one question validator, used by every transport (before any work) and by the engine
 * (for callers without a server: the CLI, history items). One length rule, one message.
 */
import { AppError } from '../errors.js';

/** Characters as a citizen sees them: code points, not UTF-16 units (no array per question). */
function codePoints(text: string): number {
  let chars = text.length;
  for (let i = 0; i < text.length; i++) if ((text.charCodeAt(i) & 0xfc00) === 0xdc00) chars--;
  return chars;
}

/**
 * Rejects a question that is not a string (BAD_REQUEST), empty or only spaces (EMPTY_QUESTION),
 * or longer than `maxChars` characters as typed (QUESTION_TOO_LONG, the message names the limit).
 */
export function checkQuestion(question: unknown, maxChars: number): string {
  if (typeof question !== 'string')
    throw new AppError('BAD_REQUEST', { detail: 'question: must be a string' });
  const trimmed = question.trim();
  if (trimmed.length === 0) throw new AppError('EMPTY_QUESTION');
  if (trimmed.length > maxChars) {
    const chars = codePoints(trimmed);
    if (chars > maxChars) {
      throw new AppError('QUESTION_TOO_LONG', {
        message: `问题太长了（最多 ${maxChars} 个字），请精简后再问。`,
        detail: `question: ${chars} characters, at most ${maxChars}`,
      });
    }
  }
  return trimmed;
}
