/**
 * The request body limit (413 beyond it, docs/design.md §4), checked from the declared
 * Content-Length where there is one: nearly every request. Only a chunked body (no length
 * declared) is counted as it streams, by Hono's bodyLimit.
 *
 * Why not Hono's bodyLimit for all: it starts by reading `c.req.raw.body`, which makes
 * @hono/node-server build a whole fetch Request with a web stream over the socket for every
 * request, GETs included, where the route would otherwise read the body straight from Node's
 * buffer; that was a large part of each request's cost on the local server (docs/bench.md).
 */
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AppEnv } from './env';

export function limitBody(maxSize: number, onError: (c: Context<AppEnv>) => Response): MiddlewareHandler<AppEnv> {
  const streamed = bodyLimit({ maxSize, onError });
  return async (c, next) => {
    if (c.req.header('transfer-encoding') !== undefined) return streamed(c, next);
    const length = c.req.header('content-length');
    if (length === undefined) {
      // Over a socket, a request with neither header has no body (RFC 9112 §6.3). On Lambda the
      // event's body is already in memory, and its headers need not declare its length: count it.
      return c.env?.event === undefined ? next() : streamed(c, next);
    }
    // Node's parser has already refused a Content-Length that is not a number.
    return Number(length) > maxSize ? onError(c) : next();
  };
}
