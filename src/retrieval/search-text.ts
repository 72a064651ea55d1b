/** The text a chunk is indexed and embedded by: its innermost heading, then its body. */
import type { Chunk } from '../types.js';

export function searchText(chunk: Chunk): string {
  const heading = chunk.section.split(' > ').pop() ?? '';
  return heading ? `${heading}\n${chunk.text}` : chunk.text;
}
