/**
 * The one HTTP app (docs/design.md §4): run by Lambda behind API Gateway and by the local server.
 * request → request id → log → CORS → body limit → authenticate → validate (zod) → use-case → JSON / problem
 */
import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { randomUUID } from 'node:crypto';
import type { Actor } from '../../domain';
import type { AppLogger } from '../logger';
import { InvalidCursorError } from '../store/cursor';
import { StoreUnavailableError } from '../store/errors';
import { InvalidSyncTokenError } from '../use-cases/bid-queries';
import type { UseCaseDeps } from '../use-cases/deps';
import { limitBody } from './body-limit';
import { CONTRACT_ROUTES } from './contract';
import { cors } from './cors';
import type { AppEnv } from './env';
import { problemResponse } from './problem';

export type AuthFailure = { kind: 'unauthenticated' | 'forbidden'; detail: string };
/** Who is calling: from a verified bearer token (local) or the API Gateway authorizer's claims (AWS). */
export type Authenticator = (c: Context<AppEnv>) => Promise<{ ok: true; actor: Actor } | { ok: false; failure: AuthFailure }>;

export interface AppOptions {
  deps: UseCaseDeps;
  authenticate: Authenticator;
  logger: AppLogger;
  /** Origins allowed by CORS (the add-in's); none means same-origin only. */
  allowedOrigins?: readonly string[];
  /** Largest request body accepted; beyond it, 413. */
  maxBodyBytes?: number;
  /** Routes outside authentication, added by the local server only (the dev token issuer). */
  registerPublicRoutes?: (app: Hono<AppEnv>) => void;
}

export const DEFAULT_MAX_BODY_BYTES = 256 * 1024;
const PROTECTED_PREFIXES = ['/bids', '/years', '/allocations', '/decisions'];

const isProtected = (path: string) => PROTECTED_PREFIXES.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));

// The document's security must be what the middleware does: secured routes, and only they, sit under its prefixes.
for (const { spec } of CONTRACT_ROUTES) {
  if (spec.secured !== isProtected(spec.path)) {
    throw new Error(
      `${spec.method.toUpperCase()} ${spec.path} is declared ${spec.secured ? '' : 'not '}secured, but the middleware disagrees`,
    );
  }
}

export function createApp(options: AppOptions): Hono<AppEnv> {
  const { logger } = options;
  const app = new Hono<AppEnv>();

  app.use('*', async (c, next) => {
    c.set('requestId', lambdaRequestId(c) ?? randomUUID());
    c.set('deps', options.deps);
    // Before the route answers, so the header is built into its response (see cors.ts for why).
    c.header('x-request-id', c.var.requestId);
    const started = performance.now();
    await next();
    logger.info('request', {
      requestId: c.var.requestId,
      method: c.req.method,
      route: c.req.routePath,
      status: c.res.status,
      ms: Math.round(performance.now() - started),
      ...(c.var.actor ? { sub: c.var.actor.sub } : {}),
    });
  });

  app.use(
    '*',
    cors({
      allowedOrigins: options.allowedOrigins ?? [],
      allowMethods: ['GET', 'POST', 'PUT', 'PATCH', 'OPTIONS'],
      allowHeaders: ['authorization', 'content-type', 'if-match', 'idempotency-key'],
      exposeHeaders: ['etag', 'location', 'retry-after', 'x-request-id', 'idempotent-replayed'],
      maxAgeSeconds: 600,
    }),
  );

  const maxSize = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  app.use(
    '*',
    limitBody(maxSize, (c) =>
      problemResponse(
        c,
        'payload-too-large',
        `the request body is over the limit of ${Math.round(maxSize / 1024)} KB; send fewer rows per request`,
        {
          errors: [{ path: '(body)', message: `must be at most ${maxSize} bytes` }],
        },
      ),
    ),
  );

  for (const contractRoute of CONTRACT_ROUTES) if (!contractRoute.spec.secured) contractRoute.register(app);
  options.registerPublicRoutes?.(app);

  for (const prefix of PROTECTED_PREFIXES) {
    for (const path of [prefix, `${prefix}/*`]) {
      app.use(path, async (c, next) => {
        if (c.req.method === 'OPTIONS') return next();
        const auth = await options.authenticate(c);
        if (!auth.ok) {
          return problemResponse(
            c,
            auth.failure.kind,
            auth.failure.detail,
            auth.failure.kind === 'unauthenticated' ? { headers: { 'www-authenticate': 'Bearer' } } : {},
          );
        }
        c.set('actor', auth.actor);
        return next();
      });
    }
  }

  for (const contractRoute of CONTRACT_ROUTES) if (contractRoute.spec.secured) contractRoute.register(app);

  app.notFound((c) => problemResponse(c, 'not-found', `no route ${c.req.method} ${c.req.path}`));
  app.onError((error, c) => {
    // Hono's own refusals (a malformed URL, say) are the client's: a problem, never a 500.
    if (error instanceof HTTPException && error.status < 500)
      return problemResponse(c, 'invalid', error.message || 'the request is not valid');
    if (error instanceof InvalidCursorError)
      return problemResponse(c, 'invalid', error.message, { errors: [{ path: 'cursor', message: error.message }] });
    if (error instanceof InvalidSyncTokenError)
      return problemResponse(c, 'invalid', error.message, { errors: [{ path: 'since', message: error.message }] });
    if (error instanceof StoreUnavailableError) {
      logger.warn('store unavailable', { requestId: c.var.requestId, reason: error.message });
      return problemResponse(c, 'unavailable', 'the data store is not answering; try again shortly', {
        headers: { 'retry-after': String(error.retryAfterSeconds) },
      });
    }
    logger.error('unhandled error', { requestId: c.var.requestId, error });
    return problemResponse(c, 'internal', 'an unexpected error occurred; it has been logged with the request id');
  });

  return app;
}

/** API Gateway's request id, when running on Lambda: the same id in its logs and ours. */
function lambdaRequestId(c: Context<AppEnv>): string | undefined {
  const event = c.env?.event as { requestContext?: { requestId?: unknown } } | undefined;
  const id = event?.requestContext?.requestId;
  return typeof id === 'string' ? id : undefined;
}
