/** The Payments sheet's part of a pull (docs/design.md §3.1): rows from the pulled bids, typed Release cells kept. */
import type { Actor, Bid } from '../../domain';
import { readPaymentsSheet, writePaymentsSheet } from '../excel/payments-sheet';
import { paymentRows } from '../sheet/payment-rows';
import { paymentCells, releasableRows, selectReleases, type RowInput } from '../sheet/payments-plan';

/** Rewrite the Payments sheet from the pulled bids, keeping what is typed in Release/Result. */
export async function writePayments(
  context: Excel.RequestContext,
  bids: ReadonlyMap<string, Bid>,
  actor: Actor | undefined,
  inputs?: ReadonlyMap<string, RowInput>,
): Promise<number> {
  const kept = inputs ?? selectReleases(await readPaymentsSheet(context), actor).inputs;
  const rows = paymentRows(bids.values());
  await writePaymentsSheet(context, paymentCells(rows, kept), releasableRows(rows, actor));
  return rows.length;
}
