/** The year's report (docs/design.md §1.4): the store's bids, returns and audit events through buildYearReport. */
import { buildYearReport, defaultCostShare, type YearReport } from '../../domain';
import { mapInParallel } from '../concurrency';
import { auditEventsOf } from './bid-queries';
import type { UseCaseDeps } from './deps';

/** Histories read at once: a year holds a few hundred bids at most. */
const HISTORY_CONCURRENCY = 8;

export async function yearReport(deps: UseCaseDeps, fy: string): Promise<YearReport> {
  const [budget, bids, returns] = await Promise.all([deps.store.getBudget(fy), deps.store.bidsOfYear(fy), deps.store.returnsOfYear(fy)]);
  // Through the outbox too: the latest decisions may not have their audit copy yet.
  const histories = await mapInParallel(bids, HISTORY_CONCURRENCY, async (bid) => {
    const stored = await deps.store.readBid(bid.id);
    return stored ? auditEventsOf(deps, stored) : deps.store.history(bid.id);
  });
  return buildYearReport({
    fy,
    costShare: budget?.costShare ?? defaultCostShare(),
    bids,
    returns,
    events: histories.flat(),
    today: deps.now().toISOString().slice(0, 10),
    ...(budget?.returnDueDays !== undefined ? { dueDays: budget.returnDueDays } : {}),
  });
}
