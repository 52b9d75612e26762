/** Items as stored and the values they hold: the attributes that exist for the table are dropped. */
import type { Bid, FunderId } from '../../../domain';
import type { Item } from '../table-access';
import type { CarryIn, Ledger, LedgerAllocation } from '../types';

/** Attributes that exist for the table, not for the bid. */
const BID_INTERNAL = new Set(['pk', 'sk', 'fyKey', 'changedKey', 'kind', 'outbox', 'lastRequestId']);

export function strip(item: Item, drop: Iterable<string>): Item {
  const out: Item = { ...item };
  for (const key of drop) delete out[key];
  return out;
}

export function toBid(item: Item): Bid {
  return strip(item, BID_INTERNAL) as Bid;
}

export function toLedger(item: Item): Ledger {
  return {
    fy: String(item.fy),
    funder: item.funder as FunderId,
    potPence: Number(item.potPence),
    committedPence: Number(item.committedPence),
    releasedPence: Number(item.releasedPence),
    remainingPence: Number(item.remainingPence),
    allocations: (item.allocations as Record<string, LedgerAllocation> | undefined) ?? {},
    ...(typeof item.closedBy === 'string' ? { closedBy: item.closedBy } : {}),
    ...(item.carriedIn !== undefined ? { carriedIn: item.carriedIn as Record<string, CarryIn> } : {}),
  };
}
