/** Idempotency records in a map, with the DynamoDB adapter's claims and leases (records do not lapse here). */
import { keys } from '../keys';
import { IDEMPOTENCY_LEASE_MS, type IdempotencyRepository } from '../ports/idempotency-repository';
import type { IdempotencyClaim, StoredResponse } from '../types';
import { copy, tick } from './values';

interface IdempotencyRecord {
  fingerprint: string;
  /** The first request: a take-over rolls its work forward under this id. */
  requestId: string;
  /** The request holding the claim now. */
  holder: string;
  /** Epoch ms after which another request may take the claim over; 0 once released. */
  leaseUntil: number;
  state: 'in-progress' | 'done';
  bidId?: string;
  response?: StoredResponse;
}

export class MemoryIdempotencyRepository implements IdempotencyRepository {
  private readonly records = new Map<string, IdempotencyRecord>();

  // Each method yields once, then reads and writes without yielding: a conditional write's atomicity.
  async claimIdempotency(scope: string, key: string, fingerprint: string, requestId: string, now: Date): Promise<IdempotencyClaim> {
    await tick();
    const id = this.id(scope, key);
    const record = this.records.get(id);
    const leaseUntil = now.getTime() + IDEMPOTENCY_LEASE_MS;
    if (!record) {
      this.records.set(id, { fingerprint, requestId, holder: requestId, leaseUntil, state: 'in-progress' });
      return { kind: 'new' };
    }
    if (record.fingerprint !== fingerprint) return { kind: 'mismatch' };
    if (record.state === 'done') return { kind: 'done', response: copy(record.response) as StoredResponse };
    if (record.leaseUntil > now.getTime()) return { kind: 'in-progress' };
    record.holder = requestId;
    record.leaseUntil = leaseUntil;
    return { kind: 'unfinished', requestId: record.requestId, ...(record.bidId !== undefined ? { bidId: record.bidId } : {}) };
  }

  async noteIdempotentBid(scope: string, key: string, requestId: string, bidId: string): Promise<boolean> {
    await tick();
    const record = this.held(scope, key, requestId);
    if (record) record.bidId = bidId;
    return record !== undefined;
  }

  async completeIdempotency(scope: string, key: string, requestId: string, response: StoredResponse): Promise<boolean> {
    await tick();
    const record = this.held(scope, key, requestId);
    if (!record) return false;
    record.state = 'done';
    record.response = copy(response);
    return true;
  }

  async releaseIdempotency(scope: string, key: string, requestId: string): Promise<void> {
    await tick();
    const record = this.held(scope, key, requestId);
    if (record) record.leaseUntil = 0;
  }

  /** The record, when `requestId` holds its claim and no result is saved yet. */
  private held(scope: string, key: string, requestId: string): IdempotencyRecord | undefined {
    const record = this.records.get(this.id(scope, key));
    return record && record.state === 'in-progress' && record.holder === requestId ? record : undefined;
  }

  private id(scope: string, key: string): string {
    return keys.idempotency(scope, key).pk;
  }
}
