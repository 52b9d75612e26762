/**
 * CORS for the add-in's origins (docs/design.md §4), answering as Hono's cors middleware did, with
 * one difference in how: every header is prepared before the route builds its response
 * (`c.header`), never set on the response afterwards. On @hono/node-server a response touched
 * after it is built is rebuilt around a web stream of its body, and that, on every request, was
 * a large share of the API's own cost (docs/bench.md).
 */
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './env';

export interface CorsOptions {
  /** Origins allowed (the add-in's); none means same-origin only. */
  allowedOrigins: readonly string[];
  allowMethods: readonly string[];
  allowHeaders: readonly string[];
  exposeHeaders: readonly string[];
  maxAgeSeconds: number;
}

export function cors(options: CorsOptions): MiddlewareHandler<AppEnv> {
  const expose = options.exposeHeaders.join(',');
  const preflight = {
    'access-control-max-age': String(options.maxAgeSeconds),
    'access-control-allow-methods': options.allowMethods.join(','),
    'access-control-allow-headers': options.allowHeaders.join(','),
  };
  return async (c, next) => {
    const origin = c.req.header('origin');
    const allowed = origin !== undefined && options.allowedOrigins.includes(origin) ? origin : undefined;
    const headers: Record<string, string> = {
      ...(allowed ? { 'access-control-allow-origin': allowed } : {}),
      'access-control-expose-headers': expose,
    };
    if (c.req.method === 'OPTIONS') {
      return c.body(null, 204, { ...headers, ...preflight, vary: 'Origin, Access-Control-Request-Headers' });
    }
    for (const [name, value] of Object.entries(headers)) c.header(name, value);
    c.header('vary', 'Origin', { append: true });
    return next();
  };
}
