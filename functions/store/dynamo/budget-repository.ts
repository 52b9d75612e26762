/** Budgets, budget events and the years partition in the single table. */
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { BudgetEvent, Outturn, YearClose } from '../../../domain';
import { keys } from '../keys';
import type { BudgetRepository } from '../ports/budget-repository';
import type { TableAccess } from '../table-access';
import type { BudgetRecord } from '../types';
import { strip } from './items';

export class DynamoBudgetRepository implements BudgetRepository {
  constructor(private readonly table: TableAccess) {}

  async years(): Promise<string[]> {
    const items = await this.table.queryAll({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.yearsPartition },
      ConsistentRead: true,
    });
    return items.map((item) => String(item.fy));
  }

  async getBudget(fy: string): Promise<BudgetRecord | undefined> {
    const item = await this.table.get(keys.budget(fy));
    return item
      ? {
          fy: String(item.fy),
          fundPence: Number(item.fundPence),
          costShare: item.costShare as BudgetRecord['costShare'],
          ...(item.returnDueDays !== undefined ? { returnDueDays: Number(item.returnDueDays) } : {}),
        }
      : undefined;
  }

  async createBudget(budget: BudgetRecord): Promise<'created' | 'exists'> {
    const written = await this.table.conditional(
      new PutCommand({
        TableName: this.table.tableName,
        Item: { ...budget, ...keys.budget(budget.fy), kind: 'budget' },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    await this.registerYear(budget.fy);
    return written ? 'created' : 'exists';
  }

  async getYearClose(fy: string): Promise<YearClose | undefined> {
    const item = await this.table.get(keys.yearClose(fy));
    return item ? (strip(item, ['pk', 'sk', 'kind']) as YearClose) : undefined;
  }

  async recordYearClose(close: YearClose): Promise<'recorded' | YearClose> {
    // One close per year: the first request's record stands (docs/design.md §3.1).
    const written = await this.table.conditional(
      new PutCommand({
        TableName: this.table.tableName,
        Item: { ...close, ...keys.yearClose(close.fy), kind: 'year-close' },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    if (written) return 'recorded';
    const existing = await this.getYearClose(close.fy);
    if (!existing) throw new Error(`the close of ${close.fy} was refused but cannot be read`);
    return existing;
  }

  async setYearCloseOutturn(fy: string, requestId: string, outturn: Outturn): Promise<YearClose | undefined> {
    await this.table.conditional(
      new UpdateCommand({
        TableName: this.table.tableName,
        Key: keys.yearClose(fy),
        UpdateExpression: 'SET outturn = :outturn',
        ConditionExpression: 'requestId = :rid AND attribute_not_exists(outturn)',
        ExpressionAttributeValues: { ':outturn': outturn, ':rid': requestId },
      }),
    );
    return this.getYearClose(fy);
  }

  async completeYearClose(fy: string, requestId: string): Promise<void> {
    await this.table.conditional(
      new UpdateCommand({
        TableName: this.table.tableName,
        Key: keys.yearClose(fy),
        UpdateExpression: 'SET completed = :done',
        ConditionExpression: 'requestId = :rid AND attribute_exists(outturn)',
        ExpressionAttributeValues: { ':done': true, ':rid': requestId },
      }),
    );
  }

  async putBudget(budget: BudgetRecord): Promise<'set' | 'closed'> {
    // The item's own condition: a close marks it before its outturn is read (docs/design.md §3.1).
    const written = await this.table.conditional(
      new PutCommand({
        TableName: this.table.tableName,
        Item: { ...budget, ...keys.budget(budget.fy), kind: 'budget' },
        ConditionExpression: 'attribute_not_exists(closedBy)',
      }),
    );
    if (!written) return 'closed';
    await this.registerYear(budget.fy);
    return 'set';
  }

  async setReturnDueDays(fy: string, returnDueDays: number): Promise<boolean> {
    return this.table.conditional(
      new UpdateCommand({
        TableName: this.table.tableName,
        Key: keys.budget(fy),
        UpdateExpression: 'SET returnDueDays = :days',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':days': returnDueDays },
      }),
    );
  }

  async closeBudget(fy: string, requestId: string): Promise<boolean> {
    return this.table.conditional(
      new UpdateCommand({
        TableName: this.table.tableName,
        Key: keys.budget(fy),
        UpdateExpression: 'SET closedBy = :rid',
        ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(closedBy) OR closedBy = :rid)',
        ExpressionAttributeValues: { ':rid': requestId },
      }),
    );
  }

  async recordBudgetEvent(event: BudgetEvent): Promise<void> {
    // Keyed by request: a retried request keeps the event its first attempt recorded.
    await this.table.conditional(
      new PutCommand({
        TableName: this.table.tableName,
        Item: { ...event, ...keys.budgetEvent(event.fy, event.requestId), kind: 'budget-event' },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async budgetHistory(fy: string): Promise<BudgetEvent[]> {
    const items = await this.table.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.budget(fy).pk, ':prefix': keys.budgetEventPrefix },
      ConsistentRead: true,
    });
    return items.map((item) => strip(item, ['pk', 'sk', 'kind']) as BudgetEvent).sort((a, b) => a.at.localeCompare(b.at));
  }

  async registerYear(fy: string): Promise<void> {
    await this.table.send(new PutCommand({ TableName: this.table.tableName, Item: { fy, ...keys.year(fy), kind: 'year' } }));
  }
}
