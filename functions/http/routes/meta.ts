/** Routes anyone may call: health, and the OpenAPI document of every route. */
import * as z from 'zod/mini';
import { buildOpenApiDocument, type OpenApiInfo } from '../openapi';
import { route, type Route } from '../route';

const healthSchema = z.object({ ok: z.literal(true) });

export const healthRoute: Route = route(
  {
    method: 'get',
    path: '/health',
    tags: ['meta'],
    summary: 'Liveness',
    secured: false,
    responses: { 200: { description: 'The API is up', schema: healthSchema } },
  },
  (c) => c.json({ ok: true as const }, 200),
);

/** GET /openapi.json, documenting the given routes (itself excluded). */
export function openApiRoute(documented: readonly Route[], info: OpenApiInfo): Route {
  // Written on first request, not at start-up: a cold Lambda should not pay for it.
  let document: Record<string, unknown> | undefined;
  return route(
    {
      method: 'get',
      path: '/openapi.json',
      tags: ['meta'],
      summary: 'This document: OpenAPI 3.1, generated from the zod schemas',
      secured: false,
      responses: { 200: { description: 'The OpenAPI document' } },
    },
    (c) => c.json((document ??= buildOpenApiDocument(documented, info)), 200),
  );
}
