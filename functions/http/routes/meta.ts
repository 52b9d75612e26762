/** Routes anyone may call: health. (GET /openapi.json is added by the app.) */
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import * as z from 'zod';
import type { AppEnv } from '../env';
import { json } from './responses';

const healthRoute = createRoute({
  method: 'get',
  path: '/health',
  tags: ['meta'],
  summary: 'Liveness',
  responses: { 200: json(z.object({ ok: z.literal(true) }), 'The API is up') },
});

export function registerMetaRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(healthRoute, (c) => c.json({ ok: true as const }, 200));
}
