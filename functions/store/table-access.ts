/**
 * The few ways every adapter talks to the table: send a command (transient failures become
 * StoreUnavailableError, so the API answers 503), a conditional write that reports whether its
 * condition held, a strongly consistent get, and a query that follows every page.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { isTransientStoreError, StoreUnavailableError } from './errors';

export type Item = Record<string, unknown>;

export class TableAccess {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    readonly tableName: string,
  ) {}

  /** Any lib-dynamodb command; the result is the command's output. */
  async send<T>(command: object): Promise<T> {
    try {
      return (await this.doc.send(command as never)) as T;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw error;
      if (isTransientStoreError(error)) {
        const reason = (error as { code?: unknown; name?: unknown }).code ?? (error as { name?: unknown }).name;
        throw new StoreUnavailableError(`store unavailable: ${String(reason)}`);
      }
      throw error;
    }
  }

  /** A conditional write: true when it was made, false when its condition did not hold. */
  async conditional(command: object): Promise<boolean> {
    try {
      await this.send(command);
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async get(key: { pk: string; sk: string }): Promise<Item | undefined> {
    const out = await this.send<{ Item?: Item }>(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }));
    return out.Item;
  }

  async queryAll(input: Omit<QueryCommandInput, 'TableName'>): Promise<Item[]> {
    const items: Item[] = [];
    let start: Item | undefined;
    do {
      const out = await this.send<{ Items?: Item[]; LastEvaluatedKey?: Item }>(
        new QueryCommand({ TableName: this.tableName, ...input, ExclusiveStartKey: start }),
      );
      items.push(...(out.Items ?? []));
      start = out.LastEvaluatedKey;
    } while (start);
    return items;
  }
}
