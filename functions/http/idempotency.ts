/**
 * Idempotency-Key handling for every mutating route: the first request's result is kept and
 * returned to any retry; a retry of a request that never finished rolls it forward under the
 * first request id (DESIGN §3).
 */
import type { Context } from 'hono';
import type { StoredResponse } from '../store/types';
import type { AppEnv } from './env';
import { requestFingerprint } from './preconditions';
import { problemResponse, PROBLEM_CONTENT_TYPE } from './problem';

export interface HandlerResult extends StoredResponse {
  headers?: Record<string, string>;
}

export interface IdempotentRun {
  requestId: string;
  /** For a rolled-forward create: the bid id the first attempt chose. */
  bidIdHint?: string;
  /** Record the bid id a create chose, so a roll-forward reuses it. */
  noteBidId: (id: string) => Promise<void>;
}

export function toResponse(result: HandlerResult, replayed = false): Response {
  const isProblem = result.status >= 400;
  return new Response(result.status === 204 ? null : JSON.stringify(result.body), {
    status: result.status,
    headers: {
      'content-type': isProblem ? PROBLEM_CONTENT_TYPE : 'application/json',
      ...result.headers,
      ...(replayed ? { 'idempotent-replayed': 'true' } : {}),
    },
  });
}

export async function idempotent(
  c: Context<AppEnv>,
  body: unknown,
  run: (context: IdempotentRun) => Promise<HandlerResult>,
): Promise<Response> {
  const key = c.req.header('idempotency-key');
  const requestId = c.get('requestId');
  if (key === undefined) return toResponse(await run({ requestId, noteBidId: async () => undefined }));

  const { store } = c.var.deps;
  const scope = c.get('actor').sub;
  const fingerprint = requestFingerprint({ method: c.req.method, path: c.req.path, ifMatch: c.req.header('if-match'), body });
  const claim = await store.claimIdempotency(scope, key, fingerprint, requestId);
  if (claim.kind === 'done') return toResponse(claim.response as HandlerResult, true);
  if (claim.kind === 'mismatch') {
    return problemResponse(
      c,
      'idempotency-key-reuse',
      'this Idempotency-Key was already used for a different request; use a new key for a new request',
      {
        errors: [{ path: 'idempotency-key', message: 'was used before for a different request' }],
      },
    );
  }
  const runId = claim.kind === 'unfinished' ? claim.requestId : requestId;
  const result = await run({
    requestId: runId,
    ...(claim.kind === 'unfinished' && claim.bidId !== undefined ? { bidIdHint: claim.bidId } : {}),
    noteBidId: (id) => store.noteIdempotentBid(scope, key, id),
  });
  // Server-side failures are not kept: a retry must get another chance to finish.
  if (result.status < 500) await store.completeIdempotency(scope, key, result);
  return toResponse(result, claim.kind === 'unfinished');
}
