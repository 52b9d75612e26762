/** The funders' ledgers: the consistency boundary for money. */
import type { FunderId, InstalmentPayment, Pence } from '../../../domain';
import type {
  AdjustOutcome,
  CommitOutcome,
  Ledger,
  LedgerAllocation,
  PayOutcome,
  ReleaseOutcome,
  ReturnOutcome,
  SetPotOutcome,
  UncommitOutcome,
} from '../types';

export interface LedgerRepository {
  getLedgers(fy: string): Promise<Ledger[]>;
  /** Create a ledger with an empty allocation map where none exists. */
  createLedger(fy: string, funder: FunderId, potPence: Pence): Promise<'created' | 'exists'>;
  setPot(fy: string, funder: FunderId, fromPence: Pence, toPence: Pence): Promise<SetPotOutcome>;
  commitShare(fy: string, funder: FunderId, bidId: string, allocation: LedgerAllocation): Promise<CommitOutcome>;
  /** Give a share back; with requestId, only the share that request committed. */
  uncommitShare(fy: string, funder: FunderId, bidId: string, onlyRequestId?: string): Promise<UncommitOutcome>;
  releaseShare(fy: string, funder: FunderId, bidId: string): Promise<ReleaseOutcome>;
  /**
   * Pay one instalment's part of a committed share (docs/design.md §3.1): one conditional update,
   * paidPence + part ≤ sharePence, each instalment at most once.
   */
  payInstalment(fy: string, funder: FunderId, bidId: string, instalment: number, payment: InstalmentPayment): Promise<PayOutcome>;
  /**
   * Change a committed share from `fromPence` to `toPence` (a variation, docs/design.md §3.1): one
   * conditional update; an increase must fit in what remains of the pot.
   */
  adjustShare(fy: string, funder: FunderId, bidId: string, fromPence: Pence, toPence: Pence, requestId: string): Promise<AdjustOutcome>;
  /**
   * Record underspend given back from a bid's entry (docs/design.md §3.1): one conditional update,
   * returnedPence from `fromPence` to `toPence` (≤ sharePence), the difference back to remaining
   * and off committed. Returns only grow, so a retry or a stale request finds 'already-returned'.
   */
  returnUnderspend(fy: string, funder: FunderId, bidId: string, fromPence: Pence, toPence: Pence): Promise<ReturnOutcome>;
  /** Undo an instalment's payment, only the one that request made (a lost race rolls it back). */
  unpayInstalment(fy: string, funder: FunderId, bidId: string, instalment: number, requestId: string): Promise<boolean>;
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
}
