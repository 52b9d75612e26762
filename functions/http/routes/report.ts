/** The year's report for the panel (docs/design.md §1.4): totals, outcome RAG counts, decisions. */
import { yearReportSchema } from '../../../domain';
import { yearReport } from '../../use-cases/year-report';
import { refusal } from '../authorization';
import { route, type Route } from '../route';
import { fyOf, fyParamsSchema } from '../schemas';

export const reportRoutes: Route[] = [
  route(
    {
      method: 'get',
      path: '/years/{fy}/report',
      operationId: 'getYearReport',
      tags: ['reports'],
      summary:
        "The year's totals (requested, recommended, approved, paid, reported spend) by funder, lead organisation, crime type and cyber strand; outcome RAG counts; the decisions with their references",
      secured: true,
      params: fyParamsSchema,
      responses: { 200: { description: 'The year’s report', schema: yearReportSchema } },
    },
    async (c, { params }) => {
      const refused = refusal(c, 'read');
      if (refused) return refused;
      return c.json(await yearReport(c.var.deps, fyOf(params.fy)), 200);
    },
  ),
];
