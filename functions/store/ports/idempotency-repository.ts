/**
 * Idempotency records: one per (scope, key). A request claims the key and holds it for a lease;
 * a duplicate meanwhile is told the first is in progress, and only once the lease has lapsed (or
 * the holder released it on failure) does exactly one duplicate take the claim over and roll the
 * first request forward. The result is saved once, by whoever holds the claim.
 */
import type { IdempotencyClaim, StoredResponse } from '../types';

/**
 * How long a claim holds its key before another request may take it over. Longer than the API
 * function's timeout (20 s), so a request still running never loses its claim; tests move the
 * clock they pass in rather than change this.
 */
export const IDEMPOTENCY_LEASE_MS = 30_000;

export interface IdempotencyRepository {
  /**
   * Claim the key for `requestId` at `now`: new, in progress elsewhere, taken over from a holder
   * whose lease lapsed ('unfinished'), done, or a mismatch (the key was used for another request).
   */
  claimIdempotency(scope: string, key: string, fingerprint: string, requestId: string, now: Date): Promise<IdempotencyClaim>;
  /** Note the bid id a create chose; false when `requestId` no longer holds the claim. */
  noteIdempotentBid(scope: string, key: string, requestId: string, bidId: string): Promise<boolean>;
  /** Save the result once: false when `requestId` no longer holds the claim or a result is already saved. */
  completeIdempotency(scope: string, key: string, requestId: string, response: StoredResponse): Promise<boolean>;
  /** Give up the claim after a failure, so a retry may take it over at once; a no-op unless `requestId` holds it. */
  releaseIdempotency(scope: string, key: string, requestId: string): Promise<void>;
}
