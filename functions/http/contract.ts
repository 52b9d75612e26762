/**
 * The contract (docs/design.md §4): every route the OpenAPI document lists, in its order, and the
 * document itself. The app registers these routes; the add-in's types are generated from the
 * document (npm run api:types).
 */
import { funderNamesText } from '../../domain';
import { buildOpenApiDocument, type OpenApiDocument, type OpenApiInfo } from './openapi';
import type { Route } from './route';
import { allocationRoutes } from './routes/allocations';
import { bidRoutes } from './routes/bids';
import { declarationRoutes } from './routes/declarations';
import { decisionRoutes } from './routes/decisions';
import { budgetRoutes } from './routes/budget';
import { paymentRoutes } from './routes/payments';
import { healthRoute, openApiRoute } from './routes/meta';
import { reportRoutes } from './routes/report';
import { returnRoutes } from './routes/returns';

export const API_INFO: OpenApiInfo = {
  title: 'Fundshare API',
  version: '1.0.0',
  description: `Bids, budgets and allocations of the ${funderNamesText()} joint rural, business and cyber crime fund. Money is integer pence.`,
  // Not open source (package.json: UNLICENSED); SPDX's form for a licence of one's own.
  license: { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' },
};

/** GET /openapi.json documents every contract route, itself included (hence the thunk). */
const openApiDocumentRoute: Route = openApiRoute(() => contractDocument());

export const CONTRACT_ROUTES: readonly Route[] = [
  healthRoute,
  openApiDocumentRoute,
  ...budgetRoutes,
  ...declarationRoutes,
  ...reportRoutes,
  ...bidRoutes,
  ...paymentRoutes,
  ...returnRoutes,
  ...allocationRoutes,
  ...decisionRoutes,
];

export function contractDocument(): OpenApiDocument {
  return buildOpenApiDocument(CONTRACT_ROUTES, API_INFO);
}
