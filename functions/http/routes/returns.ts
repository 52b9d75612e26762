/**
 * Monitoring returns (docs/design.md §1.4): file a quarter's return (PUT), finance's accept or
 * send back, and a bid's returns. If-Match (the return's version) is optional: sent, a stale one
 * is refused with 412.
 */
import * as z from 'zod/mini';
import {
  monitoringReturnSchema,
  quarterSchema,
  returnActionBodySchema,
  returnActionSchema,
  returnListSchema,
  returnPutSchema,
  type DomainError,
  type MonitoringReturn,
  type Result,
} from '../../../domain';
import { decideMonitoringReturn, fileMonitoringReturn, listMonitoringReturns, returnsOfYear } from '../../use-cases/monitoring-returns';
import { refusal } from '../authorization';
import { idempotent, type HandlerResult } from '../idempotency';
import { etagOf, readIfMatch } from '../preconditions';
import { buildProblem, fromDomainError, problemResponse } from '../problem';
import { route, type Route } from '../route';
import { bidParamsSchema, conditionalWriteHeadersSchema, fyOf, fyParamsSchema } from '../schemas';

const returnParamsSchema = z.object({ id: bidParamsSchema.shape.id, quarter: quarterSchema });
const returnActionParamsSchema = z.object({ ...returnParamsSchema.shape, action: returnActionSchema });

const RETURN_PROBLEMS = ['not-found', 'invalid-transition', 'version-conflict', 'idempotency-key-reuse', 'request-in-progress'] as const;

function returnResult(result: Result<MonitoringReturn, DomainError>, status: number, instance: string, requestId: string): HandlerResult {
  if (result.ok) return { status, body: result.value, headers: { etag: etagOf(result.value.version) } };
  const { kind, detail, ...rest } = fromDomainError(result.error);
  const title = kind === 'version-conflict' ? 'The return has changed since you last read it' : undefined;
  const problem = buildProblem(kind, detail, { instance, requestId, ...(title ? { title } : {}), ...rest });
  return { status: problem.status, body: problem };
}

/** The If-Match a write sent: a version, none, or a 400 problem. */
function expectedVersion(header: string | undefined): { version?: number } | { problem: true } {
  const ifMatch = readIfMatch(header);
  if (ifMatch.kind === 'missing') return {};
  return ifMatch.kind === 'version' ? { version: ifMatch.version } : { problem: true };
}

const badIfMatch = { path: 'if-match', message: 'must be the return version, e.g. "2"' };

export const returnRoutes: Route[] = [
  route(
    {
      method: 'get',
      path: '/bids/{id}/returns',
      operationId: 'listReturns',
      tags: ['returns'],
      summary: "The bid's monitoring returns by quarter, each with its history",
      secured: true,
      params: bidParamsSchema,
      responses: { 200: { description: 'Monitoring returns', schema: returnListSchema } },
      problems: ['not-found'],
    },
    async (c, { params }) => {
      const refused = refusal(c, 'read');
      if (refused) return refused;
      const result = await listMonitoringReturns(c.var.deps, params.id);
      if (!result.ok) return problemResponse(c, 'not-found', result.error.message);
      return c.json({ returns: result.value }, 200);
    },
  ),

  route(
    {
      method: 'get',
      path: '/years/{fy}/returns',
      operationId: 'listYearReturns',
      tags: ['returns'],
      summary: "Every monitoring return of the year's bids (what the add-in's checks 7–8 read), in one answer",
      secured: true,
      params: fyParamsSchema,
      responses: { 200: { description: 'The year’s monitoring returns', schema: returnListSchema } },
    },
    async (c, { params }) => {
      const refused = refusal(c, 'read');
      if (refused) return refused;
      return c.json({ returns: await returnsOfYear(c.var.deps, fyOf(params.fy)) }, 200);
    },
  ),

  route(
    {
      method: 'put',
      path: '/bids/{id}/returns/{quarter}',
      operationId: 'fileReturn',
      tags: ['returns'],
      summary:
        "File (or file again after it was sent back) a quarter's monitoring return: the lead organisation's submitter or finance; If-Match optional",
      secured: true,
      params: returnParamsSchema,
      headers: conditionalWriteHeadersSchema,
      body: { schema: returnPutSchema, required: true },
      responses: {
        200: { description: 'The return filed again', schema: monitoringReturnSchema },
        201: { description: 'The return filed for the first time; ETag is its version', schema: monitoringReturnSchema },
      },
      problems: RETURN_PROBLEMS,
    },
    (c, { params, body }) => {
      const expected = expectedVersion(c.req.header('if-match'));
      if ('problem' in expected) return problemResponse(c, 'invalid', badIfMatch.message, { errors: [badIfMatch] });
      return idempotent(c, body, async (run) => {
        const result = await fileMonitoringReturn(c.var.deps, params.id, params.quarter, body, {
          actor: c.var.actor,
          requestId: run.requestId,
          ...(expected.version !== undefined ? { expectedVersion: expected.version } : {}),
        });
        const status = result.ok && result.value.created ? 201 : 200;
        return returnResult(result.ok ? { ok: true, value: result.value.monitoringReturn } : result, status, c.req.path, c.var.requestId);
      });
    },
  ),

  route(
    {
      method: 'post',
      path: '/bids/{id}/returns/{quarter}/actions/{action}',
      operationId: 'actOnReturn',
      tags: ['returns'],
      summary: 'Finance accepts a submitted return, or sends it back (return, with a reason) to be filed again; If-Match optional',
      secured: true,
      params: returnActionParamsSchema,
      headers: conditionalWriteHeadersSchema,
      body: { schema: returnActionBodySchema, required: false },
      responses: { 200: { description: 'The return after the action', schema: monitoringReturnSchema } },
      problems: RETURN_PROBLEMS,
    },
    (c, { params, body }) => {
      const expected = expectedVersion(c.req.header('if-match'));
      if ('problem' in expected) return problemResponse(c, 'invalid', badIfMatch.message, { errors: [badIfMatch] });
      return idempotent(c, body, async (run) =>
        returnResult(
          await decideMonitoringReturn(c.var.deps, params.id, params.quarter, params.action, body, {
            actor: c.var.actor,
            requestId: run.requestId,
            ...(expected.version !== undefined ? { expectedVersion: expected.version } : {}),
          }),
          200,
          c.req.path,
          c.var.requestId,
        ),
      );
    },
  ),
];
