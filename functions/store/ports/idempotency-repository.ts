/** Idempotency records: one per (scope, key), claimed, noted and completed by a request. */
import type { IdempotencyClaim, StoredResponse } from '../types';

export interface IdempotencyRepository {
  claimIdempotency(scope: string, key: string, fingerprint: string, requestId: string): Promise<IdempotencyClaim>;
  noteIdempotentBid(scope: string, key: string, bidId: string): Promise<void>;
  completeIdempotency(scope: string, key: string, response: StoredResponse): Promise<void>;
}
