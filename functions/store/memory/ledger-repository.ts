/**
 * The funders' ledgers in a map, with the DynamoDB adapter's outcomes. Each call checks and
 * writes in one synchronous step after its yield, as a conditional UpdateItem is atomic on one
 * item: concurrent commits never overspend or commit a bid twice.
 */
import type { CarryIn, FunderId, InstalmentPayment, Pence } from '../../../domain';
import { keys } from '../keys';
import type { LedgerRepository } from '../ports/ledger-repository';
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
import { copy, tick } from './values';

const ledgerKey = (fy: string, funder: string): string => {
  const key = keys.ledger(fy, funder);
  return `${key.pk}\u0000${key.sk}`;
};

export class MemoryLedgerRepository implements LedgerRepository {
  private readonly ledgers = new Map<string, Ledger>();

  async getLedgers(fy: string): Promise<Ledger[]> {
    await tick();
    return [...this.ledgers.values()]
      .filter((ledger) => ledger.fy === fy)
      .sort((a, b) => (a.funder < b.funder ? -1 : a.funder > b.funder ? 1 : 0))
      .map(copy);
  }

  async createLedger(fy: string, funder: FunderId, potPence: Pence): Promise<'created' | 'exists'> {
    await tick();
    const key = ledgerKey(fy, funder);
    if (this.ledgers.has(key)) return 'exists';
    this.ledgers.set(key, { fy, funder, potPence, committedPence: 0, releasedPence: 0, remainingPence: potPence, allocations: {} });
    return 'created';
  }

  async setPot(fy: string, funder: FunderId, fromPence: Pence, toPence: Pence): Promise<SetPotOutcome> {
    await tick();
    const ledger = this.ledgers.get(ledgerKey(fy, funder));
    if (ledger?.closedBy !== undefined) return { kind: 'closed' };
    if (!ledger || ledger.potPence !== fromPence) return { kind: 'changed' };
    // remainingPence ≥ from − to  ⇔  the new pot still covers what is committed.
    if (ledger.remainingPence < fromPence - toPence) return { kind: 'below-committed', committedPence: ledger.committedPence };
    ledger.potPence = toPence;
    ledger.remainingPence += toPence - fromPence;
    return { kind: 'set' };
  }

  async commitShare(fy: string, funder: FunderId, bidId: string, allocation: LedgerAllocation): Promise<CommitOutcome> {
    await tick();
    const ledger = this.ledgers.get(ledgerKey(fy, funder));
    if (!ledger) return { kind: 'no-ledger' };
    const held = ledger.allocations[bidId];
    if (held) return { kind: 'exists', allocation: copy(held) };
    if (ledger.closedBy !== undefined) return { kind: 'closed' };
    if (ledger.remainingPence < allocation.sharePence) {
      return { kind: 'over-budget', remainingPence: ledger.remainingPence, potPence: ledger.potPence };
    }
    ledger.remainingPence -= allocation.sharePence;
    ledger.committedPence += allocation.sharePence;
    ledger.allocations[bidId] = copy(allocation);
    return { kind: 'committed' };
  }

  async uncommitShare(fy: string, funder: FunderId, bidId: string, onlyRequestId?: string): Promise<UncommitOutcome> {
    await tick();
    const ledger = this.ledgers.get(ledgerKey(fy, funder));
    const allocation = ledger?.allocations[bidId];
    if (!ledger || !allocation || allocation.state !== 'committed') return { kind: 'absent' };
    if (onlyRequestId !== undefined && allocation.requestId !== onlyRequestId) return { kind: 'absent' };
    delete ledger.allocations[bidId];
    ledger.remainingPence += allocation.sharePence;
    ledger.committedPence -= allocation.sharePence;
    return { kind: 'uncommitted', sharePence: allocation.sharePence };
  }

  async releaseShare(fy: string, funder: FunderId, bidId: string): Promise<ReleaseOutcome> {
    await tick();
    const ledger = this.ledgers.get(ledgerKey(fy, funder));
    const allocation = ledger?.allocations[bidId];
    if (!ledger || !allocation) return { kind: 'absent' };
    if (allocation.state === 'released') return { kind: 'already-released' };
    allocation.state = 'released';
    ledger.releasedPence += allocation.sharePence;
    return { kind: 'released' };
  }

  async payInstalment(fy: string, funder: FunderId, bidId: string, instalment: number, payment: InstalmentPayment): Promise<PayOutcome> {
    await tick();
    const allocation = this.ledgers.get(ledgerKey(fy, funder))?.allocations[bidId];
    if (!allocation || allocation.state !== 'committed') return { kind: 'absent' };
    const held = allocation.payments?.[String(instalment)];
    if (held) return { kind: 'already-paid', requestId: held.requestId, partPence: held.partPence };
    const paidPence = allocation.paidPence ?? 0;
    // docs/design.md §3.1: paidPence + part ≤ sharePence, checked and written in one step.
    if (paidPence + payment.partPence > allocation.sharePence) return { kind: 'over-share', paidPence, sharePence: allocation.sharePence };
    allocation.paidPence = paidPence + payment.partPence;
    allocation.payments = { ...allocation.payments, [String(instalment)]: copy(payment) };
    return { kind: 'paid' };
  }

  async adjustShare(
    fy: string,
    funder: FunderId,
    bidId: string,
    fromPence: Pence,
    toPence: Pence,
    requestId: string,
  ): Promise<AdjustOutcome> {
    await tick();
    const ledger = this.ledgers.get(ledgerKey(fy, funder));
    const allocation = ledger?.allocations[bidId];
    if (!ledger || !allocation || allocation.state !== 'committed') return { kind: 'absent' };
    if (allocation.sharePence === toPence && fromPence !== toPence) return { kind: 'already-adjusted', requestId: allocation.adjustedBy };
    if (allocation.sharePence !== fromPence) return { kind: 'absent' };
    const delta = toPence - fromPence;
    if (delta > 0 && ledger.closedBy !== undefined) return { kind: 'closed' };
    if (ledger.remainingPence < delta) return { kind: 'over-budget', remainingPence: ledger.remainingPence, potPence: ledger.potPence };
    allocation.sharePence = toPence;
    allocation.adjustedBy = requestId;
    ledger.remainingPence -= delta;
    ledger.committedPence += delta;
    return { kind: 'adjusted' };
  }

  async returnUnderspend(fy: string, funder: FunderId, bidId: string, fromPence: Pence, toPence: Pence): Promise<ReturnOutcome> {
    await tick();
    const ledger = this.ledgers.get(ledgerKey(fy, funder));
    const allocation = ledger?.allocations[bidId];
    if (!ledger || !allocation) return { kind: 'absent' };
    const returnedPence = allocation.returnedPence ?? 0;
    if (returnedPence >= toPence) return { kind: 'already-returned', returnedPence };
    if (returnedPence !== fromPence || toPence > allocation.sharePence) return { kind: 'absent' };
    allocation.returnedPence = toPence;
    ledger.committedPence -= toPence - fromPence;
    ledger.remainingPence += toPence - fromPence;
    return { kind: 'returned' };
  }

  async unpayInstalment(fy: string, funder: FunderId, bidId: string, instalment: number, requestId: string): Promise<boolean> {
    await tick();
    const allocation = this.ledgers.get(ledgerKey(fy, funder))?.allocations[bidId];
    const held = allocation?.payments?.[String(instalment)];
    if (!allocation || !held || held.requestId !== requestId || allocation.state !== 'committed') return false;
    const { [String(instalment)]: _undone, ...rest } = allocation.payments ?? {};
    allocation.payments = rest;
    allocation.paidPence = (allocation.paidPence ?? 0) - held.partPence;
    return true;
  }

  async takeAllocation(fy: string, funder: FunderId, bidId: string, fromRequestId: string, toRequestId: string): Promise<boolean> {
    await tick();
    const allocation = this.ledgers.get(ledgerKey(fy, funder))?.allocations[bidId];
    if (!allocation || allocation.requestId !== fromRequestId || allocation.state !== 'committed') return false;
    allocation.requestId = toRequestId;
    return true;
  }

  async closeLedger(fy: string, funder: FunderId, requestId: string): Promise<boolean> {
    await tick();
    const ledger = this.ledgers.get(ledgerKey(fy, funder));
    if (!ledger || (ledger.closedBy !== undefined && ledger.closedBy !== requestId)) return false;
    ledger.closedBy = requestId;
    return true;
  }

  async carryIn(fy: string, funder: FunderId, fromFy: string, carry: CarryIn): Promise<CarryInOutcome> {
    await tick();
    const ledger = this.ledgers.get(ledgerKey(fy, funder));
    if (!ledger) return 'no-ledger';
    if (ledger.carriedIn?.[fromFy]) return 'already-carried';
    ledger.carriedIn = { ...ledger.carriedIn, [fromFy]: copy(carry) };
    ledger.potPence += carry.pence;
    ledger.remainingPence += carry.pence;
    return 'carried';
  }

  async repairLedgerTotals(
    ledger: Ledger,
    totals: Pick<Ledger, 'committedPence' | 'releasedPence' | 'remainingPence'>,
  ): Promise<'repaired' | 'changed'> {
    await tick();
    const stored = this.ledgers.get(ledgerKey(ledger.fy, ledger.funder));
    if (
      !stored ||
      stored.potPence !== ledger.potPence ||
      stored.committedPence !== ledger.committedPence ||
      stored.releasedPence !== ledger.releasedPence ||
      stored.remainingPence !== ledger.remainingPence
    ) {
      return 'changed';
    }
    stored.committedPence = totals.committedPence;
    stored.releasedPence = totals.releasedPence;
    stored.remainingPence = totals.remainingPence;
    return 'repaired';
  }
}
