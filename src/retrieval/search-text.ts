/**
 * The text a chunk is indexed and embedded by: its document's title, its innermost heading,
 * then its body. The title gives every passage the context a reader has (which report, which
 * article), so a question naming the subject finds passages that do not repeat it.
 */
import type { Chunk } from '../types.js';

export function searchText(chunk: Chunk, docTitle = ''): string {
  const heading = chunk.section.split(' > ').pop() ?? '';
  return [docTitle, heading, chunk.text].filter(Boolean).join('\n');
}
