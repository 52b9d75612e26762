/**
 * The Bids sheet and its very hidden state sheet, through Office.js. Thin on purpose: what to
 * write is decided in addin/sheet/; this reads and writes whole 2-D ranges in a bounded number
 * of context.sync() calls (one per ~4 MB chunk plus two), never a sync per row.
 */
import { FUNDER_IDS, isFunderId, SCOPES, type FunderId } from '../../domain';
import { DEFAULT_CHUNK_BYTES, chunkRows, estimateRowBytes } from '../sheet/chunks';
import {
  BID_COLUMNS,
  BID_HEADERS,
  BIDS_SHEET,
  BIDS_TABLE,
  CHECK_OK,
  STATE_SHEET,
  NUMBER_FORMATS,
  TEXT_FORMAT,
  columnLetter,
  columnSegments,
  letterOf,
  type CellValue,
} from '../sheet/columns';
import { headerIndex, missingHeaders, readRow, rowCells, shareFormula, type RowData } from '../sheet/bid-rows';
import type { BaselineEntry, SheetPlan, SheetSnapshot } from '../sheet/sync-plan';

/** Where things stand in the workbook, learnt in one sync before a read or a write. */
export interface SheetLayout {
  bidsSheetExists: boolean;
  tableExists: boolean;
  /** Rows in use on the Bids sheet, header included (0 when empty). */
  usedRows: number;
  usedColumns: number;
  stateSheetExists: boolean;
  stateRows: number;
}

export interface WriteOptions {
  /** The custom functions namespace for the live share formulas (FUND, or FUNDDEV in the dev add-in). */
  namespace: string;
  chunkBytes?: number;
  onProgress?: (done: number, total: number) => void;
}

const STATE_HEADERS = ['ID', 'Version', 'Proposed pence'];
const LAST_COLUMN = columnLetter(BID_COLUMNS.length - 1);
const SHARE_PREFIX = 'share:';

/** The funder whose share a share column holds. */
function funderOfColumn(index: number): FunderId {
  const key = BID_COLUMNS[index]?.key ?? '';
  const funder = key.slice(SHARE_PREFIX.length);
  if (!key.startsWith(SHARE_PREFIX) || !isFunderId(funder)) throw new RangeError(`column ${index} is not a share column`);
  return funder;
}
/** A conservative guess of bytes per cell when reading, to size read chunks before we see the data. */
const READ_BYTES_PER_CELL = 80;

/** Excel reads a string starting with one of these as a formula. */
const FORMULA_START = /^[=+\-@]/;

export async function probeLayout(context: Excel.RequestContext): Promise<SheetLayout> {
  const sheets = context.workbook.worksheets;
  const bids = sheets.getItemOrNullObject(BIDS_SHEET);
  const table = context.workbook.tables.getItemOrNullObject(BIDS_TABLE);
  const state = sheets.getItemOrNullObject(STATE_SHEET);
  bids.load('isNullObject');
  table.load('isNullObject');
  state.load('isNullObject');
  await context.sync();
  let used: Excel.Range | null = null;
  let stateUsed: Excel.Range | null = null;
  if (!bids.isNullObject) {
    used = bids.getUsedRangeOrNullObject(true);
    used.load('isNullObject, rowCount, columnCount');
  }
  if (!state.isNullObject) {
    stateUsed = state.getUsedRangeOrNullObject(true);
    stateUsed.load('isNullObject, rowCount');
  }
  if (used || stateUsed) await context.sync();
  const usedKnown = used !== null && !used.isNullObject;
  const stateKnown = stateUsed !== null && !stateUsed.isNullObject;
  return {
    bidsSheetExists: !bids.isNullObject,
    tableExists: !table.isNullObject,
    usedRows: usedKnown && used ? used.rowCount : 0,
    usedColumns: usedKnown && used ? used.columnCount : 0,
    stateSheetExists: !state.isNullObject,
    stateRows: stateKnown && stateUsed ? stateUsed.rowCount : 0,
  };
}

export class SheetShapeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SheetShapeError';
  }
}

/** Read the Bids rows and the pulled baseline, in row chunks under the payload limit. */
export async function readBidsSheet(
  context: Excel.RequestContext,
  layout?: SheetLayout,
  chunkBytes = DEFAULT_CHUNK_BYTES,
): Promise<{ snapshot: SheetSnapshot; layout: SheetLayout }> {
  const known = layout ?? (await probeLayout(context));
  const baseline = new Map<string, BaselineEntry>();
  let fy: string | null = null;
  if (known.stateSheetExists && known.stateRows > 0) {
    const stateRange = context.workbook.worksheets.getItem(STATE_SHEET).getRange(`A1:F${known.stateRows}`);
    stateRange.load('values');
    await context.sync();
    const values = stateRange.values;
    const fyCell = values[0]?.[5];
    fy = typeof fyCell === 'string' && fyCell !== '' ? fyCell : null;
    for (const row of values.slice(1)) {
      const [id, version, proposed] = row;
      if (typeof id !== 'string' || id === '' || typeof version !== 'number') continue;
      baseline.set(id, { id, version, proposedPence: typeof proposed === 'number' ? proposed : null });
    }
  }
  if (!known.bidsSheetExists || known.usedRows === 0) return { snapshot: { fy, rows: [], baseline }, layout: known };

  const sheet = context.workbook.worksheets.getItem(BIDS_SHEET);
  const columns = Math.max(known.usedColumns, 1);
  const lastColumn = columnLetter(columns - 1);
  const rowsPerChunk = Math.max(1, Math.floor(chunkBytes / (columns * READ_BYTES_PER_CELL + 64)));
  const all: unknown[][] = [];
  for (let start = 1; start <= known.usedRows; start += rowsPerChunk) {
    const end = Math.min(known.usedRows, start + rowsPerChunk - 1);
    const range = sheet.getRange(`A${start}:${lastColumn}${end}`);
    range.load('values');
    await context.sync();
    all.push(...range.values);
  }
  const [headers = [], ...body] = all;
  const index = headerIndex(headers);
  const missing = missingHeaders(index);
  if (missing.length > 0) {
    throw new SheetShapeError(
      `The Bids sheet has lost its ${missing.join(', ')} column${missing.length === 1 ? '' : 's'}; undo the change, or rename the sheet to keep it and pull again.`,
    );
  }
  const rows = body
    .map((cells) => readRow(cells, index))
    .filter((row) => row.id !== '' || row.title !== '' || row.requestedPence !== null || !row.proposed.ok || row.proposed.pence !== null);
  return { snapshot: { fy, rows, baseline }, layout: known };
}

/** A string bound for a number column: quote it, so Excel keeps it as text and never runs it. */
function safeCell(value: CellValue, columnIsText: boolean): CellValue {
  if (!columnIsText && typeof value === 'string' && FORMULA_START.test(value)) return `'${value}`;
  return value;
}

/**
 * Write a plan: rows in chunks (values, live share formulas, and the baseline beside them), then
 * one final request that shapes the table, formats, drop-downs and conditional formats.
 */
export async function writeBidsSheet(
  context: Excel.RequestContext,
  plan: SheetPlan,
  layout: SheetLayout,
  options: WriteOptions,
): Promise<void> {
  const workbook = context.workbook;
  const sheet = layout.bidsSheetExists ? workbook.worksheets.getItem(BIDS_SHEET) : workbook.worksheets.add(BIDS_SHEET);
  const state = layout.stateSheetExists ? workbook.worksheets.getItem(STATE_SHEET) : workbook.worksheets.add(STATE_SHEET);
  const rowCount = plan.rows.length;
  const lastRow = Math.max(2, rowCount + 1); // a table needs at least one body row
  const baselineById = new Map(plan.baseline.map((b) => [b.id, b]));

  // Text columns become text before any value lands in them, so "=HYPERLINK(…)" stays a title.
  BID_COLUMNS.forEach((column, i) => {
    const letter = columnLetter(i);
    sheet.getRange(`${letter}2:${letter}${lastRow}`).numberFormat = [[NUMBER_FORMATS[column.kind]]];
  });
  state.getRange(`A1:A${Math.max(1, plan.baseline.length + 1)}`).numberFormat = [[TEXT_FORMAT]];
  state.getRange('E1:F1').numberFormat = [[TEXT_FORMAT, TEXT_FORMAT]];
  sheet.getRange(`A1:${LAST_COLUMN}1`).numberFormat = [BID_HEADERS.map(() => TEXT_FORMAT)];
  sheet.getRange(`A1:${LAST_COLUMN}1`).values = [[...BID_HEADERS]];
  state.getRange('A1:C1').values = [STATE_HEADERS];
  state.getRange('E1:F1').values = [['FY', plan.fy]];

  const cells = plan.rows.map(rowCells);
  const segments = columnSegments();
  const rowBytes = cells.map((row, i) =>
    estimateRowBytes(
      row,
      [],
      FUNDER_IDS.map((f) => shareFormula(options.namespace, i + 2, f)),
    ),
  );
  const spans = chunkRows(rowBytes, options.chunkBytes ?? DEFAULT_CHUNK_BYTES);
  const textColumns = BID_COLUMNS.map((c) => c.kind === 'text');
  for (const span of spans) {
    const firstRow = span.start + 2;
    const lastSpanRow = span.end + 1;
    for (const segment of segments) {
      const address = `${columnLetter(segment.first)}${firstRow}:${columnLetter(segment.last)}${lastSpanRow}`;
      const block: CellValue[][] = [];
      for (let r = span.start; r < span.end; r++) {
        const rowNumber = r + 2;
        const row: CellValue[] = [];
        for (let c = segment.first; c <= segment.last; c++) {
          row.push(
            segment.formulas
              ? shareFormula(options.namespace, rowNumber, funderOfColumn(c))
              : safeCell((cells[r] as CellValue[])[c] as CellValue, textColumns[c] === true),
          );
        }
        block.push(row);
      }
      if (segment.formulas) sheet.getRange(address).formulas = block;
      else sheet.getRange(address).values = block;
    }
    const stateBlock = plan.rows.slice(span.start, span.end).map((row): CellValue[] => {
      const base = baselineById.get(row.id);
      return base ? [base.id, base.version, base.proposedPence ?? ''] : [row.id, '', ''];
    });
    state.getRange(`A${firstRow}:C${lastSpanRow}`).values = stateBlock;
    await context.sync();
    options.onProgress?.(span.end, rowCount);
  }

  // Final request: clear what the old sheet had beyond the new rows, shape and format the table.
  if (layout.usedRows > rowCount + 1) sheet.getRange(`A${rowCount + 2}:${LAST_COLUMN}${layout.usedRows}`).clear();
  if (rowCount === 0) sheet.getRange(`A2:${LAST_COLUMN}2`).clear('Contents');
  if (layout.stateRows > rowCount + 1) state.getRange(`A${rowCount + 2}:C${layout.stateRows}`).clear();
  const tableAddress = `${BIDS_SHEET}!A1:${LAST_COLUMN}${lastRow}`;
  let table: Excel.Table;
  if (layout.tableExists) {
    table = workbook.tables.getItem(BIDS_TABLE);
    table.resize(tableAddress);
  } else {
    table = sheet.tables.add(tableAddress, true);
    table.name = BIDS_TABLE;
  }
  table.style = 'TableStyleMedium2';
  table.showFilterButton = true;
  sheet.freezePanes.freezeRows(1);
  BID_COLUMNS.forEach((column, i) => {
    sheet.getRange(`${columnLetter(i)}:${columnLetter(i)}`).format.columnWidth = column.widthPt;
  });

  const body = sheet.getRange(`A2:${LAST_COLUMN}${lastRow}`);
  body.conditionalFormats.clearAll();
  const failed = body.conditionalFormats.add('Custom');
  const checkCell = `$${letterOf('check')}2`;
  failed.custom.rule.formula = `=AND(${checkCell}<>"",${checkCell}<>"${CHECK_OK}")`;
  failed.custom.format.fill.color = '#FDE7E9';
  failed.custom.format.font.color = '#A4262C';

  const scope = sheet.getRange(`${letterOf('scope')}2:${letterOf('scope')}${lastRow}`);
  scope.dataValidation.clear();
  scope.dataValidation.rule = { list: { inCellDropDown: true, source: SCOPES.join(',') } };
  scope.dataValidation.errorAlert = {
    showAlert: true,
    style: 'Stop',
    title: 'Scope',
    message: `Scope must be ${SCOPES.join(', ')}.`,
  };

  state.visibility = 'VeryHidden';
  sheet.activate();
  await context.sync();
}

/** The bid ID of the Bids-table row holding the active cell, or null. */
export async function selectedBidId(context: Excel.RequestContext): Promise<string | null> {
  const cell = context.workbook.getActiveCell();
  cell.load('rowIndex');
  cell.worksheet.load('name');
  await context.sync();
  if (cell.worksheet.name !== BIDS_SHEET || cell.rowIndex < 1) return null;
  const idCell = context.workbook.worksheets.getItem(BIDS_SHEET).getRange(`${letterOf('id')}${cell.rowIndex + 1}`);
  idCell.load('values');
  await context.sync();
  const id = idCell.values[0]?.[0];
  return typeof id === 'string' && id !== '' ? id : null;
}

export type { RowData };
