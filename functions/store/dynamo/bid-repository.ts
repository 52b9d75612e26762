/** Bids and their audit items in the single table; the list and delta feed read the by-FY index. */
import { PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditEvent, Bid } from '../../../domain';
import { decodeCursor, encodeCursor } from '../cursor';
import { formatBidId, keys } from '../keys';
import type { BidRepository } from '../ports/bid-repository';
import { itemKeyString, type Item, type TableAccess } from '../table-access';
import { BIDS_BY_FY_INDEX } from '../table-schema';
import type { BidListQuery, BidPage, BidVersionRef, StoredBid } from '../types';
import { strip, toBid } from './items';

export class DynamoBidRepository implements BidRepository {
  constructor(private readonly table: TableAccess) {}

  async nextBidId(): Promise<string> {
    const [id] = await this.reserveBidIds(1);
    return id as string;
  }

  async reserveBidIds(count: number): Promise<string[]> {
    if (!Number.isInteger(count) || count < 1) throw new RangeError(`cannot reserve ${count} bid ids`);
    const out = await this.table.send(
      new UpdateCommand({
        TableName: this.table.tableName,
        Key: keys.bidCounter,
        UpdateExpression: 'ADD #n :count',
        ExpressionAttributeNames: { '#n': 'n' },
        ExpressionAttributeValues: { ':count': count },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    const last = Number(out.Attributes?.n);
    return Array.from({ length: count }, (_, i) => formatBidId(last - count + 1 + i));
  }

  async readBid(id: string): Promise<StoredBid | undefined> {
    // The bid item (sk "BID") sorts after its audit items ("AUDIT#…"): one descending query of
    // two items returns the bid and its latest recorded audit event.
    const out = await this.table.send(
      new QueryCommand({
        TableName: this.table.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.bid(id).pk },
        ScanIndexForward: false,
        Limit: 2,
        ConsistentRead: true,
      }),
    );
    const [item, latestAudit] = out.Items ?? [];
    if (!item || item.sk !== 'BID') return undefined;
    const recordedThrough = latestAudit ? Number(latestAudit.version) : 0;
    const outbox = (item.outbox as AuditEvent[] | undefined) ?? [];
    return {
      bid: toBid(item),
      lastRequestId: String(item.lastRequestId ?? ''),
      unrecorded: outbox.filter((event) => event.version > recordedThrough),
    };
  }

  private bidItem(bid: Bid, outbox: readonly AuditEvent[], requestId: string): Item {
    return {
      ...bid,
      ...keys.bid(bid.id),
      kind: 'bid',
      fyKey: keys.fyIndexKey(bid.fy),
      changedKey: keys.changedIndexKey(bid.updatedAt, bid.id),
      outbox,
      lastRequestId: requestId,
    };
  }

  async insertBid(bid: Bid, event: AuditEvent, requestId: string): Promise<'created' | 'exists'> {
    const written = await this.table.conditional(
      new PutCommand({
        TableName: this.table.tableName,
        Item: this.bidItem(bid, [event], requestId),
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return written ? 'created' : 'exists';
  }

  async replaceBid(next: Bid, expectedVersion: number, outbox: AuditEvent[], requestId: string): Promise<'written' | 'conflict'> {
    const written = await this.table.conditional(
      new PutCommand({
        TableName: this.table.tableName,
        Item: this.bidItem(next, outbox, requestId),
        ConditionExpression: 'attribute_exists(pk) AND #version = :expected',
        ExpressionAttributeNames: { '#version': 'version' },
        ExpressionAttributeValues: { ':expected': expectedVersion },
      }),
    );
    return written ? 'written' : 'conflict';
  }

  async recordEvents(events: readonly AuditEvent[]): Promise<void> {
    // In version order, so "the latest audit item exists" implies every earlier one does.
    for (const event of [...events].sort((a, b) => a.version - b.version)) {
      await this.table.send(
        new PutCommand({ TableName: this.table.tableName, Item: { ...event, ...keys.audit(event.bidId, event.version), kind: 'audit' } }),
      );
    }
  }

  async versionsWithoutAudit(refs: readonly BidVersionRef[]): Promise<BidVersionRef[]> {
    if (refs.length === 0) return [];
    const found = await this.table.existingKeys(refs.map((r) => keys.audit(r.bidId, r.version)));
    return refs.filter((r) => !found.has(itemKeyString(keys.audit(r.bidId, r.version))));
  }

  async listBids(query: BidListQuery): Promise<BidPage> {
    const fyKey = keys.fyIndexKey(query.fy);
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = { ':fy': fyKey };
    let keyCondition = 'fyKey = :fy';
    if (query.changedSince !== undefined) {
      keyCondition += ' AND changedKey >= :since';
      values[':since'] = query.changedSince;
    }
    let filter: string | undefined;
    if (query.status !== undefined) {
      filter = '#status = :status';
      names['#status'] = 'status';
      values[':status'] = query.status;
    }
    const out = await this.table.send(
      new QueryCommand({
        TableName: this.table.tableName,
        IndexName: BIDS_BY_FY_INDEX,
        KeyConditionExpression: keyCondition,
        FilterExpression: filter,
        ExpressionAttributeNames: Object.keys(names).length > 0 ? names : undefined,
        ExpressionAttributeValues: values,
        Limit: query.limit,
        ExclusiveStartKey: query.cursor !== undefined ? decodeCursor(query.cursor, fyKey) : undefined,
      }),
    );
    const items = out.Items ?? [];
    const bids = items.map(toBid);
    let latestChange: string | undefined;
    for (const bid of bids) if (latestChange === undefined || bid.updatedAt > latestChange) latestChange = bid.updatedAt;
    // A filtered page can be empty yet not the last: the position still moves on.
    if (out.LastEvaluatedKey && typeof out.LastEvaluatedKey.changedKey === 'string') {
      const position = out.LastEvaluatedKey.changedKey.split('#')[0];
      if (position !== undefined && (latestChange === undefined || position > latestChange)) latestChange = position;
    }
    return {
      bids,
      ...(out.LastEvaluatedKey ? { nextCursor: encodeCursor(out.LastEvaluatedKey) } : {}),
      ...(latestChange !== undefined ? { latestChange } : {}),
    };
  }

  async bidsOfYear(fy: string): Promise<Bid[]> {
    const items = await this.table.queryAll({
      IndexName: BIDS_BY_FY_INDEX,
      KeyConditionExpression: 'fyKey = :fy',
      ExpressionAttributeValues: { ':fy': keys.fyIndexKey(fy) },
    });
    return items.map(toBid);
  }

  async recommendedSharesOfYear(fy: string): Promise<Pick<Bid, 'status' | 'shares' | 'decisions'>[]> {
    // Filtered and projected by the store: at 10,000 bids the budget summary moved ~1 MB of whole
    // bids per page through the client to sum a few hundred shares.
    const items = await this.table.queryAll({
      IndexName: BIDS_BY_FY_INDEX,
      KeyConditionExpression: 'fyKey = :fy',
      FilterExpression: '#status = :recommended',
      ProjectionExpression: '#status, shares, decisions',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':fy': keys.fyIndexKey(fy), ':recommended': 'recommended' },
    });
    return items.map((item) => ({
      status: item.status as Bid['status'],
      shares: (item.shares ?? {}) as Bid['shares'],
      decisions: (item.decisions ?? {}) as Bid['decisions'],
    }));
  }

  async history(bidId: string): Promise<AuditEvent[]> {
    const items = await this.table.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :audit)',
      ExpressionAttributeValues: { ':pk': keys.bid(bidId).pk, ':audit': keys.auditPrefix },
      ConsistentRead: true,
    });
    return items.map((item) => strip(item, ['pk', 'sk', 'kind']) as AuditEvent);
  }
}
