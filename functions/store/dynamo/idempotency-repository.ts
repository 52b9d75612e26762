/**
 * Idempotency records in the single table; they lapse after a day (TTL). Every change to a record
 * is a conditional write, so of requests racing for one key exactly one claims or takes it over,
 * and only the holder saves the result, once.
 */
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '../keys';
import { IDEMPOTENCY_LEASE_MS, type IdempotencyRepository } from '../ports/idempotency-repository';
import type { TableAccess } from '../table-access';
import type { IdempotencyClaim, StoredResponse } from '../types';

const IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60;
/** Rounds of claim-or-read before a key that keeps changing under us is reported as in progress. */
const CLAIM_ROUNDS = 4;

export class DynamoIdempotencyRepository implements IdempotencyRepository {
  constructor(private readonly table: TableAccess) {}

  async claimIdempotency(scope: string, key: string, fingerprint: string, requestId: string, now: Date): Promise<IdempotencyClaim> {
    const leaseUntil = now.getTime() + IDEMPOTENCY_LEASE_MS;
    for (let round = 0; round < CLAIM_ROUNDS; round++) {
      const claimed = await this.table.conditional(
        new PutCommand({
          TableName: this.table.tableName,
          Item: {
            ...keys.idempotency(scope, key),
            kind: 'idempotency',
            fingerprint,
            requestId,
            holder: requestId,
            leaseUntil,
            state: 'in-progress',
            createdAt: now.toISOString(),
            expiresAt: Math.floor(now.getTime() / 1000) + IDEMPOTENCY_TTL_SECONDS,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      if (claimed) return { kind: 'new' };
      const item = await this.table.get(keys.idempotency(scope, key));
      if (!item) continue; // lapsed between the two calls: claim it afresh
      if (item.fingerprint !== fingerprint) return { kind: 'mismatch' };
      if (item.state === 'done') return { kind: 'done', response: item.response as StoredResponse };
      const seenLease = typeof item.leaseUntil === 'number' ? item.leaseUntil : undefined;
      if (seenLease !== undefined && seenLease > now.getTime()) return { kind: 'in-progress' };
      // The lease lapsed (or was released). Conditional on the lease and bid id we saw: the first
      // taker moves the lease on, so every other taker's condition fails and it reads again; and
      // a late note by the old holder cannot slip in between our read and our take-over.
      const seenBidId = typeof item.bidId === 'string' ? item.bidId : undefined;
      const conditions = [
        '#state = :inProgress',
        seenLease === undefined ? 'attribute_not_exists(leaseUntil)' : 'leaseUntil = :seenLease',
        seenBidId === undefined ? 'attribute_not_exists(bidId)' : 'bidId = :seenBidId',
      ];
      const taken = await this.table.conditional(
        new UpdateCommand({
          TableName: this.table.tableName,
          Key: keys.idempotency(scope, key),
          UpdateExpression: 'SET holder = :me, leaseUntil = :leaseUntil',
          ConditionExpression: conditions.join(' AND '),
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: {
            ':me': requestId,
            ':leaseUntil': leaseUntil,
            ':inProgress': 'in-progress',
            ...(seenLease === undefined ? {} : { ':seenLease': seenLease }),
            ...(seenBidId === undefined ? {} : { ':seenBidId': seenBidId }),
          },
        }),
      );
      if (taken) return { kind: 'unfinished', requestId: String(item.requestId), ...(seenBidId === undefined ? {} : { bidId: seenBidId }) };
    }
    return { kind: 'in-progress' };
  }

  async noteIdempotentBid(scope: string, key: string, requestId: string, bidId: string): Promise<boolean> {
    return this.updateHeld(scope, key, requestId, 'SET bidId = :id', { ':id': bidId });
  }

  async completeIdempotency(scope: string, key: string, requestId: string, response: StoredResponse): Promise<boolean> {
    return this.updateHeld(
      scope,
      key,
      requestId,
      'SET #state = :done, #response = :response',
      { ':done': 'done', ':response': response },
      {
        '#response': 'response',
      },
    );
  }

  async releaseIdempotency(scope: string, key: string, requestId: string): Promise<void> {
    await this.updateHeld(scope, key, requestId, 'SET leaseUntil = :released', { ':released': 0 });
  }

  /** An update made only while `requestId` holds the claim and no result is saved yet. */
  private updateHeld(
    scope: string,
    key: string,
    requestId: string,
    update: string,
    values: Record<string, unknown>,
    names: Record<string, string> = {},
  ): Promise<boolean> {
    return this.table.conditional(
      new UpdateCommand({
        TableName: this.table.tableName,
        Key: keys.idempotency(scope, key),
        UpdateExpression: update,
        ConditionExpression: '#state = :inProgress AND holder = :me',
        ExpressionAttributeNames: { '#state': 'state', ...names },
        ExpressionAttributeValues: { ...values, ':inProgress': 'in-progress', ':me': requestId },
      }),
    );
  }
}
