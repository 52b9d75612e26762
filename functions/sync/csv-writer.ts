/**
 * CSV for people who open it in Excel: UTF-8 with a BOM (so "£" survives), CRLF line ends,
 * every text cell quoted, and text that a spreadsheet would run as a formula neutralised per
 * OWASP's CSV-injection guidance: a cell starting with =, +, -, @, tab or carriage return (or
 * their full-width forms) gets a leading single quote. Amounts are plain numbers in pounds with
 * two decimals, written from integer pence without floating point; a negative amount is a
 * number, not text, so it is never prefixed.
 */
import { formatPounds, type Pence } from '../../domain';

export type CsvCell = string | { pence: Pence } | { count: number } | null | undefined;

const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

/** Text safe to open in a spreadsheet: never starts like a formula. */
export function neutraliseText(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** 103500001 → "1035000.01"; −1 → "-0.01". */
export function poundsText(pence: Pence): string {
  return formatPounds(pence).replace(/[£,]/g, '');
}

function field(cell: CsvCell): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'string') return `"${neutraliseText(cell).replace(/"/g, '""')}"`;
  if ('pence' in cell) return poundsText(cell.pence);
  if (!Number.isSafeInteger(cell.count)) throw new RangeError(`a count must be an integer, got ${cell.count}`);
  return String(cell.count);
}

export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  const lines = [header.map(field), ...rows.map((row) => row.map(field))].map((cells) => cells.join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
