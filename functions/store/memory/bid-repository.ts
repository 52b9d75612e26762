/**
 * Bids and their audit trail in maps, with the DynamoDB adapter's semantics: the list reads bids
 * of a year ordered by last change (the by-FY index), a page stops after `limit` bids evaluated
 * (before the status filter, as a DynamoDB Limit does) and its cursor is the last one evaluated.
 */
import type { AuditEvent, Bid } from '../../../domain';
import { decodeCursor, encodeCursor } from '../cursor';
import { formatBidId, keys } from '../keys';
import type { BidRepository } from '../ports/bid-repository';
import type { BidListQuery, BidPage, BidVersionRef, StoredBid } from '../types';
import { copy, tick } from './values';

interface BidRecord {
  bid: Bid;
  outbox: AuditEvent[];
  lastRequestId: string;
}

/** A bid as the by-FY index holds it. */
interface IndexRow {
  changedKey: string;
  bid: Bid;
}

export class MemoryBidRepository implements BidRepository {
  private counter = 0;
  private readonly bids = new Map<string, BidRecord>();
  /** Audit events by bid id, then version. */
  private readonly audits = new Map<string, Map<number, AuditEvent>>();

  async nextBidId(): Promise<string> {
    await tick();
    return formatBidId(++this.counter);
  }

  async reserveBidIds(count: number): Promise<string[]> {
    if (!Number.isInteger(count) || count < 1) throw new RangeError(`cannot reserve ${count} bid ids`);
    await tick();
    const first = this.counter + 1;
    this.counter += count;
    return Array.from({ length: count }, (_, i) => formatBidId(first + i));
  }

  async readBid(id: string): Promise<StoredBid | undefined> {
    await tick();
    const record = this.bids.get(id);
    if (!record) return undefined;
    const recordedThrough = Math.max(0, ...(this.audits.get(id)?.keys() ?? []));
    return {
      bid: copy(record.bid),
      lastRequestId: record.lastRequestId,
      unrecorded: copy(record.outbox.filter((event) => event.version > recordedThrough)),
    };
  }

  async insertBid(bid: Bid, event: AuditEvent, requestId: string): Promise<'created' | 'exists'> {
    await tick();
    if (this.bids.has(bid.id)) return 'exists';
    this.bids.set(bid.id, { bid: copy(bid), outbox: copy([event]), lastRequestId: requestId });
    return 'created';
  }

  async replaceBid(next: Bid, expectedVersion: number, outbox: AuditEvent[], requestId: string): Promise<'written' | 'conflict'> {
    await tick();
    const current = this.bids.get(next.id);
    if (!current || current.bid.version !== expectedVersion) return 'conflict';
    this.bids.set(next.id, { bid: copy(next), outbox: copy(outbox), lastRequestId: requestId });
    return 'written';
  }

  async recordEvents(events: readonly AuditEvent[]): Promise<void> {
    for (const event of [...events].sort((a, b) => a.version - b.version)) {
      await tick();
      let trail = this.audits.get(event.bidId);
      if (!trail) this.audits.set(event.bidId, (trail = new Map()));
      trail.set(event.version, copy(event));
    }
  }

  async versionsWithoutAudit(refs: readonly BidVersionRef[]): Promise<BidVersionRef[]> {
    if (refs.length === 0) return [];
    await tick();
    return refs.filter((r) => !this.audits.get(r.bidId)?.has(r.version)).map((r) => ({ ...r }));
  }

  async listBids(query: BidListQuery): Promise<BidPage> {
    await tick();
    const fyKey = keys.fyIndexKey(query.fy);
    const start = query.cursor !== undefined ? decodeCursor(query.cursor, fyKey) : undefined;
    const { changedSince } = query;
    const rows = this.indexRows(query.fy).filter(
      (row) => (changedSince === undefined || row.changedKey >= changedSince) && (start === undefined || row.changedKey > start.changedKey),
    );
    const evaluated = rows.slice(0, query.limit);
    const last = evaluated.length >= query.limit ? evaluated[evaluated.length - 1] : undefined;
    const bids = evaluated.filter((row) => query.status === undefined || row.bid.status === query.status).map((row) => copy(row.bid));
    let latestChange: string | undefined;
    for (const bid of bids) if (latestChange === undefined || bid.updatedAt > latestChange) latestChange = bid.updatedAt;
    // A filtered page can be empty yet not the last: the position still moves on.
    if (last) {
      const position = last.changedKey.split('#')[0];
      if (position !== undefined && (latestChange === undefined || position > latestChange)) latestChange = position;
    }
    return {
      bids,
      ...(last ? { nextCursor: encodeCursor({ ...keys.bid(last.bid.id), fyKey, changedKey: last.changedKey }) } : {}),
      ...(latestChange !== undefined ? { latestChange } : {}),
    };
  }

  async bidsOfYear(fy: string): Promise<Bid[]> {
    await tick();
    return this.indexRows(fy).map((row) => copy(row.bid));
  }

  async recommendedSharesOfYear(fy: string): Promise<Pick<Bid, 'status' | 'shares' | 'decisions'>[]> {
    await tick();
    return this.indexRows(fy)
      .filter((row) => row.bid.status === 'recommended')
      .map(({ bid }) => copy({ status: bid.status, shares: bid.shares ?? {}, decisions: bid.decisions ?? {} }));
  }

  async history(bidId: string): Promise<AuditEvent[]> {
    await tick();
    return [...(this.audits.get(bidId)?.values() ?? [])].sort((a, b) => a.version - b.version).map(copy);
  }

  /** The year's bids in index order: by last change, then id. */
  private indexRows(fy: string): IndexRow[] {
    const rows: IndexRow[] = [];
    for (const { bid } of this.bids.values()) {
      if (bid.fy === fy) rows.push({ changedKey: keys.changedIndexKey(bid.updatedAt, bid.id), bid });
    }
    return rows.sort((a, b) => (a.changedKey < b.changedKey ? -1 : a.changedKey > b.changedKey ? 1 : 0));
  }
}
