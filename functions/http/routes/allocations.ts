/** The proposal batch: many {bidId, version, proposedPence} rows at once, a result per row. */
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { allocationBatchResultSchema, allocationBatchSchema, authorize } from '../../../domain';
import { proposeAllocations } from '../../use-cases/bid-commands';
import type { AppEnv } from '../env';
import { idempotent } from '../idempotency';
import { problemResponse } from '../problem';
import { writeHeadersSchema } from '../schemas';
import { bearer, json, jsonBody, problems } from './responses';

const batchRoute = createRoute({
  method: 'post',
  path: '/allocations/batch',
  tags: ['allocations'],
  summary: 'Propose allocations for many bids (finance); per row: ok, version-conflict (with the server’s bid) or invalid',
  security: bearer,
  request: { headers: writeHeadersSchema, body: jsonBody(allocationBatchSchema) },
  responses: { 200: json(allocationBatchResultSchema, 'One result per row, in order'), ...problems },
});

export function registerAllocationRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(batchRoute, async (c) => {
    // Refuse the whole batch up front when the role cannot propose at all.
    const granted = authorize(c.var.actor, 'propose');
    if (!granted.ok) return problemResponse(c, granted.error.kind, granted.error.message);
    const body = c.req.valid('json');
    return idempotent(c, body, async (run) => ({
      status: 200,
      body: { results: await proposeAllocations(c.var.deps, body.allocations, { actor: c.var.actor, requestId: run.requestId }) },
    }));
  });
}
