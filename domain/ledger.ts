/**
 * A funder's ledger for one financial year (docs/design.md §3): its pot, the share each bid holds on it,
 * and the rules that tie those entries to the bids. Pure: reconcile and settle read the store,
 * ask here what the entries and bids mean, and carry the answer out.
 *
 * Invariants:
 *   committed = Σ (share − returned) on the ledger   released = Σ shares in state released
 *   (returned: underspend the project gave back, docs/design.md §3.1; released stays what was paid out)
 *   remaining = pot − committed (never below zero)
 *   at rest (no request half-way), a bid holds an entry for a funder exactly when its status
 *   holds a share and that funder's decision is approved or released, at the bid's share
 *   (an approval commits the entry before it writes the bid: reconcile's grace period).
 */
import type { FunderId } from './alliance';
import type { Pence } from './money';
import type { Bid, BidStatus } from './schemas/bid';
import { expectedShare } from './variation';

export type AllocationState = 'committed' | 'released';

/** One instalment's part paid from an entry (docs/design.md §3.1), keyed by the instalment number. */
export interface InstalmentPayment {
  partPence: Pence;
  at: string;
  requestId: string;
}

/** One bid's share on a funder's ledger. */
export interface LedgerAllocation {
  sharePence: Pence;
  state: AllocationState;
  /** Paid out so far by instalment (absent: nothing paid by instalment); never above sharePence. */
  paidPence?: Pence;
  /** Underspend the project gave back from what was paid (docs/design.md §3.1); absent: none. */
  returnedPence?: Pence;
  /** The request that last changed sharePence by a variation. */
  adjustedBy?: string;
  /** The instalments paid, by number ("1", "2", …); Σ partPence = paidPence. */
  payments?: Record<string, InstalmentPayment>;
  /** Who committed it, when, under which request. */
  by: string;
  at: string;
  requestId: string;
}

/** The money of one funder for one financial year: the consistency boundary for approvals. */
export interface Ledger {
  fy: string;
  funder: FunderId;
  potPence: Pence;
  committedPence: Pence;
  releasedPence: Pence;
  /** potPence − committedPence, kept as a field because conditions cannot do arithmetic. */
  remainingPence: Pence;
  allocations: Record<string, LedgerAllocation>;
  /**
   * The request that closed the year (docs/design.md §3.1): a closed ledger takes no new commitment,
   * no raised share and no pot change. Absent while the year is open.
   */
  closedBy?: string;
  /** Money carried into this pot by earlier years' closes, keyed by the closed year ("2026/27"). */
  carriedIn?: Record<string, CarryIn>;
}

/** One carry-in: the pence a closed year's uncommitted money added to this pot, by which close request. */
export interface CarryIn {
  pence: Pence;
  requestId: string;
  at: string;
}

/** Σ the money carried into a ledger's pot. */
export function carriedInPence(ledger: Pick<Ledger, 'carriedIn'> | undefined): Pence {
  return Object.values(ledger?.carriedIn ?? {}).reduce((sum, c) => sum + c.pence, 0);
}

export type LedgerTotals = Pick<Ledger, 'committedPence' | 'releasedPence' | 'remainingPence'>;

// ---- Which statuses hold a share ----------------------------------------------------------

/**
 * Bids that are over without being funded (withdrawn, declined, not recommended): no action
 * starts from them, and a share they held went back to the pot. A bid repeating one of them is
 * a new bid, not a repeat (domain/repeats.ts).
 */
export const CLOSED_STATUSES: ReadonlySet<BidStatus> = new Set<BidStatus>(['withdrawn', 'declined', 'not-recommended']);

/** Bids not yet put to the funders: no funder has decided, so none holds a share yet. */
export const UNDECIDED_STATUSES: ReadonlySet<BidStatus> = new Set<BidStatus>(['draft', 'submitted', 'info-requested']);

/**
 * Statuses whose shares must not stay on a ledger: the closed ones and the undecided ones. The
 * rest (recommended, approved, released) hold the shares their funders approved or released.
 */
export const SHARE_FREE_STATUSES: ReadonlySet<BidStatus> = new Set<BidStatus>([...CLOSED_STATUSES, ...UNDECIDED_STATUSES]);

/** May a bid in this status hold a share on a ledger? */
export function holdsShare(status: BidStatus): boolean {
  return !SHARE_FREE_STATUSES.has(status);
}

/** Should the bid hold an entry on this funder's ledger (its status holds a share, and the funder approved or released it)? */
export function expectsEntry(bid: Pick<Bid, 'status' | 'decisions'>, funder: FunderId): boolean {
  const decision = bid.decisions[funder];
  return holdsShare(bid.status) && (decision === 'approved' || decision === 'released');
}

// ---- Totals --------------------------------------------------------------------------------

/** Committed = every share on the ledger less what was returned, released = shares paid out, remaining = pot − committed. */
export function ledgerTotals(ledger: Pick<Ledger, 'potPence' | 'allocations'>): LedgerTotals {
  let committedPence = 0;
  let releasedPence = 0;
  for (const allocation of Object.values(ledger.allocations)) {
    // Underspend returned is back in the pot: an entry commits its share less what was returned.
    committedPence += allocation.sharePence - (allocation.returnedPence ?? 0);
    if (allocation.state === 'released') releasedPence += allocation.sharePence;
  }
  return { committedPence, releasedPence, remainingPence: ledger.potPence - committedPence };
}

/** How stored totals differ from the totals of the entries. */
export interface TotalsDiff {
  /** The totals the entries give. */
  totals: LedgerTotals;
  /** Σ |stored − from entries| over committed, released and remaining. */
  offPence: Pence;
  /** More is committed than the pot holds: the totals cannot be rewritten to agree. */
  overCommitted: boolean;
  detail: string;
}

/** The stored totals against the entries' totals; undefined when they agree. */
export function ledgerTotalsDiff(ledger: Ledger): TotalsDiff | undefined {
  const totals = ledgerTotals(ledger);
  const offPence =
    Math.abs(totals.committedPence - ledger.committedPence) +
    Math.abs(totals.releasedPence - ledger.releasedPence) +
    Math.abs(totals.remainingPence - ledger.remainingPence);
  if (offPence === 0) return undefined;
  const stored = `${ledger.committedPence}/${ledger.releasedPence}/${ledger.remainingPence}p`;
  const fromEntries = `${totals.committedPence}/${totals.releasedPence}/${totals.remainingPence}p`;
  return {
    totals,
    offPence,
    overCommitted: totals.remainingPence < 0,
    detail: `stored committed/released/remaining ${stored}, entries say ${fromEntries}`,
  };
}

/** Do the stored totals agree with the entries? */
export function ledgerAgreesWithEntries(ledger: Ledger): boolean {
  return ledgerTotalsDiff(ledger) === undefined;
}

// ---- Entries against bids ------------------------------------------------------------------

/** One entry on a ledger: whose ledger, which bid. */
export interface LedgerEntry {
  fy: string;
  funder: FunderId;
  bidId: string;
  allocation: LedgerAllocation;
}

/** Does the entry agree with the bid: same year and share, and the state its decision and status call for? */
export function entryAgreesWithBid(bid: Bid | undefined, entry: Omit<LedgerEntry, 'bidId'>): boolean {
  const { fy, funder, allocation } = entry;
  if (!bid || bid.fy !== fy || expectedShare(bid, funder) !== allocation.sharePence) return false;
  if ((bid.returned?.[funder] ?? 0) !== (allocation.returnedPence ?? 0)) return false;
  const decision = bid.decisions[funder];
  if (allocation.state === 'committed') return decision === 'approved' && (bid.status === 'approved' || bid.status === 'recommended');
  return decision === 'released' && (bid.status === 'approved' || bid.status === 'released');
}

/**
 * What the ledger still owes the bid's state, if anything: a closed or undecided bid's committed
 * share goes back to the pot (uncommit); a released decision marks its committed entry released.
 */
export function owedSettlement(
  bid: Pick<Bid, 'status' | 'decisions'>,
  funder: FunderId,
  allocation: Pick<LedgerAllocation, 'state'>,
): 'uncommit' | 'release' | undefined {
  if (allocation.state !== 'committed') return undefined;
  if (!holdsShare(bid.status)) return 'uncommit';
  if (bid.decisions[funder] === 'released') return 'release';
  return undefined;
}

/** Drift the classifier reports for a person to look at (reconcile cannot repair it). */
export type EntryDriftKind = 'orphan-allocation' | 'share-mismatch' | 'unexpected-allocation' | 'returned-mismatch';

/** What reconcile must do about one ledger entry. */
export type EntryVerdict =
  | { kind: 'nothing' }
  /**
   * Finish what the bid's state already says: give the share back, mark it released, or give
   * back to the pot the underspend the bid records as returned (docs/design.md §3.1).
   */
  | { kind: 'roll-forward'; action: 'uncommit' | 'release' | 'return' }
  /** An approval committed the share but never reached the bid, and its grace period is over. */
  | { kind: 'roll-back' }
  /** An approval still inside its grace period: its request may yet finish. */
  | { kind: 'in-flight' }
  | { kind: 'drift'; drift: EntryDriftKind; detail: string };

export interface EntryFacts extends LedgerEntry {
  /** The bid as read (undefined: no such bid). */
  bid: Bid | undefined;
  /** How long ago the entry was written (now − allocation.at), ms. */
  ageMs: number;
  /** How long an approval may stay half-finished before it is rolled back, ms. */
  graceMs: number;
}

/** Classify one ledger entry against its bid (docs/design.md §3, §7). */
export function classifyEntry(facts: EntryFacts): EntryVerdict {
  const { fy, funder, bidId, allocation, bid } = facts;
  if (!bid || bid.fy !== fy) {
    const detail = `${funder}'s ledger holds ${allocation.sharePence}p for ${bidId}, which is not a bid of ${fy}`;
    return { kind: 'drift', drift: 'orphan-allocation', detail };
  }
  const owed = owedSettlement(bid, funder, allocation);
  if (owed) return { kind: 'roll-forward', action: owed };
  const returned = returnedDrift(bid, funder, allocation);
  if (returned) return returned;
  const decision = bid.decisions[funder];
  if (bid.status === 'recommended' && decision === 'pending' && allocation.state === 'committed') {
    return facts.ageMs < facts.graceMs ? { kind: 'in-flight' } : { kind: 'roll-back' };
  }
  if (expectedShare(bid, funder) !== allocation.sharePence) {
    const detail = `${funder}'s ledger holds ${allocation.sharePence}p for ${bidId} but the bid's share is ${expectedShare(bid, funder) ?? 0}p`;
    return { kind: 'drift', drift: 'share-mismatch', detail };
  }
  if (!entryAgreesWithBid(bid, facts)) {
    const detail = `${funder}'s entry for ${bidId} is ${allocation.state} but the bid is ${bid.status} (${decision ?? 'no decision'})`;
    return { kind: 'drift', drift: 'unexpected-allocation', detail };
  }
  return { kind: 'nothing' };
}

/**
 * A return of underspend half-done (docs/design.md §3.1): the bid is written before the ledger, so
 * a bid recording more returned than its entry is finished (roll forward); an entry holding more
 * than the bid cannot come from the protocol and is drift for a person.
 */
function returnedDrift(bid: Bid, funder: FunderId, allocation: LedgerAllocation): EntryVerdict | undefined {
  const onBid = bid.returned?.[funder] ?? 0;
  const onLedger = allocation.returnedPence ?? 0;
  if (onBid > onLedger) return { kind: 'roll-forward', action: 'return' };
  if (onBid < onLedger) {
    const detail = `${funder}'s entry for ${bid.id} has ${onLedger}p returned but the bid records ${onBid}p`;
    return { kind: 'drift', drift: 'returned-mismatch', detail };
  }
  return undefined;
}

/** An approved or released share the funder's ledger holds no entry for: money the ledger does not know about. */
export interface MissingEntry {
  kind: 'missing-allocation';
  /** The bid's share for the funder. */
  pence: Pence;
  detail: string;
}

/** Is the bid owed an entry on this funder's ledger that is not there? (`allocation`: the ledger's entry for the bid, if any.) */
export function classifyMissingEntry(
  bid: Pick<Bid, 'id' | 'status' | 'decisions' | 'shares' | 'variation'>,
  funder: FunderId,
  allocation: LedgerAllocation | undefined,
): MissingEntry | undefined {
  if (allocation || !expectsEntry(bid, funder)) return undefined;
  const detail = `${funder} ${bid.decisions[funder]} ${bid.id} but its ledger holds no share for it`;
  return { kind: 'missing-allocation', pence: expectedShare(bid, funder) ?? 0, detail };
}

// ---- Payments by instalment (docs/design.md §3.1) -----------------------------------------

/** What reconcile reports about an entry's payments; a person looks at each. */
export type PaymentDriftKind = 'overpaid' | 'paid-total-mismatch' | 'schedule-mismatch' | 'unrecorded-payment' | 'unconfirmed-payment';

export interface PaymentDrift {
  kind: PaymentDriftKind;
  pence: Pence;
  detail: string;
}

/**
 * The payment invariants of one entry against its bid: paid ≤ share; Σ paid instalments = paidPence;
 * the bid's instalment parts for the funder sum to its share; every part the bid calls paid is
 * paid on the ledger at that amount; and a part paid on the ledger that the bid does not call
 * paid is a release that never reached its bid (reported once `settled(at)` says its grace is over).
 */
export function paymentDrift(
  bid: Pick<Bid, 'id' | 'shares' | 'payments' | 'clawbackDue'>,
  funder: FunderId,
  allocation: LedgerAllocation,
  settled: (at: string) => boolean,
): PaymentDrift[] {
  const drift: PaymentDrift[] = [];
  const paidPence = allocation.paidPence ?? 0;
  const payments = allocation.payments ?? {};
  const where = `${funder}'s entry for ${bid.id}`;
  // A variation below what was paid leaves the excess due back (clawbackDue), not drift.
  const allowed = allocation.sharePence + (bid.clawbackDue?.[funder] ?? 0);
  if (paidPence > allowed) {
    drift.push({
      kind: 'overpaid',
      pence: paidPence - allocation.sharePence,
      detail: `${where} has paid ${paidPence}p of a ${allocation.sharePence}p share`,
    });
  }
  const sumPaid = Object.values(payments).reduce((sum, p) => sum + p.partPence, 0);
  if (sumPaid !== paidPence) {
    drift.push({
      kind: 'paid-total-mismatch',
      pence: Math.abs(sumPaid - paidPence),
      detail: `${where} says paid ${paidPence}p but its instalments sum to ${sumPaid}p`,
    });
  }
  const schedule = bid.payments;
  if (!schedule) {
    if (paidPence > 0)
      drift.push({
        kind: 'unconfirmed-payment',
        pence: paidPence,
        detail: `${where} has paid ${paidPence}p but the bid has no payment schedule`,
      });
    return drift;
  }
  // The schedule may be incomplete (after a variation, finance schedules the rest), but it never
  // asks a funder for more than its share, beyond what it has already paid.
  const share = bid.shares[funder] ?? 0;
  const sumParts = schedule.reduce((sum, i) => sum + (i.parts[funder] ?? 0), 0);
  const paidOnBid = schedule.reduce((sum, i) => sum + (i.paid[funder] !== undefined ? (i.parts[funder] ?? 0) : 0), 0);
  if (sumParts > Math.max(share, paidOnBid)) {
    drift.push({
      kind: 'schedule-mismatch',
      pence: sumParts - Math.max(share, paidOnBid),
      detail: `${bid.id}'s instalment parts for ${funder} sum to ${sumParts}p, more than its ${share}p share`,
    });
  }
  schedule.forEach((instalment, index) => {
    const n = String(index + 1);
    const part = instalment.parts[funder] ?? 0;
    const onLedger = payments[n];
    if (instalment.paid[funder] !== undefined && onLedger?.partPence !== part) {
      drift.push({
        kind: 'unrecorded-payment',
        pence: part,
        detail: `${bid.id} says ${funder} paid ${part}p of instalment ${n}; its ledger says ${onLedger?.partPence ?? 0}p`,
      });
    }
    if (instalment.paid[funder] === undefined && onLedger && settled(onLedger.at)) {
      drift.push({
        kind: 'unconfirmed-payment',
        pence: onLedger.partPence,
        detail: `${funder}'s ledger paid ${onLedger.partPence}p of ${bid.id}'s instalment ${n}, which the bid does not record`,
      });
    }
  });
  for (const n of Object.keys(payments)) {
    if (!schedule[Number(n) - 1])
      drift.push({
        kind: 'unconfirmed-payment',
        pence: payments[n]?.partPence ?? 0,
        detail: `${where} paid instalment ${n}, which the schedule does not hold`,
      });
  }
  return drift;
}
