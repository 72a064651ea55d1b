/**
 * GET /api/facts?q=&doc=&year=&limit=&facets=1 — the staff console's search over the
 * figures extracted at ingest. `facets=1` adds the documents and years to filter by.
 */
import type { RequestHandler } from 'express';
import { z } from 'zod';
import type { FactsService } from '../facts/service.js';
import { parseBody } from './protocol.js';

/** Query string of GET /api/facts. */
export const factsQuerySchema = z.strictObject({
  q: z.string().max(100).optional(),
  doc: z.string().max(500).optional(),
  year: z.coerce.number().int().min(1900).max(2100).optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
  facets: z.enum(['0', '1']).optional(),
});

/** The route handler; answers INDEX_NOT_READY until the index is loaded. */
export function factsRoute(facts: FactsService): RequestHandler {
  return async (req, res) => {
    const { facets, doc, ...rest } = parseBody(factsQuerySchema, req.query);
    const result = await facts.search({ ...rest, ...(doc ? { doc } : {}) });
    const { documents, years, ...found } = result;
    res.setHeader('Cache-Control', 'no-store');
    res.json(facets === '1' ? { ...found, documents, years } : found);
  };
}
