/**
 * The local API answers only requests addressed to this machine by name: Host 127.0.0.1,
 * localhost or [::1], any port. A web page on another name that resolves to 127.0.0.1 (DNS
 * rebinding) sends its own name as Host, so it is refused before it reaches a route (such as
 * the dev token issuer). Lambda never runs this: API Gateway fixes the host there.
 */
import { buildProblem, PROBLEM_CONTENT_TYPE } from '../functions/http/problem';

const LOOPBACK_HOST = /^(?:127\.0\.0\.1|localhost|\[::1\])(?::\d{1,5})?$/i;

export function isLoopbackHost(host: string | null): boolean {
  return host !== null && LOOPBACK_HOST.test(host.trim());
}

/** Wrap a fetch handler so any other Host gets 421 problem+json. */
export function loopbackOnly<Env>(
  fetch: (request: Request, env: Env) => Response | Promise<Response>,
): (request: Request, env: Env) => Response | Promise<Response> {
  return (request, env) => {
    if (isLoopbackHost(request.headers.get('host'))) return fetch(request, env);
    const problem = buildProblem('misdirected', 'the local API answers only requests to 127.0.0.1, localhost or [::1]', {
      instance: new URL(request.url).pathname,
      errors: [{ path: 'host', message: 'must be 127.0.0.1, localhost or [::1] (with any port)' }],
    });
    return new Response(JSON.stringify(problem), { status: problem.status, headers: { 'content-type': PROBLEM_CONTENT_TYPE } });
  };
}
