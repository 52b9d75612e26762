/**
 * The Schedule sheet (docs/design.md §3.1, §6): finance's instalments to push, read back and
 * rewritten after a push (scheduled bids' rows dropped, refused rows kept with their Result).
 */
import { columnLetter, type CellValue } from '../sheet/columns';
import { SCHEDULE_COLUMNS, SCHEDULE_HEADERS, SCHEDULE_SHEET } from '../sheet/schedule-plan';

const LAST = columnLetter(SCHEDULE_COLUMNS.length - 1);
/** Rows formatted ahead for typing, so a typed date stays text. */
const TYPING_ROWS = 200;

/** Every row under the header, or none when the sheet is absent. */
export async function readScheduleSheet(context: Excel.RequestContext): Promise<CellValue[][]> {
  const sheet = context.workbook.worksheets.getItemOrNullObject(SCHEDULE_SHEET);
  sheet.load('isNullObject');
  await context.sync();
  if (sheet.isNullObject) return [];
  const used = sheet.getUsedRangeOrNullObject(true);
  used.load('isNullObject, rowCount');
  await context.sync();
  if (used.isNullObject || used.rowCount < 2) return [];
  const range = sheet.getRange(`A2:${LAST}${used.rowCount}`);
  range.load('values');
  await context.sync();
  return range.values as CellValue[][];
}

/** Write the header and the rows; formats first, so text never becomes a formula. */
export async function writeScheduleSheet(context: Excel.RequestContext, cells: readonly CellValue[][]): Promise<void> {
  const existing = context.workbook.worksheets.getItemOrNullObject(SCHEDULE_SHEET);
  existing.load('isNullObject');
  await context.sync();
  const sheet = existing.isNullObject ? context.workbook.worksheets.add(SCHEDULE_SHEET) : existing;
  if (!existing.isNullObject) {
    const used = sheet.getUsedRangeOrNullObject(true);
    used.load('isNullObject, rowCount');
    await context.sync();
    if (!used.isNullObject) sheet.getRange(`A1:${LAST}${Math.max(used.rowCount, 1)}`).clear();
  }
  const formatted = Math.max(cells.length, TYPING_ROWS) + 1;
  sheet.getRange(`A1:${LAST}1`).numberFormat = [SCHEDULE_HEADERS.map(() => '@')];
  sheet.getRange(`A2:${LAST}${formatted}`).numberFormat = Array.from({ length: formatted - 1 }, () =>
    SCHEDULE_COLUMNS.map((c) => c.format),
  );
  sheet.getRange(`A1:${LAST}1`).values = [[...SCHEDULE_HEADERS]];
  if (cells.length > 0) sheet.getRange(`A2:${LAST}${cells.length + 1}`).values = cells.map((r) => [...r]);
  sheet.getRange(`A1:${LAST}1`).format.font.bold = true;
  sheet.freezePanes.freezeRows(1);
  await context.sync();
}
