/**
 * The few ways every adapter talks to the table: send a command (transient failures become
 * StoreUnavailableError, so the API answers 503), a conditional write that reports whether its
 * condition held, a strongly consistent get, a query that follows every page, and which of many
 * keys exist (batched consistent reads).
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
  type BatchGetCommandOutput,
  type DeleteCommandOutput,
  type DynamoDBDocumentClient,
  type GetCommandOutput,
  type PutCommandOutput,
  type QueryCommandInput,
  type QueryCommandOutput,
  type UpdateCommandOutput,
} from '@aws-sdk/lib-dynamodb';
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

/** The commands the store sends, and what they answer. */
export type TableCommand = GetCommand | PutCommand | UpdateCommand | DeleteCommand | QueryCommand | BatchGetCommand;
export type TableCommandOutput =
  GetCommandOutput | PutCommandOutput | UpdateCommandOutput | DeleteCommandOutput | QueryCommandOutput | BatchGetCommandOutput;
/** The writes that may carry a condition. */
export type ConditionalCommand = PutCommand | UpdateCommand | DeleteCommand;

/** Each command through the client's own typed send (its overloads need one command type at a time). */
function dispatch(doc: DynamoDBDocumentClient, command: TableCommand): Promise<TableCommandOutput> {
  if (command instanceof GetCommand) return doc.send(command);
  if (command instanceof PutCommand) return doc.send(command);
  if (command instanceof UpdateCommand) return doc.send(command);
  if (command instanceof DeleteCommand) return doc.send(command);
  if (command instanceof QueryCommand) return doc.send(command);
  return doc.send(command);
}

export class TableAccess {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    readonly tableName: string,
  ) {}

  /** A lib-dynamodb command the store uses; the result is that command's output. */
  send(command: GetCommand): Promise<GetCommandOutput>;
  send(command: PutCommand): Promise<PutCommandOutput>;
  send(command: UpdateCommand): Promise<UpdateCommandOutput>;
  send(command: DeleteCommand): Promise<DeleteCommandOutput>;
  send(command: QueryCommand): Promise<QueryCommandOutput>;
  send(command: BatchGetCommand): Promise<BatchGetCommandOutput>;
  send(command: TableCommand): Promise<TableCommandOutput>;
  async send(command: TableCommand): Promise<TableCommandOutput> {
    try {
      return await dispatch(this.doc, command);
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
  async conditional(command: ConditionalCommand): Promise<boolean> {
    try {
      await this.send(command);
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async get(key: { pk: string; sk: string }): Promise<Item | undefined> {
    const out = await this.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }));
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
        const out = await this.send(
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
      const out = await this.send(new QueryCommand({ TableName: this.tableName, ...input, ExclusiveStartKey: start }));
      items.push(...(out.Items ?? []));
      start = out.LastEvaluatedKey;
    } while (start);
    return items;
  }
}
