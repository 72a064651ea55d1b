/** The small JSON endpoints: the widget's settings, passages ("show context") and feedback. */
import type { Chunk } from '../../src/types.js';

export interface PassageContext {
  chunk: Pick<Chunk, 'id' | 'text' | 'section' | 'start' | 'end'>;
  document: { title: string };
  before: Array<Pick<Chunk, 'text' | 'section'>>;
  after: Array<Pick<Chunk, 'text' | 'section'>>;
}

/** The operator's settings the widget shows (GET /api/widget-config). */
export interface WidgetSettings {
  greeting: string;
  handoff: { phone: string; hours: string; url: string } | null;
  suggestions: string[];
}

/**
 * What the first request learnt: the settings, that this site is not allowed (the server's
 * 403 ORIGIN_NOT_ALLOWED, readable because it carries CORS headers), or nothing (offline,
 * or blocked by the page's CSP before it left the browser).
 */
export type WidgetConfigResult =
  { kind: 'ok'; settings: WidgetSettings } | { kind: 'not-allowed' } | { kind: 'failed' };

const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : [];
const text = (v: unknown): string => (typeof v === 'string' ? v : '');

/** Client for the non-chat routes of one server. */
export class Api {
  constructor(
    private readonly server: string,
    private readonly doFetch: typeof fetch = (...a) => fetch(...a),
  ) {}

  /** The greeting, hand-off line and suggested questions, or why they could not be had. */
  async widgetConfig(): Promise<WidgetConfigResult> {
    try {
      const res = await this.doFetch(`${this.server}/api/widget-config`);
      if (res.status === 403) {
        const body = (await res.json().catch(() => ({}))) as { error?: { code?: string } };
        if (body.error?.code === 'ORIGIN_NOT_ALLOWED') return { kind: 'not-allowed' };
      }
      if (!res.ok) return { kind: 'failed' };
      const body = (await res.json()) as Record<string, unknown>;
      const h = body['handoff'] as Record<string, unknown> | null | undefined;
      const handoff =
        h && typeof h === 'object'
          ? { phone: text(h['phone']), hours: text(h['hours']), url: text(h['url']) }
          : null;
      return {
        kind: 'ok',
        settings: {
          greeting: text(body['greeting']),
          handoff,
          suggestions: strings(body['suggestions']),
        },
      };
    } catch {
      return { kind: 'failed' };
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

  /** Records a rating (with an optional comment); resolves whether the server accepted it. */
  async feedback(messageId: string, rating: 'up' | 'down', comment?: string): Promise<boolean> {
    try {
      const res = await this.doFetch(`${this.server}/api/feedback`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(comment ? { messageId, rating, comment } : { messageId, rating }),
      });
      return res.ok;
    } catch {
      return false;
    }
  }
}
