/**
 * The Payments sheet (docs/design.md §3.1): written whole from the pulled bids (one request for
 * the values, one for the formats, the Release drop-downs grouped), and read back for a push.
 * Rows stay in bid/instalment/funder order; the sheet is the pane's, rewritten on every pull.
 */
import { decisionListGroups, type DecisionListGroup } from '../sheet/decision-lists';
import { columnLetter, type CellValue } from '../sheet/columns';
import { clearedSheet, readRowsUnderHeader } from './pane-sheet';
import { PAYMENT_COLUMNS, PAYMENT_HEADERS, PAYMENTS_SHEET, paymentLetter, RELEASE, type SheetPaymentRow } from '../sheet/payments-plan';

const LAST = columnLetter(PAYMENT_COLUMNS.length - 1);

/** The Release drop-downs for rows (0-based) the user may release. */
export function releaseListGroups(rowCount: number, releasable: readonly number[]): DecisionListGroup[] {
  const lists: string[][] = Array.from({ length: rowCount }, () => []);
  for (const i of releasable) lists[i] = [RELEASE];
  return decisionListGroups(lists, undefined, paymentLetter('release'));
}

export async function writePaymentsSheet(
  context: Excel.RequestContext,
  cells: readonly CellValue[][],
  releasable: readonly number[],
): Promise<void> {
  const { sheet, heldRows } = await clearedSheet(context, PAYMENTS_SHEET, LAST);
  if (heldRows > 0) sheet.getRange(`${paymentLetter('release')}1:${paymentLetter('release')}${heldRows}`).dataValidation.clear();
  const lastRow = cells.length + 1;
  // Formats first: text from the store stays text (a title like "=HYPERLINK(…)" is never a formula).
  sheet.getRange(`A1:${LAST}1`).numberFormat = [PAYMENT_HEADERS.map(() => '@')];
  if (cells.length > 0) sheet.getRange(`A2:${LAST}${lastRow}`).numberFormat = cells.map(() => PAYMENT_COLUMNS.map((c) => c.format));
  sheet.getRange(`A1:${LAST}1`).values = [[...PAYMENT_HEADERS]];
  if (cells.length > 0) sheet.getRange(`A2:${LAST}${lastRow}`).values = cells.map((r) => [...r]);
  sheet.getRange(`A1:${LAST}1`).format.font.bold = true;
  for (const group of releaseListGroups(cells.length, releasable)) {
    for (const address of group.addresses) {
      const validation = sheet.getRanges(address).dataValidation;
      validation.rule = { list: { inCellDropDown: true, source: group.source } };
      validation.errorAlert = { showAlert: true, style: 'Stop', title: 'Release', message: `Choose ${RELEASE} or leave it blank.` };
    }
  }
  sheet.freezePanes.freezeRows(1);
  await context.sync();
}

/** Every row under the header, or none when the sheet is absent. */
export async function readPaymentsSheet(context: Excel.RequestContext): Promise<SheetPaymentRow[]> {
  return (await readRowsUnderHeader(context, PAYMENTS_SHEET, LAST)).map((cells, i) => ({ row: i + 2, cells }));
}
