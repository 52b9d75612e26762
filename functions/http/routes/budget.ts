/** Routes for a financial year's budget and its history. */
import * as z from 'zod/mini';
import { budgetEventSchema, budgetPutSchema, budgetSchema, yearCloseBodySchema, yearCloseSchema } from '../../../domain';
import { budgetHistory, getBudget, setBudget } from '../../use-cases/budget';
import { closeYear } from '../../use-cases/year-close';
import { refusal } from '../authorization';
import { idempotent } from '../idempotency';
import { buildProblem, fromDomainError, problemResponse } from '../problem';
import { route, type Route } from '../route';
import { fyOf, fyParamsSchema, writeHeadersSchema } from '../schemas';

const budgetHistorySchema = z.object({ events: z.array(budgetEventSchema) }).check(z.meta({ id: 'BudgetHistory' }));

export const budgetRoutes: Route[] = [
  route(
    {
      method: 'get',
      path: '/years/{fy}/budget',
      operationId: 'getBudget',
      tags: ['budget'],
      summary: 'Fund, cost share and per funder: pot, committed, released, pending (recommended, undecided), remaining',
      secured: true,
      params: fyParamsSchema,
      responses: { 200: { description: 'The budget', schema: budgetSchema } },
      problems: ['not-found'],
    },
    async (c, { params }) => {
      const refused = refusal(c, 'read');
      if (refused) return refused;
      const result = await getBudget(c.var.deps, fyOf(params.fy));
      if (!result.ok) return problemResponse(c, 'not-found', result.error.message);
      return c.json(result.value, 200);
    },
  ),

  route(
    {
      method: 'get',
      path: '/years/{fy}/budget/history',
      operationId: 'getBudgetHistory',
      tags: ['budget'],
      summary: "Every change to the year's fund, pots and cost share: who, when, from what, to what (oldest first)",
      secured: true,
      params: fyParamsSchema,
      responses: { 200: { description: 'Budget events', schema: budgetHistorySchema } },
    },
    async (c, { params }) => refusal(c, 'read') ?? c.json({ events: await budgetHistory(c.var.deps, fyOf(params.fy)) }, 200),
  ),

  route(
    {
      method: 'put',
      path: '/years/{fy}/budget',
      operationId: 'setBudget',
      tags: ['budget'],
      summary:
        'Set fund, pots, cost share and/or returnDueDays (admin); 409 if a pot would fall below what is committed, or the year is closed and the money would change',
      secured: true,
      params: fyParamsSchema,
      headers: writeHeadersSchema,
      body: { schema: budgetPutSchema, required: true },
      responses: { 200: { description: 'The budget as now set', schema: budgetSchema } },
      // version-conflict: another admin's change to the same year, or a ledger moving under it.
      problems: ['pot-below-committed', 'year-closed', 'version-conflict', 'idempotency-key-reuse', 'request-in-progress'],
    },
    (c, { params, body }) =>
      idempotent(c, body, async (run) => {
        const result = await setBudget(c.var.deps, fyOf(params.fy), body, c.var.actor, run.requestId);
        if (result.ok) return { status: 200, body: result.value };
        const { kind, detail, ...rest } = fromDomainError(result.error);
        const problem = buildProblem(kind, detail, {
          instance: c.req.path,
          requestId: c.var.requestId,
          ...(kind === 'version-conflict' ? { title: 'The budget was changed by another request' } : {}),
          ...rest,
        });
        return { status: problem.status, body: problem };
      }),
  ),

  route(
    {
      method: 'post',
      path: '/years/{fy}/close',
      operationId: 'closeYear',
      tags: ['budget'],
      summary:
        "Close the year (admin): each funder's outturn, and its uncommitted money carried into the next year's pot where carryForward says so; the year then takes no new bids or approvals",
      secured: true,
      params: fyParamsSchema,
      headers: writeHeadersSchema,
      body: { schema: yearCloseBodySchema, required: true },
      responses: { 200: { description: 'The close as recorded, with the outturn', schema: yearCloseSchema } },
      problems: ['no-budget', 'year-closed', 'idempotency-key-reuse', 'request-in-progress'],
    },
    (c, { params, body }) =>
      idempotent(c, body, async (run) => {
        const result = await closeYear(c.var.deps, fyOf(params.fy), body, c.var.actor, run.requestId);
        if (result.ok) return { status: 200, body: result.value };
        const { kind, detail, ...rest } = fromDomainError(result.error);
        const problem = buildProblem(kind, detail, { instance: c.req.path, requestId: c.var.requestId, ...rest });
        return { status: problem.status, body: problem };
      }),
  ),
];
