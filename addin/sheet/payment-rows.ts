/**
 * The money after approval as the sheets show it (docs/design.md §3.1): the Payments sheet's
 * rows (one per instalment per funder) and the Budget sheet's per-funder totals of paid, due
 * this quarter, returned and clawback due. Pure: computed from the pulled bids.
 */
import { FUNDER_IDS, funderName, type Bid, type FunderId, type Pence } from '../../domain';

export interface PaymentRow {
  bidId: string;
  title: string;
  /** The instalment's number, from 1 (the `n` of the release route). */
  instalment: number;
  due: string;
  funder: FunderId;
  funderName: string;
  /** The funder's part of the instalment. */
  partPence: Pence;
  /** When the funder released its part, or null while unpaid. */
  paidAt: string | null;
  paidBy: string | null;
  requiresReturn: string | null;
  /** The bid's version the row was read at (sent as If-Match). */
  version: number;
}

const funderOrder = (f: FunderId) => FUNDER_IDS.indexOf(f);

/** Every scheduled part of every bid, by bid then instalment then funder (alliance order). */
export function paymentRows(bids: Iterable<Bid>): PaymentRow[] {
  const rows: PaymentRow[] = [];
  const sorted = [...bids].filter((b) => (b.payments?.length ?? 0) > 0).sort((a, b) => a.id.localeCompare(b.id));
  for (const bid of sorted) {
    (bid.payments ?? []).forEach((instalment, index) => {
      const funders = (Object.keys(instalment.parts) as FunderId[]).sort((a, b) => funderOrder(a) - funderOrder(b));
      for (const funder of funders) {
        rows.push({
          bidId: bid.id,
          title: bid.title,
          instalment: index + 1,
          due: instalment.due,
          funder,
          funderName: funderName(funder),
          partPence: instalment.parts[funder] ?? 0,
          paidAt: instalment.paid[funder] ?? null,
          paidBy: instalment.paidBy?.[funder] ?? null,
          requiresReturn: instalment.requiresReturn ?? null,
          version: bid.version,
        });
      }
    });
  }
  return rows;
}

export interface FunderPayments {
  paidPence: Pence;
  /** Parts due in the current quarter (calendar quarters, which are the financial year's) not yet paid. */
  dueThisQuarterPence: Pence;
  returnedPence: Pence;
  clawbackDuePence: Pence;
}

export type PaymentTotals = Record<FunderId, FunderPayments>;

/** The first and last day (YYYY-MM-DD) of the quarter holding `now` (UTC). */
export function quarterOf(now: Date): { from: string; to: string } {
  const year = now.getUTCFullYear();
  const firstMonth = Math.floor(now.getUTCMonth() / 3) * 3;
  const iso = (d: Date) => d.toISOString().slice(0, 10);
  return { from: iso(new Date(Date.UTC(year, firstMonth, 1))), to: iso(new Date(Date.UTC(year, firstMonth + 3, 0))) };
}

/** Per funder: paid to date, due this quarter and unpaid, returned underspend, clawback due. */
export function paymentTotals(bids: Iterable<Bid>, now: Date): PaymentTotals {
  const totals = Object.fromEntries(
    FUNDER_IDS.map((f) => [f, { paidPence: 0, dueThisQuarterPence: 0, returnedPence: 0, clawbackDuePence: 0 }]),
  ) as PaymentTotals;
  const quarter = quarterOf(now);
  for (const bid of bids) {
    for (const instalment of bid.payments ?? []) {
      for (const [funder, part] of Object.entries(instalment.parts) as [FunderId, Pence][]) {
        const line = totals[funder];
        if (instalment.paid[funder] !== undefined) line.paidPence += part;
        else if (instalment.due >= quarter.from && instalment.due <= quarter.to) line.dueThisQuarterPence += part;
      }
    }
    for (const f of FUNDER_IDS) {
      totals[f].returnedPence += bid.returned?.[f] ?? 0;
      totals[f].clawbackDuePence += bid.clawbackDue?.[f] ?? 0;
    }
  }
  return totals;
}
