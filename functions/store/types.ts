/**
 * The store port: what the use-cases need from storage. The DynamoDB adapter implements it;
 * nothing outside functions/store/ knows about tables, keys or expressions.
 */
import type { AuditEvent, Bid, BidStatus, CostShare, Pence } from '../../domain';
import type { LedgerAllocation } from '../../domain/ledger';
import type { BidRepository } from './ports/bid-repository';
import type { BudgetRepository } from './ports/budget-repository';
import type { DeclarationRepository } from './ports/declaration-repository';
import type { IdempotencyRepository } from './ports/idempotency-repository';
import type { LedgerRepository } from './ports/ledger-repository';
import type { ReturnRepository } from './ports/return-repository';

export type { BidRepository, BudgetRepository, DeclarationRepository, IdempotencyRepository, LedgerRepository, ReturnRepository };

/** A bid as stored, with the protocol fields the use-cases need. */
export interface StoredBid {
  bid: Bid;
  /** The request that wrote this version (roll-forward on a retry recognises its own write). */
  lastRequestId: string;
  /** Audit events written with the bid but not yet seen in the audit trail (a transactional outbox). */
  unrecorded: AuditEvent[];
}

export type { AllocationState, CarryIn, Ledger, LedgerAllocation } from '../../domain/ledger';

export interface BudgetRecord {
  fy: string;
  fundPence: Pence;
  costShare: CostShare;
  /** Days after a quarter's end a return falls due (docs/design.md §1.4); absent: DEFAULT_RETURN_DUE_DAYS. */
  returnDueDays?: number;
}

export type CommitOutcome =
  | { kind: 'committed' }
  /** This bid already holds a share on the ledger (by this request, or another). */
  | { kind: 'exists'; allocation: LedgerAllocation }
  | { kind: 'over-budget'; remainingPence: Pence; potPence: Pence }
  | { kind: 'no-ledger' }
  /** The year is closed (docs/design.md §3.1): the ledger takes no new commitment. */
  | { kind: 'closed' };

export type UncommitOutcome = { kind: 'uncommitted'; sharePence: Pence } | { kind: 'absent' };
/** A return of underspend to the pot (docs/design.md §3.1). */
export type ReturnOutcome =
  | { kind: 'returned' }
  /** The entry already holds this much returned, or more (a retry, or a later return, landed first). */
  | { kind: 'already-returned'; returnedPence: Pence }
  /** No entry, or it holds another returned amount than `fromPence`, or the share is below `toPence`. */
  | { kind: 'absent' };
export type ReleaseOutcome = { kind: 'released' } | { kind: 'already-released' } | { kind: 'absent' };
export type PayOutcome =
  | { kind: 'paid' }
  /** This instalment's part is already paid, by the request named, at the amount named. */
  | { kind: 'already-paid'; requestId: string; partPence: Pence }
  /** Paying the part would take paidPence above the share. */
  | { kind: 'over-share'; paidPence: Pence; sharePence: Pence }
  /** No committed entry for the bid on this ledger. */
  | { kind: 'absent' };
export type AdjustOutcome =
  | { kind: 'adjusted' }
  /** The entry already holds the new share, changed by the request named. */
  | { kind: 'already-adjusted'; requestId: string | undefined }
  | { kind: 'over-budget'; remainingPence: Pence; potPence: Pence }
  /** An increase on a closed year's ledger. */
  | { kind: 'closed' }
  /** No committed entry holding the expected share. */
  | { kind: 'absent' };
export type SetPotOutcome =
  | { kind: 'set' }
  | { kind: 'below-committed'; committedPence: Pence }
  | { kind: 'changed' }
  /** The year is closed: its pots are final. */
  | { kind: 'closed' };
export type CarryInOutcome = 'carried' | 'already-carried' | 'no-ledger';

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
  /** Another request holds the claim and its lease has not lapsed: wait, or answer "in progress". */
  | { kind: 'in-progress' }
  /** Taken over from a holder that failed or whose lease lapsed: roll forward under the first request id. */
  | { kind: 'unfinished'; requestId: string; bidId?: string }
  | { kind: 'mismatch' };

export interface StoredResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** The whole store port, as the use-cases receive it: the repositories together. */
export interface FundStore
  extends BidRepository, LedgerRepository, BudgetRepository, DeclarationRepository, ReturnRepository, IdempotencyRepository {}
