/** Routes for bids: create, list (with the delta feed), read, edit, act, history. */
import type { Context } from 'hono';
import {
  actionBodySchema,
  type Actor,
  bidCreateSchema,
  bidHistorySchema,
  bidPageSchema,
  bidPatchSchema,
  bidSchema,
  normaliseFinancialYear,
  type Bid,
  type DomainError,
  type Result,
} from '../../../domain';
import { actOnBid, createBid, editBid } from '../../use-cases/bid-commands';
import { bidHistory, getBid, listBids } from '../../use-cases/bid-queries';
import type { AppEnv } from '../env';
import { refusal } from '../authorization';
import { idempotent, type HandlerResult } from '../idempotency';
import { etagOf, readIfMatch } from '../preconditions';
import { buildProblem, fromDomainError, problemResponse } from '../problem';
import { route, type Route } from '../route';
import {
  actionParamsSchema,
  bidParamsSchema,
  conditionalWriteHeadersSchema,
  DEFAULT_PAGE_SIZE,
  listQuerySchema,
  writeHeadersSchema,
} from '../schemas';

/** A use-case result as a storable HTTP result: the bid with its ETag, or a problem. */
function bidResult(
  result: Result<Bid, DomainError>,
  status: number,
  instance: string,
  requestId: string,
  extraHeaders: Record<string, string> = {},
): HandlerResult {
  if (result.ok) return { status, body: result.value, headers: { etag: etagOf(result.value.version), ...extraHeaders } };
  const { kind, detail, ...rest } = fromDomainError(result.error);
  const problem = buildProblem(kind, detail, { instance, requestId, ...rest });
  return { status: problem.status, body: problem };
}

/**
 * A write to one bid that needs If-Match: the version checked, the work run under the request's
 * Idempotency-Key with the caller as actor, and its result answered 200 with the bid's ETag.
 */
export function conditionalBidWrite(
  c: Context<AppEnv>,
  body: unknown,
  write: (version: number, ctx: { actor: Actor; requestId: string }) => Promise<Result<Bid, DomainError>>,
): Response | Promise<Response> {
  const ifMatch = readIfMatch(c.req.header('if-match'));
  if (ifMatch.kind !== 'version') return ifMatchProblem(c, ifMatch.kind);
  return idempotent(c, body, async (run) =>
    bidResult(await write(ifMatch.version, { actor: c.var.actor, requestId: run.requestId }), 200, c.req.path, c.var.requestId),
  );
}

export const bidRoutes: Route[] = [
  route(
    {
      method: 'post',
      path: '/bids',
      operationId: 'createBid',
      tags: ['bids'],
      summary: 'Create a bid (a draft, or submitted with submit: true)',
      secured: true,
      headers: writeHeadersSchema,
      body: { schema: bidCreateSchema, required: true },
      responses: { 201: { description: 'The new bid; ETag is its version', schema: bidSchema } },
      // invalid-transition: the chosen bid id was taken meanwhile; year-closed: the bid's year is closed.
      problems: ['invalid-transition', 'year-closed', 'idempotency-key-reuse', 'request-in-progress'],
    },
    (c, { body }) =>
      idempotent(c, body, async (run) => {
        const result = await createBid(c.var.deps, body, {
          actor: c.var.actor,
          requestId: run.requestId,
          ...(run.bidIdHint !== undefined ? { reuseBidId: run.bidIdHint } : {}),
          onIdChosen: run.noteBidId,
        });
        return bidResult(result, 201, c.req.path, c.var.requestId, result.ok ? { location: `/bids/${result.value.id}` } : {});
      }),
  ),

  route(
    {
      method: 'get',
      path: '/bids',
      operationId: 'listBids',
      tags: ['bids'],
      summary: 'A page of bids of a financial year, oldest change first; since= gives only what changed',
      secured: true,
      query: listQuerySchema,
      responses: { 200: { description: 'A page of bids', schema: bidPageSchema } },
    },
    async (c, { query }) => {
      const refused = refusal(c, 'read');
      if (refused) return refused;
      const fy = normaliseFinancialYear(query.fy);
      if (!fy.ok) return problemResponse(c, 'invalid', fy.error.message, { errors: [{ path: 'fy', message: fy.error.message }] });
      const page = await listBids(c.var.deps, {
        fy: fy.value,
        limit: query.limit ?? DEFAULT_PAGE_SIZE,
        ...(query.status !== undefined ? { status: query.status } : {}),
        ...(query.since !== undefined ? { since: query.since } : {}),
        ...(query.cursor !== undefined ? { cursor: query.cursor } : {}),
      });
      return c.json(page, 200);
    },
  ),

  route(
    {
      method: 'get',
      path: '/bids/{id}',
      operationId: 'getBid',
      tags: ['bids'],
      summary: 'One bid; ETag is its version',
      secured: true,
      params: bidParamsSchema,
      responses: { 200: { description: 'The bid', schema: bidSchema } },
      problems: ['not-found'],
    },
    async (c, { params }) => {
      const refused = refusal(c, 'read');
      if (refused) return refused;
      const result = await getBid(c.var.deps, params.id);
      if (!result.ok) return problemResponse(c, 'not-found', result.error.message);
      return c.json(result.value, 200, { etag: etagOf(result.value.version) });
    },
  ),

  route(
    {
      method: 'patch',
      path: '/bids/{id}',
      operationId: 'editBid',
      tags: ['bids'],
      summary: 'Edit a draft or info-requested bid; outcomeMeasures alone may be set until the bid is decided (If-Match required)',
      secured: true,
      params: bidParamsSchema,
      headers: conditionalWriteHeadersSchema,
      body: { schema: bidPatchSchema, required: true },
      responses: { 200: { description: 'The edited bid', schema: bidSchema } },
      problems: [
        'precondition-required',
        'not-found',
        'over-request',
        'invalid-transition',
        'year-closed',
        'version-conflict',
        'idempotency-key-reuse',
        'request-in-progress',
      ],
    },
    (c, { params, body }) => conditionalBidWrite(c, body, (version, ctx) => editBid(c.var.deps, params.id, body, version, ctx)),
  ),

  route(
    {
      method: 'post',
      path: '/bids/{id}/actions/{action}',
      operationId: 'actOnBid',
      tags: ['bids'],
      summary:
        'A lifecycle action (BidAction): the board and PCC decisions, withdraw, vary and the variation decisions, return-underspend (If-Match required)',
      secured: true,
      params: actionParamsSchema,
      headers: conditionalWriteHeadersSchema,
      body: { schema: actionBodySchema, required: false },
      responses: { 200: { description: 'The bid after the action', schema: bidSchema } },
      problems: [
        'precondition-required',
        'not-found',
        'over-request',
        'forbidden-funder',
        'conflict-of-interest',
        'separation-of-duties',
        'invalid-transition',
        'interests-not-confirmed',
        'outcome-measures-required',
        'over-budget',
        'no-budget',
        'year-closed',
        'version-conflict',
        'idempotency-key-reuse',
        'request-in-progress',
      ],
    },
    (c, { params, body }) =>
      conditionalBidWrite(c, body, (version, ctx) => actOnBid(c.var.deps, params.id, params.action, body, version, ctx)),
  ),

  route(
    {
      method: 'get',
      path: '/bids/{id}/history',
      operationId: 'getBidHistory',
      tags: ['bids'],
      summary: "The bid's audit events, oldest first, and the declarations of interest bearing on it",
      secured: true,
      params: bidParamsSchema,
      responses: { 200: { description: 'Audit events', schema: bidHistorySchema } },
      problems: ['not-found'],
    },
    async (c, { params }) => {
      const refused = refusal(c, 'read');
      if (refused) return refused;
      const result = await bidHistory(c.var.deps, params.id);
      if (!result.ok) return problemResponse(c, 'not-found', result.error.message);
      return c.json(result.value, 200);
    },
  ),
];

function ifMatchProblem(c: Context<AppEnv>, kind: 'missing' | 'invalid'): Response {
  return kind === 'missing'
    ? problemResponse(
        c,
        'precondition-required',
        "send If-Match with the bid's version (its ETag) so a stale edit cannot overwrite a newer one",
        {
          errors: [{ path: 'if-match', message: 'is required' }],
        },
      )
    : problemResponse(c, 'invalid', 'If-Match must be the bid version, e.g. "3"', {
        errors: [{ path: 'if-match', message: 'must be the bid version, e.g. "3"' }],
      });
}
