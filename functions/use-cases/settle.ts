/**
 * Finishing the ledger side of a bid's state: shares of declined or withdrawn bids go back to
 * the pot, released decisions mark the allocation released. Runs after the bid write, on a
 * roll-forward retry, and in reconcile — so a crash between the bid write and the ledger
 * write is always finished, never left.
 */
import { expectedShare, holdsShare, owedSettlement, type Bid, type FunderId, type Pence } from '../../domain';
import type { Ledger, LedgerRepository } from '../store/types';

export interface SettleAction {
  /**
   * adjust: lower a share a variation lowered (docs/design.md §3.1), before any release; return:
   * give back to the pot underspend the bid records as returned (fromPence → toPence returned).
   */
  kind: 'uncommit' | 'release' | 'adjust' | 'return';
  funder: FunderId;
  bidId: string;
  fromPence?: Pence;
  toPence?: Pence;
}

/** What the ledgers still owe the bid's state (pure, given the ledgers; the rule is domain/ledger.ts owedSettlement). */
export function settleActions(bid: Bid, ledgers: readonly Ledger[]): SettleAction[] {
  const actions: SettleAction[] = [];
  for (const ledger of ledgers) {
    if (ledger.fy !== bid.fy) continue;
    const allocation = ledger.allocations[bid.id];
    if (!allocation) continue;
    const expected = expectedShare(bid, ledger.funder);
    if (allocation.state === 'committed' && holdsShare(bid.status) && expected !== undefined && allocation.sharePence > expected) {
      actions.push({ kind: 'adjust', funder: ledger.funder, bidId: bid.id, fromPence: allocation.sharePence, toPence: expected });
    }
    // Returns only grow: a bid (even one read stale) never lowers what the entry holds returned.
    const returned = bid.returned?.[ledger.funder] ?? 0;
    if (returned > (allocation.returnedPence ?? 0)) {
      actions.push({ kind: 'return', funder: ledger.funder, bidId: bid.id, fromPence: allocation.returnedPence ?? 0, toPence: returned });
    }
    const kind = owedSettlement(bid, ledger.funder, allocation);
    if (kind) actions.push({ kind, funder: ledger.funder, bidId: bid.id });
  }
  return actions;
}

export async function applySettleActions(store: LedgerRepository, fy: string, actions: readonly SettleAction[]): Promise<void> {
  for (const action of actions) {
    if (action.kind === 'uncommit') await store.uncommitShare(fy, action.funder, action.bidId);
    else if (action.kind === 'return')
      await store.returnUnderspend(fy, action.funder, action.bidId, action.fromPence ?? 0, action.toPence ?? 0);
    else if (action.kind === 'adjust')
      await store.adjustShare(fy, action.funder, action.bidId, action.fromPence ?? 0, action.toPence ?? 0, 'settle');
    else await store.releaseShare(fy, action.funder, action.bidId);
  }
}

/** Read the year's ledgers and finish whatever the bid's state still owes them. */
export async function settleBid(store: LedgerRepository, bid: Bid): Promise<void> {
  const ledgers = await store.getLedgers(bid.fy);
  await applySettleActions(store, bid.fy, settleActions(bid, ledgers));
}
