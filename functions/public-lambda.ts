/**
 * Lambda entry for the two public routes, GET /health and GET /openapi.json, so that neither runs
 * (nor cold-starts, nor takes concurrency from) the business function: the same app, given no
 * store and no way to authenticate. API Gateway sends this function nothing else; were it ever
 * sent a protected route, the authenticator refuses it before any use-case runs.
 */
import { handle } from 'hono/aws-lambda';
import { createApp } from './http/app';
import { createLogger } from './logger';
import { StoreUnavailableError } from './store/errors';
import type { FundStore } from './store/types';
import { defaultDeps } from './use-cases/deps';

const logger = createLogger('fundshare-public');
// Every store call fails as "unavailable"; the public routes make none.
const noStore = new Proxy({} as FundStore, {
  get: () => () => Promise.reject(new StoreUnavailableError('the public function has no store')),
});
const app = createApp({
  deps: defaultDeps(noStore),
  authenticate: async () => ({
    ok: false,
    failure: { kind: 'unauthenticated', detail: 'this endpoint serves only /health and /openapi.json' },
  }),
  logger,
  allowedOrigins: (process.env.FUNDSHARE_ALLOWED_ORIGINS ?? '').split(',').filter((o) => o.length > 0),
});

export const handler = handle(app);
