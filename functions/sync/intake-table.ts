/**
 * Reading an intake file into a plain table of cells: `.csv` with csv-parse, `.xlsx` with the
 * small SpreadsheetML reader in xlsx/ (exceljs and its dependencies are ~1 MB of the Lambda bundle).
 * Row i of the table is the spreadsheet's row i + 1, so reports name the row a person sees.
 * A cell is text or a number; nothing is ever evaluated: an xlsx formula contributes the result
 * Excel saved with it, and text that starts with "=" stays text.
 */
import { parse } from 'csv-parse/sync';
import { XlsxLimitError } from './xlsx/limits';
import { readXlsxSheets, type XlsxCell, type XlsxSheet } from './xlsx/read-xlsx';

export type Cell = string | number | { error: string } | undefined;
/** Row i is the sheet's row i + 1. From an xlsx, rows and cells may be holes (sparse arrays): never densify one. */
export type Table = Cell[][];

export class UnreadableFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnreadableFileError';
  }
}

export const INTAKE_EXTENSIONS = ['.csv', '.xlsx'] as const;
export type IntakeKind = 'csv' | 'xlsx';

export function intakeKind(name: string): IntakeKind | undefined {
  const lower = name.toLowerCase();
  if (lower.endsWith('.csv')) return 'csv';
  if (lower.endsWith('.xlsx')) return 'xlsx';
  return undefined;
}

export async function readTable(kind: IntakeKind, bytes: Uint8Array): Promise<Table[]> {
  return kind === 'csv' ? [readCsv(bytes)] : readXlsx(bytes);
}

/** UTF-8 (with or without BOM); a file that is not valid UTF-8 is read as Windows-1252, as Excel saves it. */
function decodeText(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

/** Excel in some locales saves ';'-separated CSV: take the separator the header line uses. */
function delimiterOf(text: string): string {
  const firstLine = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  const count = (ch: string) => firstLine.split(ch).length - 1;
  const candidates = [',', ';', '\t'].map((ch) => ({ ch, n: count(ch) }));
  const best = candidates.reduce((a, b) => (b.n > a.n ? b : a));
  return best.n > 0 ? best.ch : ',';
}

export function readCsv(bytes: Uint8Array): Table {
  const text = decodeText(bytes);
  try {
    const records = parse(text, {
      bom: true,
      delimiter: delimiterOf(text),
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: false,
    }) as string[][];
    return records.map((record) => record.map((value) => (value === '' ? undefined : value)));
  } catch (error) {
    throw new UnreadableFileError(`not a readable CSV file: ${(error as Error).message}`);
  }
}

export async function readXlsx(bytes: Uint8Array): Promise<Table[]> {
  let sheets;
  try {
    sheets = await readXlsxSheets(bytes);
  } catch (error) {
    // Over a limit: the reason says which. Anything else the reader threw means it is not a workbook we can read.
    if (error instanceof XlsxLimitError) throw new UnreadableFileError(error.message);
    throw new UnreadableFileError(`not a readable .xlsx workbook: ${(error as Error).message}`);
  }
  return sheets.map(tableOf);
}

/** The sheet's cells at their row and column; the gaps stay holes, so a lone far cell costs one entry. */
function tableOf(sheet: XlsxSheet): Table {
  const table: Table = [];
  for (const row of sheet.rows) {
    const cells: Cell[] = [];
    for (const [column, value] of row.cells) {
      const cell = cellOf(value);
      if (cell !== undefined) cells[column] = cell;
    }
    table[row.index] = cells;
  }
  return table;
}

function cellOf(value: XlsxCell): Cell {
  if (value === undefined || value === '') return undefined;
  if (typeof value === 'number' || typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if ('error' in value) return { error: `the cell holds the Excel error ${value.error}` };
  if ('date' in value) return value.date;
  return { error: 'the cell is a formula with no saved result: open the file in Excel and save it again' };
}
