/**
 * Idempotency-Key handling for every mutating route: the first request's result is kept and
 * returned to any retry. A retry that arrives while the first request still runs waits a little
 * for its result, else is told 409 request-in-progress; a retry of a request that failed, or whose
 * claim outlived its lease, takes the claim over and rolls the first request forward under its
 * request id (docs/design.md §3).
 */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { IdempotencyClaim, FundStore, StoredResponse } from '../store/types';
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

/**
 * Pauses (ms) between looks at a claim another request holds: about two seconds in all, enough
 * for an ordinary request to finish, short enough to answer well inside any client's timeout.
 */
export const IN_PROGRESS_POLL_MS: readonly number[] = [50, 100, 150, 200, 300, 500, 700];
/** What a 409 request-in-progress tells the client to wait before retrying. */
export const IN_PROGRESS_RETRY_AFTER_SECONDS = 1;

/** Raised when a request finds another has taken over its claim: it must not go on creating. */
export class IdempotencyClaimLostError extends Error {
  constructor() {
    super('the Idempotency-Key claim was taken over by a retry');
  }
}

export function toResponse(c: Context<AppEnv>, result: HandlerResult, replayed = false): Response {
  const isProblem = result.status >= 400;
  // c.body, not new Response: the headers the middleware prepared (request id, CORS) go in with it.
  const headers = {
    'content-type': isProblem ? PROBLEM_CONTENT_TYPE : 'application/json',
    ...result.headers,
    ...(replayed ? { 'idempotent-replayed': 'true' } : {}),
  };
  if (result.status === 204) return c.body(null, 204, headers);
  return c.body(JSON.stringify(result.body), result.status as ContentfulStatusCode, headers);
}

const pause = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

/** Claim the key; while another request holds it, look again a few times before giving up. */
async function claimWaiting(claim: () => Promise<IdempotencyClaim>): Promise<IdempotencyClaim> {
  let outcome = await claim();
  for (const ms of IN_PROGRESS_POLL_MS) {
    if (outcome.kind !== 'in-progress') return outcome;
    await pause(ms);
    outcome = await claim();
  }
  return outcome;
}

export async function idempotent(
  c: Context<AppEnv>,
  body: unknown,
  run: (context: IdempotentRun) => Promise<HandlerResult>,
): Promise<Response> {
  const key = c.req.header('idempotency-key');
  const requestId = c.get('requestId');
  if (key === undefined) return toResponse(c, await run({ requestId, noteBidId: async () => undefined }));

  const { store, now } = c.var.deps;
  const scope = c.get('actor').sub;
  const fingerprint = requestFingerprint({ method: c.req.method, path: c.req.path, ifMatch: c.req.header('if-match'), body });
  const claim = await claimWaiting(() => store.claimIdempotency(scope, key, fingerprint, requestId, now()));
  if (claim.kind === 'done') return toResponse(c, claim.response as HandlerResult, true);
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
  if (claim.kind === 'in-progress') {
    return problemResponse(
      c,
      'request-in-progress',
      'a request with this Idempotency-Key is still being processed; retry with the same key to get its result',
      { headers: { 'retry-after': String(IN_PROGRESS_RETRY_AFTER_SECONDS) } },
    );
  }
  const result = await runHoldingClaim(store, { scope, key, requestId }, () =>
    run({
      requestId: claim.kind === 'unfinished' ? claim.requestId : requestId,
      ...(claim.kind === 'unfinished' && claim.bidId !== undefined ? { bidIdHint: claim.bidId } : {}),
      noteBidId: async (id) => {
        if (!(await store.noteIdempotentBid(scope, key, requestId, id))) throw new IdempotencyClaimLostError();
      },
    }),
  );
  // Saved only while the claim is still ours; if a retry took it over, that retry saves its own.
  if (result.status < 500) await store.completeIdempotency(scope, key, requestId, result);
  return toResponse(c, result, claim.kind === 'unfinished');
}

/**
 * Run while holding the claim. Server-side failures are not kept: the claim is released so a
 * retry gets another chance to finish at once. If the release itself fails (the store is down),
 * the claim lapses with its lease instead.
 */
async function runHoldingClaim(
  store: FundStore,
  claim: { scope: string; key: string; requestId: string },
  work: () => Promise<HandlerResult>,
): Promise<HandlerResult> {
  const release = () => store.releaseIdempotency(claim.scope, claim.key, claim.requestId).catch(() => undefined);
  let result: HandlerResult;
  try {
    result = await work();
  } catch (error) {
    await release();
    throw error;
  }
  if (result.status >= 500) await release();
  return result;
}
