/** The small JSON endpoints: suggestions, passages ("show context") and feedback. */
import type { Chunk } from '../../src/types.js';

export interface PassageContext {
  chunk: Pick<Chunk, 'id' | 'text' | 'section' | 'start' | 'end'>;
  document: { title: string };
  before: Array<Pick<Chunk, 'text'>>;
  after: Array<Pick<Chunk, 'text'>>;
}

/** Client for the non-chat routes of one server. */
export class Api {
  constructor(
    private readonly server: string,
    private readonly doFetch: typeof fetch = (...a) => fetch(...a),
  ) {}

  /** Suggested questions derived from the ingested report ([] on any failure). */
  async suggestions(): Promise<string[]> {
    try {
      const res = await this.doFetch(`${this.server}/api/suggestions`);
      if (!res.ok) return [];
      const body = (await res.json()) as { suggestions?: unknown };
      return Array.isArray(body.suggestions) ? body.suggestions.filter((s): s is string => typeof s === 'string') : [];
    } catch {
      return [];
    }
  }

  /** A passage with its neighbours, or null. */
  async passage(chunkId: string): Promise<PassageContext | null> {
    try {
      const res = await this.doFetch(`${this.server}/api/passages/${encodeURIComponent(chunkId)}`);
      return res.ok ? ((await res.json()) as PassageContext) : null;
    } catch {
      return null;
    }
  }

  /** Records a rating; resolves whether the server accepted it. */
  async feedback(messageId: string, rating: 'up' | 'down'): Promise<boolean> {
    try {
      const res = await this.doFetch(`${this.server}/api/feedback`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ messageId, rating }),
      });
      return res.ok;
    } catch {
      return false;
    }
  }
}
