/**
 * The store port: what the use-cases need from storage. The DynamoDB adapter implements it;
 * nothing outside functions/store/ knows about tables, keys or expressions.
 */
import type { AuditEvent, Bid, BidStatus, BudgetEvent, CostShare, FunderId, Pence } from '../../domain';
import type { Ledger, LedgerAllocation } from '../../domain/ledger';

/** A bid as stored, with the protocol fields the use-cases need. */
export interface StoredBid {
  bid: Bid;
  /** The request that wrote this version (roll-forward on a retry recognises its own write). */
  lastRequestId: string;
  /** Audit events written with the bid but not yet seen in the audit trail (a transactional outbox). */
  unrecorded: AuditEvent[];
}

export type { AllocationState, Ledger, LedgerAllocation } from '../../domain/ledger';

export interface BudgetRecord {
  fy: string;
  fundPence: Pence;
  costShare: CostShare;
}

export type CommitOutcome =
  | { kind: 'committed' }
  /** This bid already holds a share on the ledger (by this request, or another). */
  | { kind: 'exists'; allocation: LedgerAllocation }
  | { kind: 'over-budget'; remainingPence: Pence; potPence: Pence }
  | { kind: 'no-ledger' };

export type UncommitOutcome = { kind: 'uncommitted'; sharePence: Pence } | { kind: 'absent' };
export type ReleaseOutcome = { kind: 'released' } | { kind: 'already-released' } | { kind: 'absent' };
export type SetPotOutcome = { kind: 'set' } | { kind: 'below-committed'; committedPence: Pence } | { kind: 'changed' };

export interface BidListQuery {
  fy: string;
  status?: BidStatus;
  /** Only bids changed at or after this moment (ISO), from a sync token. */
  changedSince?: string;
  /** Opaque position from a previous page. */
  cursor?: string;
  limit: number;
}

/** One version of one bid. */
export interface BidVersionRef {
  bidId: string;
  version: number;
}

export interface BidPage {
  bids: Bid[];
  nextCursor?: string;
  /** The latest change seen (ISO), for the next sync token. */
  latestChange?: string;
}

export type IdempotencyClaim =
  | { kind: 'new' }
  | { kind: 'done'; response: StoredResponse }
  /** Claimed before but never finished: roll forward under the first request id. */
  | { kind: 'unfinished'; requestId: string; bidId?: string }
  | { kind: 'mismatch' };

export interface StoredResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface FundStore {
  nextBidId(): Promise<string>;
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

  /** Financial years holding a budget or any bid. */
  years(): Promise<string[]>;
  /** Note that a financial year holds data (idempotent), so reconcile and export visit it. */
  registerYear(fy: string): Promise<void>;
  getBudget(fy: string): Promise<BudgetRecord | undefined>;
  putBudget(budget: BudgetRecord): Promise<void>;
  /** Append a budget change to the year's budget history (idempotent per request id). */
  recordBudgetEvent(event: BudgetEvent): Promise<void>;
  budgetHistory(fy: string): Promise<BudgetEvent[]>;
  getLedgers(fy: string): Promise<Ledger[]>;
  /** Create a ledger with an empty allocation map where none exists. */
  createLedger(fy: string, funder: FunderId, potPence: Pence): Promise<'created' | 'exists'>;
  setPot(fy: string, funder: FunderId, fromPence: Pence, toPence: Pence): Promise<SetPotOutcome>;

  commitShare(fy: string, funder: FunderId, bidId: string, allocation: LedgerAllocation): Promise<CommitOutcome>;
  /** Give a share back; with requestId, only the share that request committed. */
  uncommitShare(fy: string, funder: FunderId, bidId: string, onlyRequestId?: string): Promise<UncommitOutcome>;
  releaseShare(fy: string, funder: FunderId, bidId: string): Promise<ReleaseOutcome>;
  /**
   * Hand a committed share from one request id to another (reconcile takes ownership of a
   * half-finished approval before rolling it back, so the stale request can no longer act on it).
   */
  takeAllocation(fy: string, funder: FunderId, bidId: string, fromRequestId: string, toRequestId: string): Promise<boolean>;
  /** Rewrite a ledger's totals from its allocations when they disagree (reconcile). */
  repairLedgerTotals(
    ledger: Ledger,
    totals: Pick<Ledger, 'committedPence' | 'releasedPence' | 'remainingPence'>,
  ): Promise<'repaired' | 'changed'>;

  claimIdempotency(scope: string, key: string, fingerprint: string, requestId: string): Promise<IdempotencyClaim>;
  noteIdempotentBid(scope: string, key: string, bidId: string): Promise<void>;
  completeIdempotency(scope: string, key: string, response: StoredResponse): Promise<void>;
}
