/**
 * What the pane's own sheets (Payments, Schedule) share: a header row over rows of cells the pane
 * writes whole and reads back (docs/design.md §6).
 */
import type { CellValue } from '../sheet/columns';

/** Every row under the header, from column A to `lastColumn`, or none when the sheet is absent. */
export async function readRowsUnderHeader(context: Excel.RequestContext, name: string, lastColumn: string): Promise<CellValue[][]> {
  const sheet = context.workbook.worksheets.getItemOrNullObject(name);
  sheet.load('isNullObject');
  await context.sync();
  if (sheet.isNullObject) return [];
  const used = sheet.getUsedRangeOrNullObject(true);
  used.load('isNullObject, rowCount');
  await context.sync();
  if (used.isNullObject || used.rowCount < 2) return [];
  const range = sheet.getRange(`A2:${lastColumn}${used.rowCount}`);
  range.load('values');
  await context.sync();
  return range.values as CellValue[][];
}

/**
 * The sheet, added when absent, with what it held cleared from column A to `lastColumn`; and how
 * many rows it held (0 when new or empty), for clearing anything else on them.
 */
export async function clearedSheet(
  context: Excel.RequestContext,
  name: string,
  lastColumn: string,
): Promise<{ sheet: Excel.Worksheet; heldRows: number }> {
  const existing = context.workbook.worksheets.getItemOrNullObject(name);
  existing.load('isNullObject');
  await context.sync();
  if (existing.isNullObject) return { sheet: context.workbook.worksheets.add(name), heldRows: 0 };
  const used = existing.getUsedRangeOrNullObject(true);
  used.load('isNullObject, rowCount');
  await context.sync();
  if (used.isNullObject) return { sheet: existing, heldRows: 0 };
  const heldRows = Math.max(used.rowCount, 1);
  existing.getRange(`A1:${lastColumn}${heldRows}`).clear();
  return { sheet: existing, heldRows };
}
