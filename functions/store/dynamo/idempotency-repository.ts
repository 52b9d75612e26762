/** Idempotency records in the single table; they lapse after a day (TTL). */
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '../keys';
import type { IdempotencyRepository } from '../ports/idempotency-repository';
import type { TableAccess } from '../table-access';
import type { IdempotencyClaim, StoredResponse } from '../types';

const IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60;

export class DynamoIdempotencyRepository implements IdempotencyRepository {
  constructor(private readonly table: TableAccess) {}

  async claimIdempotency(scope: string, key: string, fingerprint: string, requestId: string): Promise<IdempotencyClaim> {
    const claimed = await this.table.conditional(
      new PutCommand({
        TableName: this.table.tableName,
        Item: {
          ...keys.idempotency(scope, key),
          kind: 'idempotency',
          fingerprint,
          requestId,
          state: 'in-progress',
          createdAt: new Date().toISOString(),
          expiresAt: Math.floor(Date.now() / 1000) + IDEMPOTENCY_TTL_SECONDS,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    if (claimed) return { kind: 'new' };
    const item = await this.table.get(keys.idempotency(scope, key));
    if (!item) return this.claimIdempotency(scope, key, fingerprint, requestId);
    if (item.fingerprint !== fingerprint) return { kind: 'mismatch' };
    if (item.state === 'done') return { kind: 'done', response: item.response as StoredResponse };
    return { kind: 'unfinished', requestId: String(item.requestId), ...(typeof item.bidId === 'string' ? { bidId: item.bidId } : {}) };
  }

  async noteIdempotentBid(scope: string, key: string, bidId: string): Promise<void> {
    await this.table.send(
      new UpdateCommand({
        TableName: this.table.tableName,
        Key: keys.idempotency(scope, key),
        UpdateExpression: 'SET bidId = :id',
        ExpressionAttributeValues: { ':id': bidId },
      }),
    );
  }

  async completeIdempotency(scope: string, key: string, response: StoredResponse): Promise<void> {
    await this.table.send(
      new UpdateCommand({
        TableName: this.table.tableName,
        Key: keys.idempotency(scope, key),
        UpdateExpression: 'SET #state = :done, #response = :response',
        ExpressionAttributeNames: { '#state': 'state', '#response': 'response' },
        ExpressionAttributeValues: { ':done': 'done', ':response': response },
      }),
    );
  }
}
