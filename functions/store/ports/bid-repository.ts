/** Bids and their audit trail: the bid half of the store port. */
import type { AuditEvent, Bid } from '../../../domain';
import type { BidListQuery, BidPage, BidVersionRef, StoredBid } from '../types';

export interface BidRepository {
  nextBidId(): Promise<string>;
  /** `count` consecutive new bid ids in one call (ingest draws a file's ids from a block; unused ones stay unused). */
  reserveBidIds(count: number): Promise<string[]>;
  readBid(id: string): Promise<StoredBid | undefined>;
  /** Write a new bid; 'exists' when the id is taken. */
  insertBid(bid: Bid, event: AuditEvent, requestId: string): Promise<'created' | 'exists'>;
  /** Replace a bid at expectedVersion with its next version; 'conflict' when it moved on. */
  replaceBid(next: Bid, expectedVersion: number, outbox: AuditEvent[], requestId: string): Promise<'written' | 'conflict'>;
  /** Write audit events (idempotent: an event is keyed by bid and version). */
  recordEvents(events: readonly AuditEvent[]): Promise<void>;
  /**
   * Of these bid versions, the ones whose audit event is not in the audit trail yet (consistent
   * reads of the audit keys, a hundred a call). Every bid write carries the event of its new
   * version and events are recorded in version order, so a version found here means that bid's
   * outbox is fully recorded; one not found needs readBid to see what is missing.
   */
  versionsWithoutAudit(refs: readonly BidVersionRef[]): Promise<BidVersionRef[]>;
  listBids(query: BidListQuery): Promise<BidPage>;
  /** Every bid of a financial year, for reconcile and export. */
  bidsOfYear(fy: string): Promise<Bid[]>;
  /**
   * The shares and decisions of the year's bids that await a decision (status recommended): all
   * the budget summary needs for "pending", without reading whole bids.
   */
  recommendedSharesOfYear(fy: string): Promise<Pick<Bid, 'status' | 'shares' | 'decisions'>[]>;
  history(bidId: string): Promise<AuditEvent[]>;
}
