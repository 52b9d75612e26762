/** The funders' ledgers: the consistency boundary for money. */
import type { CarryIn, FunderId, InstalmentPayment, Pence } from '../../../domain';
import type {
  AdjustOutcome,
  CarryInOutcome,
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
  /**
   * Close the ledger for its year (docs/design.md §3.1): marks it closedBy the close's request, so
   * commits, raised shares and pot changes are refused from then on. Idempotent for that request;
   * false when there is no ledger.
   */
  closeLedger(fy: string, funder: FunderId, requestId: string): Promise<boolean>;
  /**
   * Carry a closed year's money into this ledger's pot: pot and remaining grow by `pence` in one
   * conditional update, at most once per closed year (the carriedIn marker).
   */
  carryIn(fy: string, funder: FunderId, fromFy: string, carry: CarryIn): Promise<CarryInOutcome>;
  /** Rewrite a ledger's totals from its allocations when they disagree (reconcile). */
  repairLedgerTotals(
    ledger: Ledger,
    totals: Pick<Ledger, 'committedPence' | 'releasedPence' | 'remainingPence'>,
  ): Promise<'repaired' | 'changed'>;
}
