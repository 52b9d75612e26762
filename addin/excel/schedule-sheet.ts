/**
 * The Schedule sheet (docs/design.md §3.1, §6): finance's instalments to push, read back and
 * rewritten after a push (scheduled bids' rows dropped, refused rows kept with their Result).
 */
import { columnLetter, type CellValue } from '../sheet/columns';
import { SCHEDULE_COLUMNS, SCHEDULE_HEADERS, SCHEDULE_SHEET } from '../sheet/schedule-plan';
import { clearedSheet, readRowsUnderHeader } from './pane-sheet';

const LAST = columnLetter(SCHEDULE_COLUMNS.length - 1);
/** Rows formatted ahead for typing, so a typed date stays text. */
const TYPING_ROWS = 200;

/** Every row under the header, or none when the sheet is absent. */
export async function readScheduleSheet(context: Excel.RequestContext): Promise<CellValue[][]> {
  return readRowsUnderHeader(context, SCHEDULE_SHEET, LAST);
}

/** Write the header and the rows; formats first, so text never becomes a formula. */
export async function writeScheduleSheet(context: Excel.RequestContext, cells: readonly CellValue[][]): Promise<void> {
  const { sheet } = await clearedSheet(context, SCHEDULE_SHEET, LAST);
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
