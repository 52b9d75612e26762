/**
 * Budget checks 7 (overdue returns) and 8 (spend to date trailing paid by more than 25 %) for the
 * Bids sheet's Check column (docs/design.md §1.3, §6): the domain's checks over the bids last
 * read and the year's returns (GET /years/{fy}/returns), as messages per bid.
 */
import { CHECK_NUMBERS, checkOverdueReturns, checkSpendTrailing, type Bid, type MonitoringReturn } from '../../domain';

/** Per bid id, its check 7–8 messages ("Check 7: …"). */
export type MonitoringMessages = ReadonlyMap<string, readonly string[]>;

export function monitoringMessages(
  bids: Iterable<Bid>,
  returns: readonly MonitoringReturn[],
  today: Date,
  /** The year's return due days (its budget's returnDueDays); the default when absent. */
  dueDays?: number,
): MonitoringMessages {
  const list = [...bids];
  const findings = [
    ...checkOverdueReturns({ bids: list, returns, today: today.toISOString().slice(0, 10), ...(dueDays !== undefined ? { dueDays } : {}) }),
    ...checkSpendTrailing({ bids: list, returns }),
  ];
  const messages = new Map<string, string[]>();
  for (const f of findings) {
    if (f.bidId === undefined) continue;
    messages.set(f.bidId, [...(messages.get(f.bidId) ?? []), `Check ${CHECK_NUMBERS[f.check]}: ${f.message}`]);
  }
  return messages;
}
