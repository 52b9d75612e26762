/**
 * The few ways every adapter talks to the table: send a command (transient failures become
 * StoreUnavailableError, so the API answers 503), a conditional write that reports whether its
 * condition held, a strongly consistent get, a query that follows every page, and which of many
 * keys exist (batched consistent reads).
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, GetCommand, QueryCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { inParallel } from '../concurrency';
import { isTransientStoreError, StoreUnavailableError } from './errors';

export type Item = Record<string, unknown>;
export interface ItemKey {
  pk: string;
  sk: string;
}

/** DynamoDB's limit of keys in one BatchGetItem. */
const BATCH_GET_KEYS = 100;
/** Rounds of retrying the keys DynamoDB hands back unprocessed (throttling) before giving up. */
const UNPROCESSED_ROUNDS = 8;
/** A key as one string, the form existingKeys reports keys in. */
export const itemKeyString = (key: ItemKey): string => `${key.pk}\u0000${key.sk}`;

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

  /**
   * Which of these keys hold an item, by consistent BatchGetItem reads of the keys alone (100 a
   * call, a few calls at once). Keys DynamoDB leaves unprocessed are asked again with backoff;
   * if they stay unprocessed the store is treated as unavailable, never as "no item".
   */
  async existingKeys(keys: readonly ItemKey[], options: { concurrency?: number; backoffMs?: number } = {}): Promise<Set<string>> {
    const found = new Set<string>();
    const chunks: ItemKey[][] = [];
    for (let i = 0; i < keys.length; i += BATCH_GET_KEYS) chunks.push(keys.slice(i, i + BATCH_GET_KEYS));
    const backoffMs = options.backoffMs ?? 50;
    const readChunk = async (chunk: ItemKey[]): Promise<void> => {
      let pending: ItemKey[] = chunk;
      for (let round = 0; pending.length > 0; round++) {
        if (round === UNPROCESSED_ROUNDS) {
          throw new StoreUnavailableError(`store busy: ${pending.length} key(s) still unprocessed after ${round} batch reads`);
        }
        if (round > 0) await new Promise((done) => setTimeout(done, backoffMs * 2 ** (round - 1)));
        const out = await this.send<{ Responses?: Record<string, Item[]>; UnprocessedKeys?: Record<string, { Keys?: Item[] }> }>(
          new BatchGetCommand({
            RequestItems: {
              [this.tableName]: { Keys: pending, ConsistentRead: true, ProjectionExpression: 'pk, sk' },
            },
          }),
        );
        for (const item of out.Responses?.[this.tableName] ?? []) found.add(itemKeyString(item as unknown as ItemKey));
        pending = (out.UnprocessedKeys?.[this.tableName]?.Keys ?? []) as unknown as ItemKey[];
      }
    };
    await inParallel(chunks, options.concurrency ?? 4, readChunk);
    return found;
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
