/** Decisions recorded from the sheet: many {bidId, version, action, …} rows at once, a result per row. */
import { AUTHORIZATION_MATRIX, BID_ACTIONS, decisionBatchResultSchema, decisionBatchSchema } from '../../../domain';
import { recordDecisions } from '../../use-cases/bid-commands';
import { idempotent } from '../idempotency';
import { problemResponse } from '../problem';
import { route, type Route } from '../route';
import { writeHeadersSchema } from '../schemas';

/** Roles that may take at least one lifecycle action. */
const DECIDING_ROLES = new Set(BID_ACTIONS.flatMap((action) => AUTHORIZATION_MATRIX[action]));

export const decisionRoutes: Route[] = [
  route(
    {
      method: 'post',
      path: '/decisions/batch',
      operationId: 'recordDecisions',
      tags: ['bids'],
      summary:
        'Record lifecycle decisions for many bids (board minutes, PCC decision notices); per row: ok, version-conflict (with the server’s bid), invalid, forbidden or over-budget',
      secured: true,
      headers: writeHeadersSchema,
      body: { schema: decisionBatchSchema, required: true },
      responses: { 200: { description: 'One result per row, in order', schema: decisionBatchResultSchema } },
      problems: ['idempotency-key-reuse', 'request-in-progress'],
    },
    (c, { body }) => {
      // Refuse the whole batch up front when no role of the caller can decide anything.
      if (!c.var.actor.roles.some((role) => DECIDING_ROLES.has(role))) {
        return problemResponse(c, 'forbidden', `recording decisions needs one of the roles ${[...DECIDING_ROLES].join(', ')}`);
      }
      return idempotent(c, body, async (run) => ({
        status: 200,
        body: { results: await recordDecisions(c.var.deps, body.decisions, { actor: c.var.actor, requestId: run.requestId }) },
      }));
    },
  ),
];
