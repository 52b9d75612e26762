/**
 * Finishing the ledger side of a bid's state: shares of declined or withdrawn bids go back to
 * the pot, released decisions mark the allocation released. Runs after the bid write, on a
 * roll-forward retry, and in reconcile — so a crash between the bid write and the ledger
 * write is always finished, never left.
 */
import { FUNDER_IDS, type Bid } from '../../domain';
import type { Ledger, LedgerRepository } from '../store/types';

/** Statuses whose shares must not stay on a ledger. */
export const SHARE_FREE_STATUSES: ReadonlySet<Bid['status']> = new Set([
  'declined',
  'withdrawn',
  'not-recommended',
  'draft',
  'submitted',
  'info-requested',
]);

export interface SettleAction {
  kind: 'uncommit' | 'release';
  funder: (typeof FUNDER_IDS)[number];
  bidId: string;
}

/** What the ledgers still owe the bid's state (pure, given the ledgers). */
export function settleActions(bid: Bid, ledgers: readonly Ledger[]): SettleAction[] {
  const actions: SettleAction[] = [];
  for (const ledger of ledgers) {
    if (ledger.fy !== bid.fy) continue;
    const allocation = ledger.allocations[bid.id];
    if (!allocation) continue;
    if (SHARE_FREE_STATUSES.has(bid.status) && allocation.state === 'committed') {
      actions.push({ kind: 'uncommit', funder: ledger.funder, bidId: bid.id });
    } else if (bid.decisions[ledger.funder] === 'released' && allocation.state === 'committed') {
      actions.push({ kind: 'release', funder: ledger.funder, bidId: bid.id });
    }
  }
  return actions;
}

export async function applySettleActions(store: LedgerRepository, fy: string, actions: readonly SettleAction[]): Promise<void> {
  for (const action of actions) {
    if (action.kind === 'uncommit') await store.uncommitShare(fy, action.funder, action.bidId);
    else await store.releaseShare(fy, action.funder, action.bidId);
  }
}

/** Read the year's ledgers and finish whatever the bid's state still owes them. */
export async function settleBid(store: LedgerRepository, bid: Bid): Promise<void> {
  const ledgers = await store.getLedgers(bid.fy);
  await applySettleActions(store, bid.fy, settleActions(bid, ledgers));
}
