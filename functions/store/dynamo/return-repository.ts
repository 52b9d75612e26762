/** Monitoring returns in the single table, under their financial year, keyed by bid and quarter. */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { MonitoringReturn } from '../../../domain';
import { keys } from '../keys';
import type { ReturnRepository } from '../ports/return-repository';
import type { Item, TableAccess } from '../table-access';
import { strip } from './items';

const toReturn = (item: Item): MonitoringReturn => strip(item, ['pk', 'sk', 'kind']) as MonitoringReturn;

export class DynamoReturnRepository implements ReturnRepository {
  constructor(private readonly table: TableAccess) {}

  async readReturn(fy: string, bidId: string, quarter: string): Promise<MonitoringReturn | undefined> {
    const item = await this.table.get(keys.monitoringReturn(fy, bidId, quarter));
    return item ? toReturn(item) : undefined;
  }

  async putReturn(next: MonitoringReturn, expectedVersion: number): Promise<'written' | 'conflict'> {
    const written = await this.table.conditional(
      new PutCommand({
        TableName: this.table.tableName,
        Item: { ...next, ...keys.monitoringReturn(next.fy, next.bidId, next.quarter), kind: 'return' },
        ...(expectedVersion === 0
          ? { ConditionExpression: 'attribute_not_exists(pk)' }
          : { ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': expectedVersion } }),
      }),
    );
    return written ? 'written' : 'conflict';
  }

  returnsOfBid(fy: string, bidId: string): Promise<MonitoringReturn[]> {
    return this.query(fy, keys.returnPrefixOfBid(bidId));
  }

  returnsOfYear(fy: string): Promise<MonitoringReturn[]> {
    return this.query(fy, keys.returnPrefix);
  }

  private async query(fy: string, prefix: string): Promise<MonitoringReturn[]> {
    const items = await this.table.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.budget(fy).pk, ':prefix': prefix },
      ConsistentRead: true,
    });
    // The sort key orders them by bid, then quarter.
    return items.map(toReturn);
  }
}
