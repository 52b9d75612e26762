/** The register of interests of a financial year: declare (board or admin) and list. */
import { declarationCreateSchema, declarationListSchema, declarationSchema } from '../../../domain';
import { declareInterest, listDeclarations } from '../../use-cases/declarations';
import { refusal } from '../authorization';
import { idempotent } from '../idempotency';
import { buildProblem, fromDomainError } from '../problem';
import { route, type Route } from '../route';
import { fyOf, fyParamsSchema, writeHeadersSchema } from '../schemas';

export const declarationRoutes: Route[] = [
  route(
    {
      method: 'get',
      path: '/years/{fy}/declarations',
      operationId: 'listDeclarations',
      tags: ['governance'],
      summary: "The year's declarations of interest, oldest first",
      secured: true,
      params: fyParamsSchema,
      responses: { 200: { description: 'Declarations', schema: declarationListSchema } },
    },
    async (c, { params }) => refusal(c, 'read') ?? c.json({ declarations: await listDeclarations(c.var.deps, fyOf(params.fy)) }, 200),
  ),

  route(
    {
      method: 'post',
      path: '/years/{fy}/declarations',
      operationId: 'declareInterest',
      tags: ['governance'],
      summary:
        'Declare a board member’s interest in a bid or in a lead organisation’s bids (board or admin); the member may then not recommend, not-recommend or ask for information on them',
      secured: true,
      params: fyParamsSchema,
      headers: writeHeadersSchema,
      body: { schema: declarationCreateSchema, required: true },
      responses: { 201: { description: 'The declaration as recorded', schema: declarationSchema } },
      problems: ['not-found', 'idempotency-key-reuse', 'request-in-progress'],
    },
    (c, { params, body }) =>
      idempotent(c, body, async (run) => {
        const result = await declareInterest(c.var.deps, fyOf(params.fy), body, { actor: c.var.actor, requestId: run.requestId });
        if (result.ok) return { status: 201, body: result.value };
        const { kind, detail, ...rest } = fromDomainError(result.error);
        const problem = buildProblem(kind, detail, { instance: c.req.path, requestId: c.var.requestId, ...rest });
        return { status: problem.status, body: problem };
      }),
  ),
];
