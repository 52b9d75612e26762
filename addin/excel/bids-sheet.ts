/**
 * The Bids sheet and its very hidden state sheet, through Office.js. Thin on purpose: what to
 * write is decided in addin/sheet/; this reads and writes whole 2-D ranges in a bounded number
 * of context.sync() calls, never a sync per row. A write is one request per chunk of rows under
 * Excel on the web's 5 MB limit (addin/sheet/chunks.ts), the table shaping going with the last;
 * a read is one request per chunk of rows whose response stays under the same limit.
 */
import { isFunderId, SCOPES, type FunderId } from '../../domain';
import {
  DEFAULT_CHUNK_BYTES,
  MAX_READ_CELLS,
  RANGE_WRITE_OVERHEAD_BYTES,
  chunkRows,
  estimateRowBytes,
  jsonRowBytes,
  type RowSpan,
} from '../sheet/chunks';
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
import { decisionListBytes, decisionListGroups, type DecisionListGroup } from '../sheet/decision-lists';
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
  /**
   * The Decision drop-down of each row (aligned with plan.rows; [] for none). Without it the
   * drop-downs already in the sheet are left as they are.
   */
  decisionLists?: readonly (readonly string[])[];
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
/**
 * Response bytes per cell to expect before any row has been read: a pulled Bids row reads back at
 * about 14 a cell (ids, short text, numbers, and the Decision columns blank). Later chunks are
 * sized by what came back; a first guess too low costs one refused response, read again smaller.
 */
const FIRST_READ_BYTES_PER_CELL = 16;
/** Room kept above what the rows read so far averaged, for the next chunk's rows. */
const READ_GROWTH_MARGIN = 1.25;

/**
 * Request bytes kept for what goes beside the rows: the number formats and headers (first chunk)
 * and the table shaping, widths, drop-down and conditional format (last chunk). About 20 KB with
 * excel-web-16.00 (tests/addin/excel/office-js-requests.test.ts).
 */
export const FIXED_WORK_BYTES = 64 * 1024;

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

/** Read the Bids rows and the pulled baseline, in chunks whose responses stay under the payload limit. */
export async function readBidsSheet(
  context: Excel.RequestContext,
  layout?: SheetLayout,
  chunkBytes = DEFAULT_CHUNK_BYTES,
): Promise<{ snapshot: SheetSnapshot; layout: SheetLayout }> {
  const known = layout ?? (await probeLayout(context));
  const state = known.stateSheetExists && known.stateRows > 0 ? context.workbook.worksheets.getItem(STATE_SHEET) : null;
  const bids = known.bidsSheetExists && known.usedRows > 0 ? context.workbook.worksheets.getItem(BIDS_SHEET) : null;
  // The FY sits beside the state headers (E1:F1); the baseline below them in A:C.
  const fyJob: ReadJob | null = state ? { sheet: state, firstColumn: 0, columns: 6, firstRow: 1, lastRow: 1 } : null;
  const baselineJob: ReadJob | null =
    state && known.stateRows > 1 ? { sheet: state, firstColumn: 0, columns: 3, firstRow: 2, lastRow: known.stateRows } : null;
  const rowsJob: ReadJob | null = bids
    ? { sheet: bids, firstColumn: 0, columns: Math.max(known.usedColumns, 1), firstRow: 1, lastRow: known.usedRows }
    : null;
  // All of them together: one request for a usual sheet.
  const read = await readRowsInChunks(
    context,
    [fyJob, baselineJob, rowsJob].filter((job): job is ReadJob => job !== null),
    chunkBytes,
  );

  const fyCell = fyJob ? read.get(fyJob)?.[0]?.[5] : undefined;
  const fy = typeof fyCell === 'string' && fyCell !== '' ? fyCell : null;
  const baseline = new Map<string, BaselineEntry>();
  for (const [id, version, proposed] of baselineJob ? (read.get(baselineJob) ?? []) : []) {
    if (typeof id !== 'string' || id === '' || typeof version !== 'number') continue;
    baseline.set(id, { id, version, proposedPence: typeof proposed === 'number' ? proposed : null });
  }
  if (!rowsJob) return { snapshot: { fy, rows: [], baseline }, layout: known };

  const all = read.get(rowsJob) ?? [];
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

/** Rows to read from one sheet: whole rows of `columns` columns from firstColumn, firstRow..lastRow (1-based). */
interface ReadJob {
  sheet: Excel.Worksheet;
  firstColumn: number;
  columns: number;
  firstRow: number;
  lastRow: number;
}

/** Excel's answer when a request or its response would pass the payload limit. */
const isPayloadTooLarge = (error: unknown): boolean => {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ResponsePayloadSizeLimitExceeded' || code === 'RequestPayloadSizeLimitExceeded';
};

/**
 * Read the jobs' rows in as few requests as their responses allow (each response under
 * budgetBytes, each range under Excel's 5,000,000-cell limit), several jobs in one request where
 * they fit. A response's size cannot be known before it is read: the first chunk assumes a typical
 * row, later ones what the rows read so far took; should Excel still refuse a response as too
 * large (a sheet of unusually long text), the same rows are asked for again in smaller chunks.
 */
async function readRowsInChunks(
  context: Excel.RequestContext,
  jobs: readonly ReadJob[],
  budgetBytes: number,
): Promise<Map<ReadJob, unknown[][]>> {
  const out = jobs.map((): unknown[][] => []);
  const next = jobs.map((job) => job.firstRow);
  const guess = jobs.map((job) => jsonRowBytes(new Array<number>(job.columns).fill(0)) + job.columns * FIRST_READ_BYTES_PER_CELL);
  const heaviest = jobs.map(() => 0);
  const refused = jobs.map(() => 0);
  const pending = () => jobs.some((job, k) => (next[k] as number) <= job.lastRow);
  while (pending()) {
    let room = budgetBytes;
    const batch: { k: number; range: Excel.Range; rows: number }[] = [];
    jobs.forEach((job, k) => {
      const from = next[k] as number;
      if (from > job.lastRow) return;
      const fit = Math.floor(room / (guess[k] as number));
      const rows = Math.min(job.lastRow - from + 1, Math.floor(MAX_READ_CELLS / job.columns), batch.length === 0 ? Math.max(1, fit) : fit);
      if (rows <= 0) return;
      const address = `${columnLetter(job.firstColumn)}${from}:${columnLetter(job.firstColumn + job.columns - 1)}${from + rows - 1}`;
      const range = job.sheet.getRange(address);
      range.load('values');
      batch.push({ k, range, rows });
      room -= rows * (guess[k] as number);
    });
    try {
      await context.sync();
    } catch (error) {
      const single = batch.length === 1 && batch[0]?.rows === 1;
      if (!isPayloadTooLarge(error) || single) throw error;
      // The response passed the limit where we expected at most `asked`: rows are longer than
      // assumed, by more than budget ÷ asked. The same rows again, at most half as many a request.
      const asked = budgetBytes - room;
      const factor = Math.max(2, (2 * budgetBytes) / Math.max(1, asked));
      for (const { k } of batch) {
        guess[k] = (guess[k] as number) * factor;
        refused[k] = guess[k] as number;
      }
      continue;
    }
    for (const { k, range, rows } of batch) {
      const values = range.values;
      const into = out[k] as unknown[][];
      for (const row of values) into.push(row);
      next[k] = (next[k] as number) + rows;
      let bytes = 0;
      for (const row of values) bytes += jsonRowBytes(row) + 1;
      heaviest[k] = Math.max(heaviest[k] as number, bytes / rows);
      // Sized by the heaviest chunk so far (bytes a row), never below what a refusal taught.
      guess[k] = Math.max((heaviest[k] as number) * READ_GROWTH_MARGIN, refused[k] as number);
    }
  }
  return new Map(jobs.map((job, k) => [job, out[k] as unknown[][]]));
}

/** A string bound for a number column: quote it, so Excel keeps it as text and never runs it. */
function safeCell(value: CellValue, columnIsText: boolean): CellValue {
  if (!columnIsText && typeof value === 'string' && FORMULA_START.test(value)) return `'${value}`;
  return value;
}

/**
 * Each row of a plan as the arrays it is written in: one part per column segment (values, or the
 * live share formulas), then its baseline for the state sheet.
 */
export function rowParts(plan: SheetPlan, namespace: string): CellValue[][][] {
  const segments = columnSegments();
  const textColumns = BID_COLUMNS.map((c) => c.kind === 'text');
  const baselineById = new Map(plan.baseline.map((b) => [b.id, b]));
  return plan.rows.map((data, r): CellValue[][] => {
    const cells = rowCells(data);
    const rowNumber = r + 2;
    const row = segments.map((segment) => {
      const part: CellValue[] = [];
      for (let c = segment.first; c <= segment.last; c++) {
        part.push(
          segment.formulas
            ? shareFormula(namespace, rowNumber, funderOfColumn(c))
            : safeCell(cells[c] as CellValue, textColumns[c] === true),
        );
      }
      return part;
    });
    const base = baselineById.get(data.id);
    row.push(base ? [base.id, base.version, base.proposedPence ?? ''] : [data.id, '', '']);
    return row;
  });
}

/**
 * Write a plan: rows in requests under the payload limit (values, live share formulas, and the
 * baseline beside them), the last of them also shaping the table (formats, drop-down, conditional
 * format). One sync per chunk: a usual year is one.
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

  // Each row as the arrays it is sent in, sized exactly as Office.js will serialise them; then as
  // many rows a request as fit under the limit.
  const segments = columnSegments();
  const parts = rowParts(plan, options.namespace);
  const rangesPerRequest = segments.length + 1;
  const lists = options.decisionLists ? decisionListGroups(options.decisionLists) : null;
  // The drop-downs ride with the last rows: their addresses come out of the rows' budget.
  const rowBudget =
    (options.chunkBytes ?? DEFAULT_CHUNK_BYTES) -
    FIXED_WORK_BYTES -
    rangesPerRequest * RANGE_WRITE_OVERHEAD_BYTES -
    (lists ? decisionListBytes(lists) : 0);
  const spans = chunkRows(parts.map(estimateRowBytes), rowBudget);
  const block = (span: RowSpan, part: number) => parts.slice(span.start, span.end).map((row) => row[part] as CellValue[]);

  for (const [n, span] of spans.entries()) {
    const firstRow = span.start + 2;
    const lastSpanRow = span.end + 1;
    segments.forEach((segment, p) => {
      const range = sheet.getRange(`${columnLetter(segment.first)}${firstRow}:${columnLetter(segment.last)}${lastSpanRow}`);
      if (segment.formulas) range.formulas = block(span, p);
      else range.values = block(span, p);
    });
    state.getRange(`A${firstRow}:C${lastSpanRow}`).values = block(span, segments.length);
    // The table shaping rides with the last rows rather than in a request of its own.
    if (n === spans.length - 1) shapeTable(context, sheet, state, layout, rowCount, lists);
    await context.sync();
    options.onProgress?.(span.end, rowCount);
  }
  if (spans.length === 0) {
    shapeTable(context, sheet, state, layout, rowCount, lists);
    await context.sync();
  }
}

/**
 * Queue what follows the rows: clear what the old sheet had beyond them, make or resize the table
 * over them, then formats, widths, the scope drop-down and the failed-check highlight.
 */
function shapeTable(
  context: Excel.RequestContext,
  sheet: Excel.Worksheet,
  state: Excel.Worksheet,
  layout: SheetLayout,
  rowCount: number,
  lists: readonly DecisionListGroup[] | null,
): void {
  const workbook = context.workbook;
  const lastRow = Math.max(2, rowCount + 1);
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

  if (lists) writeDecisionLists(sheet, lastRow, lists);

  state.visibility = 'VeryHidden';
  sheet.activate();
}

/**
 * The Decision drop-downs: the column cleared, then one list per group of rows offering the same
 * actions. A row with nothing to decide keeps no list; Record reports anything typed there.
 */
function writeDecisionLists(sheet: Excel.Worksheet, lastRow: number, lists: readonly DecisionListGroup[]): void {
  const column = letterOf('decision');
  sheet.getRange(`${column}2:${column}${lastRow}`).dataValidation.clear();
  for (const group of lists) {
    for (const address of group.addresses) {
      const validation = sheet.getRanges(address).dataValidation;
      validation.rule = { list: { inCellDropDown: true, source: group.source } };
      validation.errorAlert = {
        showAlert: true,
        style: 'Stop',
        title: 'Decision',
        message: `Choose one of: ${group.source.split(',').join(', ')}.`,
      };
    }
  }
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
