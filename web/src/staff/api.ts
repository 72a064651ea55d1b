/** The console's one endpoint: GET /api/facts (see src/server/facts-route.ts). */

/** A fact as the server sends it (src/facts/search.ts FactHit). */
export interface StaffFact {
  id: string;
  docId: string;
  chunkId: string;
  figure: string;
  label: string;
  sentence: string;
  figureStart: number;
  figureEnd: number;
  section: string;
  title: string;
  year: number | null;
  page?: number;
  citation: string;
}

export interface StaffDocument {
  docId: string;
  title: string;
  reportYear: number | null;
  facts: number;
}

export interface FactsResponse {
  q: string;
  synonyms: string[];
  total: number;
  facts: StaffFact[];
  documents?: StaffDocument[];
  years?: number[];
}

export interface FactsParams {
  q: string;
  doc: string;
  year: string;
  facets?: boolean;
}

/** Thrown for a non-2xx answer, with the server's Chinese message. */
export class FactsError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** Fetches facts; pass a signal to abort a search the agent has typed past. */
export async function fetchFacts(
  params: FactsParams,
  signal?: AbortSignal,
  doFetch: typeof fetch = fetch,
): Promise<FactsResponse> {
  const qs = new URLSearchParams();
  if (params.q) qs.set('q', params.q);
  if (params.doc) qs.set('doc', params.doc);
  if (params.year) qs.set('year', params.year);
  if (params.facets) qs.set('facets', '1');
  const res = await doFetch(`/api/facts?${qs.toString()}`, signal ? { signal } : {});
  if (!res.ok) {
    let message = '查找失败，请稍后再试。';
    try {
      const body = (await res.json()) as { error?: { message?: string } };
      if (body.error?.message) message = body.error.message;
    } catch {
      // not JSON: keep the generic message
    }
    throw new FactsError(message, res.status);
  }
  return (await res.json()) as FactsResponse;
}
