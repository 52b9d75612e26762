/** Routes anyone may call: health, and the OpenAPI document of every route. */
import * as z from 'zod/mini';
import type { OpenApiDocument } from '../openapi';
import { route, type Route } from '../route';

const healthSchema = z.object({ ok: z.literal(true) });
/** Enough to recognise the document; its full shape is OpenAPI's. */
const openApiDocumentSchema = z.looseObject({ openapi: z.string() });

export const healthRoute: Route = route(
  {
    method: 'get',
    path: '/health',
    operationId: 'getHealth',
    tags: ['meta'],
    summary: 'Liveness',
    secured: false,
    responses: { 200: { description: 'The API is up', schema: healthSchema } },
  },
  (c) => c.json({ ok: true as const }, 200),
);

/** GET /openapi.json: the document `build` writes (a thunk, since the document lists this route too). */
export function openApiRoute(build: () => OpenApiDocument): Route {
  // Written on first request, not at start-up: a cold Lambda should not pay for it.
  let document: OpenApiDocument | undefined;
  return route(
    {
      method: 'get',
      path: '/openapi.json',
      operationId: 'getOpenApiDocument',
      tags: ['meta'],
      summary: 'This document: OpenAPI 3.1, generated from the zod schemas',
      secured: false,
      responses: { 200: { description: 'The OpenAPI document', schema: openApiDocumentSchema } },
    },
    (c) => c.json((document ??= build()), 200),
  );
}
