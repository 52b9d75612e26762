/** The proposal batch: many {bidId, version, proposedPence} rows at once, a result per row. */
import { allocationBatchResultSchema, allocationBatchSchema } from '../../../domain';
import { proposeAllocations } from '../../use-cases/bid-commands';
import { idempotent } from '../idempotency';
import { refusal } from '../authorization';
import { route, type Route } from '../route';
import { writeHeadersSchema } from '../schemas';

export const allocationRoutes: Route[] = [
  route(
    {
      method: 'post',
      path: '/allocations/batch',
      operationId: 'proposeAllocations',
      tags: ['allocations'],
      summary:
        'Propose allocations for many bids (finance); per row: ok, version-conflict (with the server’s bid) or invalid (with its problem, e.g. year-closed)',
      secured: true,
      headers: writeHeadersSchema,
      body: { schema: allocationBatchSchema, required: true },
      responses: { 200: { description: 'One result per row, in order', schema: allocationBatchResultSchema } },
      // A row's own failure (a closed year included) is in its result, not the status.
      problems: ['idempotency-key-reuse', 'request-in-progress'],
    },
    (c, { body }) => {
      // Refuse the whole batch up front when the role cannot propose at all.
      const refused = refusal(c, 'propose');
      if (refused) return refused;
      return idempotent(c, body, async (run) => ({
        status: 200,
        body: { results: await proposeAllocations(c.var.deps, body.allocations, { actor: c.var.actor, requestId: run.requestId }) },
      }));
    },
  ),
];
