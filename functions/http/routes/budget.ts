/** Routes for a financial year's budget. */
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import * as z from 'zod';
import { budgetEventSchema, budgetPutSchema, budgetSchema, normaliseFinancialYear } from '../../../domain';
import { budgetHistory, getBudget, setBudget } from '../../use-cases/budget';
import type { AppEnv } from '../env';
import { idempotent } from '../idempotency';
import { buildProblem, fromDomainError, problemResponse } from '../problem';
import { fyParamsSchema, writeHeadersSchema } from '../schemas';
import { bearer, json, jsonBody, problems } from './responses';

const getBudgetRoute = createRoute({
  method: 'get',
  path: '/years/{fy}/budget',
  tags: ['budget'],
  summary: 'Fund, cost share and per funder: pot, committed, released, pending (recommended, undecided), remaining',
  security: bearer,
  request: { params: fyParamsSchema },
  responses: { 200: json(budgetSchema, 'The budget'), ...problems },
});

const putBudgetRoute = createRoute({
  method: 'put',
  path: '/years/{fy}/budget',
  tags: ['budget'],
  summary: 'Set fund, pots and/or cost share (admin); 409 if a pot would fall below what is committed',
  security: bearer,
  request: { params: fyParamsSchema, headers: writeHeadersSchema, body: jsonBody(budgetPutSchema) },
  responses: { 200: json(budgetSchema, 'The budget as now set'), ...problems },
});

const budgetHistoryRoute = createRoute({
  method: 'get',
  path: '/years/{fy}/budget/history',
  tags: ['budget'],
  summary: "Every change to the year's fund, pots and cost share: who, when, from what, to what (oldest first)",
  security: bearer,
  request: { params: fyParamsSchema },
  responses: { 200: json(z.object({ events: z.array(budgetEventSchema) }).meta({ id: 'BudgetHistory' }), 'Budget events'), ...problems },
});

/** "2025-26" in the path → "2025/26"; the schema has already checked it. */
const fyOf = (path: string): string => {
  const normalised = normaliseFinancialYear(path);
  return normalised.ok ? normalised.value : path;
};

export function registerBudgetRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(getBudgetRoute, async (c) => {
    const result = await getBudget(c.var.deps, fyOf(c.req.valid('param').fy));
    if (!result.ok) return problemResponse(c, 'not-found', result.error.message);
    return c.json(result.value, 200);
  });

  app.openapi(budgetHistoryRoute, async (c) => c.json({ events: await budgetHistory(c.var.deps, fyOf(c.req.valid('param').fy)) }, 200));

  app.openapi(putBudgetRoute, async (c) => {
    const fy = fyOf(c.req.valid('param').fy);
    const body = c.req.valid('json');
    return idempotent(c, body, async (run) => {
      const result = await setBudget(c.var.deps, fy, body, c.var.actor, run.requestId);
      if (result.ok) return { status: 200, body: result.value };
      const { kind, detail, ...rest } = fromDomainError(result.error);
      const problem = buildProblem(kind, detail, { instance: c.req.path, requestId: c.var.requestId, ...rest });
      return { status: problem.status, body: problem };
    });
  });
}
