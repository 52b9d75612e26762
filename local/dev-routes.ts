/** Local-only routes: the dev token issuer and the list of demo users for the add-in's picker. */
import type { Hono } from 'hono';
import { actorSchema, fieldIssuesFromZod, LEAD_ORGANISATIONS, FUNDERS, type Actor } from '../domain';
import type { AppEnv } from '../functions/http/env';
import { problemResponse } from '../functions/http/problem';
import type { DevIssuer } from './dev-issuer';

/** One user per role and binding, for the dev-user picker. */
export const DEMO_USERS: readonly (Actor & { name: string })[] = [
  { sub: 'finance.demo', name: 'Finance officer (demo)', roles: ['finance'] },
  { sub: 'board.demo', name: 'Governance board member (demo)', roles: ['board'] },
  ...FUNDERS.map((f) => ({ sub: `pcc.${f.id}.demo`, name: `PCC for ${f.name} (demo)`, roles: ['pcc' as const], funder: f.id })),
  { sub: 'admin.demo', name: 'Fund administrator (demo)', roles: ['admin'] },
  ...LEAD_ORGANISATIONS.map((o) => ({
    sub: `bids.${o.id}.demo`,
    name: `Bid writer, ${o.name} (demo)`,
    roles: ['submitter' as const],
    organisation: o.id,
  })),
];

export function registerDevRoutes(app: Hono<AppEnv>, issuer: DevIssuer): void {
  app.get('/dev/users', (c) => c.json({ users: DEMO_USERS }));
  app.post('/dev/token', async (c) => {
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      return problemResponse(c, 'invalid', 'the request body is not valid JSON', {
        errors: [{ path: '(body)', message: 'must be valid JSON' }],
      });
    }
    const parsed = actorSchema.safeParse(body);
    if (!parsed.success) {
      const errors = fieldIssuesFromZod(parsed.error);
      return problemResponse(c, 'invalid', errors.map((e) => `${e.path}: ${e.message}`).join('; '), { errors });
    }
    return c.json(await issuer.issue(parsed.data), 200);
  });
}
