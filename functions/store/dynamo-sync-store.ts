/**
 * DynamoDB adapter of the sync job's port, in the same single table. Only GetItem, PutItem,
 * UpdateItem and Query: the sync Lambda is granted nothing else (no DeleteItem, Scan or batch
 * writes), so the lease is released by expiring it, never by deleting it.
 *
 *   pk SYNC             sk LEASE          the lease: owner, leaseUntilMs
 *   pk SYNC             sk STATE#<fy>     per-FY sync state (delta position, digests, last export)
 *   pk INGEST#<sha256>  sk FILE           one intake file
 *   pk INGEST#<sha256>  sk ROW#<000042>   one data row → the bid id chosen for it
 */
import { PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TableAccess, type Item } from './table-access';
import type { ContentClaim, IngestedFile, IngestedRow, LeaseOutcome, RowClaim, RowContentOwner, SyncState, SyncStore } from './sync-store';

export const syncKeys = {
  partition: 'SYNC',
  lease: { pk: 'SYNC', sk: 'LEASE' },
  statePrefix: 'STATE#',
  state: (fy: string) => ({ pk: 'SYNC', sk: `STATE#${fy}` }),
  ingestPartition: (hash: string) => `INGEST#${hash}`,
  ingestFile: (hash: string) => ({ pk: `INGEST#${hash}`, sk: 'FILE' }),
  rowPrefix: 'ROW#',
  ingestRow: (hash: string, row: number) => ({ pk: `INGEST#${hash}`, sk: `ROW#${String(row).padStart(6, '0')}` }),
  rowContent: (contentKey: string) => ({ pk: `INGEST-CONTENT#${contentKey}`, sk: 'OWNER' }),
};

const STRIP = ['pk', 'sk', 'kind'];

export class DynamoSyncStore implements SyncStore {
  private readonly table: TableAccess;
  private readonly tableName: string;

  constructor(doc: DynamoDBDocumentClient, tableName: string) {
    this.table = new TableAccess(doc, tableName);
    this.tableName = tableName;
  }

  private queryPartition(pk: string, skPrefix: string): Promise<Item[]> {
    return this.table.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': pk, ':prefix': skPrefix },
      ConsistentRead: true,
    });
  }

  // ── lease ───────────────────────────────────────────────────────────────────────────

  async acquireLease(owner: string, now: Date, ttlMs: number): Promise<LeaseOutcome> {
    const untilMs = now.getTime() + ttlMs;
    const until = new Date(untilMs).toISOString();
    const taken = await this.table.conditional(
      new UpdateCommand({
        TableName: this.tableName,
        Key: syncKeys.lease,
        UpdateExpression: 'SET #owner = :owner, leaseUntilMs = :until, leaseUntil = :untilIso, acquiredAt = :now, #kind = :kind',
        ConditionExpression: 'attribute_not_exists(pk) OR leaseUntilMs < :nowMs',
        ExpressionAttributeNames: { '#owner': 'owner', '#kind': 'kind' },
        ExpressionAttributeValues: {
          ':owner': owner,
          ':until': untilMs,
          ':untilIso': until,
          ':now': now.toISOString(),
          ':nowMs': now.getTime(),
          ':kind': 'sync-lease',
        },
      }),
    );
    if (taken) return { kind: 'acquired', until };
    const item = await this.table.get(syncKeys.lease);
    return { kind: 'held', owner: String(item?.owner ?? 'unknown'), until: new Date(Number(item?.leaseUntilMs ?? 0)).toISOString() };
  }

  async renewLease(owner: string, now: Date, ttlMs: number): Promise<boolean> {
    const untilMs = now.getTime() + ttlMs;
    return this.table.conditional(
      new UpdateCommand({
        TableName: this.tableName,
        Key: syncKeys.lease,
        UpdateExpression: 'SET leaseUntilMs = :until, leaseUntil = :untilIso',
        ConditionExpression: '#owner = :owner',
        ExpressionAttributeNames: { '#owner': 'owner' },
        ExpressionAttributeValues: { ':owner': owner, ':until': untilMs, ':untilIso': new Date(untilMs).toISOString() },
      }),
    );
  }

  async releaseLease(owner: string): Promise<void> {
    // Expire it rather than delete it: the sync role has no DeleteItem.
    await this.table.conditional(
      new UpdateCommand({
        TableName: this.tableName,
        Key: syncKeys.lease,
        UpdateExpression: 'SET leaseUntilMs = :zero, leaseUntil = :epoch',
        ConditionExpression: '#owner = :owner',
        ExpressionAttributeNames: { '#owner': 'owner' },
        ExpressionAttributeValues: { ':owner': owner, ':zero': 0, ':epoch': new Date(0).toISOString() },
      }),
    );
  }

  // ── ingest records ──────────────────────────────────────────────────────────────────

  async getIngestedFile(hash: string): Promise<IngestedFile | undefined> {
    const item = await this.table.get(syncKeys.ingestFile(hash));
    return item ? (strip(item) as unknown as IngestedFile) : undefined;
  }

  async startIngestedFile(file: IngestedFile): Promise<'started' | 'exists'> {
    const written = await this.table.conditional(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...file, ...syncKeys.ingestFile(file.hash), kind: 'ingest-file' },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return written ? 'started' : 'exists';
  }

  async finishIngestedFile(hash: string, outcome: { rows: number; created: number; rejected: number; doneAt: string }): Promise<void> {
    await this.table.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: syncKeys.ingestFile(hash),
        UpdateExpression: 'SET #state = :done, #rows = :rows, #created = :created, #rejected = :rejected, #doneAt = :doneAt',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: {
          '#state': 'state',
          '#rows': 'rows',
          '#created': 'created',
          '#rejected': 'rejected',
          '#doneAt': 'doneAt',
        },
        ExpressionAttributeValues: {
          ':done': 'done',
          ':rows': outcome.rows,
          ':created': outcome.created,
          ':rejected': outcome.rejected,
          ':doneAt': outcome.doneAt,
        },
      }),
    );
  }

  async ingestedRows(hash: string): Promise<IngestedRow[]> {
    const items = await this.queryPartition(syncKeys.ingestPartition(hash), syncKeys.rowPrefix);
    return items.map((item) => rowOf(item));
  }

  async claimIngestedRow(row: IngestedRow): Promise<RowClaim> {
    const claimed = await this.table.conditional(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...row, ...syncKeys.ingestRow(row.hash, row.row), kind: 'ingest-row' },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    if (claimed) return { kind: 'claimed' };
    const item = await this.table.get(syncKeys.ingestRow(row.hash, row.row));
    if (!item) throw new Error(`ingest row ${row.hash}:${row.row} is neither new nor readable`);
    return { kind: 'taken', existing: rowOf(item) };
  }

  async getIngestedRow(hash: string, row: number): Promise<IngestedRow | undefined> {
    const item = await this.table.get(syncKeys.ingestRow(hash, row));
    return item ? rowOf(item) : undefined;
  }

  async claimRowContent(owner: RowContentOwner): Promise<ContentClaim> {
    const claimed = await this.table.conditional(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...owner, ...syncKeys.rowContent(owner.contentKey), kind: 'ingest-content' },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    if (claimed) return { kind: 'claimed' };
    const item = await this.table.get(syncKeys.rowContent(owner.contentKey));
    if (!item) throw new Error(`ingest content ${owner.contentKey} is neither new nor readable`);
    return { kind: 'taken', existing: strip(item) as unknown as RowContentOwner };
  }

  async takeRowContent(
    contentKey: string,
    from: Omit<RowContentOwner, 'contentKey'>,
    to: Omit<RowContentOwner, 'contentKey'>,
  ): Promise<boolean> {
    return this.table.conditional(
      new UpdateCommand({
        TableName: this.tableName,
        Key: syncKeys.rowContent(contentKey),
        UpdateExpression: 'SET #hash = :toHash, #row = :toRow',
        ConditionExpression: '#hash = :fromHash AND #row = :fromRow',
        ExpressionAttributeNames: { '#hash': 'hash', '#row': 'row' },
        ExpressionAttributeValues: { ':toHash': to.hash, ':toRow': to.row, ':fromHash': from.hash, ':fromRow': from.row },
      }),
    );
  }

  // ── sync state ──────────────────────────────────────────────────────────────────────

  async syncStates(): Promise<SyncState[]> {
    const items = await this.queryPartition(syncKeys.partition, syncKeys.statePrefix);
    return items.map((item) => strip(item) as unknown as SyncState);
  }

  async putSyncState(state: SyncState): Promise<'written' | 'conflict'> {
    const first = state.revision === 1;
    const written = await this.table.conditional(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...state, ...syncKeys.state(state.fy), kind: 'sync-state' },
        ConditionExpression: first ? 'attribute_not_exists(pk)' : '#revision = :previous',
        ...(first
          ? {}
          : { ExpressionAttributeNames: { '#revision': 'revision' }, ExpressionAttributeValues: { ':previous': state.revision - 1 } }),
      }),
    );
    return written ? 'written' : 'conflict';
  }
}

/** A row record's fields (items written before the bid's existence was the row's state may carry a state: ignored). */
function rowOf(item: Item): IngestedRow {
  return { hash: String(item.hash), row: Number(item.row), requestId: String(item.requestId), bidId: String(item.bidId) };
}

function strip(item: Item): Item {
  const out: Item = { ...item };
  for (const key of STRIP) delete out[key];
  return out;
}
