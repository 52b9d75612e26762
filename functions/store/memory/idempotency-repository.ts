/** Idempotency records in a map, with the DynamoDB adapter's claims (records do not lapse here). */
import { keys } from '../keys';
import type { IdempotencyRepository } from '../ports/idempotency-repository';
import type { IdempotencyClaim, StoredResponse } from '../types';
import { copy, tick } from './values';

/** A record as the table holds it: an update of a missing record creates one with only that field. */
interface IdempotencyRecord {
  fingerprint?: string;
  requestId?: string;
  state?: 'in-progress' | 'done';
  bidId?: string;
  response?: StoredResponse;
}

export class MemoryIdempotencyRepository implements IdempotencyRepository {
  private readonly records = new Map<string, IdempotencyRecord>();

  async claimIdempotency(scope: string, key: string, fingerprint: string, requestId: string): Promise<IdempotencyClaim> {
    await tick();
    const id = keys.idempotency(scope, key).pk;
    const record = this.records.get(id);
    if (!record) {
      this.records.set(id, { fingerprint, requestId, state: 'in-progress' });
      return { kind: 'new' };
    }
    if (record.fingerprint !== fingerprint) return { kind: 'mismatch' };
    if (record.state === 'done') return { kind: 'done', response: copy(record.response) as StoredResponse };
    return { kind: 'unfinished', requestId: String(record.requestId), ...(record.bidId !== undefined ? { bidId: record.bidId } : {}) };
  }

  async noteIdempotentBid(scope: string, key: string, bidId: string): Promise<void> {
    await tick();
    this.update(scope, key).bidId = bidId;
  }

  async completeIdempotency(scope: string, key: string, response: StoredResponse): Promise<void> {
    await tick();
    const record = this.update(scope, key);
    record.state = 'done';
    record.response = copy(response);
  }

  private update(scope: string, key: string): IdempotencyRecord {
    const id = keys.idempotency(scope, key).pk;
    let record = this.records.get(id);
    if (!record) this.records.set(id, (record = {}));
    return record;
  }
}
