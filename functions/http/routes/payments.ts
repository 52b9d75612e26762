/** Routes for money after approval (docs/design.md §3.1): a bid's payment schedule and the release of each instalment. */
import * as z from 'zod/mini';
import { bidSchema, paymentScheduleSchema } from '../../../domain';
import { releaseInstalment, schedulePayments } from '../../use-cases/payments';
import { route, type Route } from '../route';
import { bidParamsSchema, conditionalWriteHeadersSchema, instalmentParamsSchema } from '../schemas';
import { conditionalBidWrite } from './bids';

/** A release carries nothing but its headers; an empty JSON object, or no body, is accepted. */
const releaseBodySchema = z.strictObject({}).check(z.meta({ id: 'ReleaseBody' }));

export const paymentRoutes: Route[] = [
  route(
    {
      method: 'put',
      path: '/bids/{id}/payments',
      operationId: 'schedulePayments',
      tags: ['payments'],
      summary:
        "Set an approved bid's payment schedule (finance; If-Match required): instalments summing to the funded amount, each split between the funders",
      secured: true,
      params: bidParamsSchema,
      headers: conditionalWriteHeadersSchema,
      body: { schema: paymentScheduleSchema, required: true },
      responses: { 200: { description: 'The bid with its payment schedule', schema: bidSchema } },
      problems: [
        'precondition-required',
        'not-found',
        'invalid-transition',
        'version-conflict',
        'idempotency-key-reuse',
        'request-in-progress',
      ],
    },
    (c, { params, body }) => conditionalBidWrite(c, body, (version, ctx) => schedulePayments(c.var.deps, params.id, body, version, ctx)),
  ),

  route(
    {
      method: 'post',
      path: '/bids/{id}/payments/{n}/actions/release',
      operationId: 'releaseInstalment',
      tags: ['payments'],
      summary: "Release the caller's funder's part of instalment n (a PCC; If-Match required); the bid is released when every part is paid",
      secured: true,
      params: instalmentParamsSchema,
      headers: conditionalWriteHeadersSchema,
      body: { schema: releaseBodySchema, required: false },
      responses: { 200: { description: 'The bid after the release', schema: bidSchema } },
      problems: [
        'precondition-required',
        'not-found',
        'forbidden-funder',
        'invalid-transition',
        'return-not-accepted',
        'version-conflict',
        'idempotency-key-reuse',
        'request-in-progress',
      ],
    },
    (c, { params, body }) =>
      conditionalBidWrite(c, body, (version, ctx) => releaseInstalment(c.var.deps, params.id, params.n, version, ctx)),
  ),
];
