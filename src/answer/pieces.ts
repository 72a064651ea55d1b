/** How an answer's text is streamed: shared by the extractive engine and the LLM path. */

/** Splits answer text into streamable pieces (clauses), keeping [n] markers whole. */
export function answerPieces(text: string): string[] {
  return text.match(/[^，。；,;]+[，。；,;]?/g) ?? [text];
}
