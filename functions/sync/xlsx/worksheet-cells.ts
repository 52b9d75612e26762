/**
 * One worksheet part streamed into the cells it holds, as the values Excel shows. Sparse by
 * construction: only cells present in the XML are kept, so a lone cell at XFD1048576 is one
 * entry, never a grid; a sheet's <dimension> is never looked at.
 */
import { XlsxFormatError } from './limits';
import { decodeOoxmlText } from './ooxml-text';
import { isItemText } from './shared-strings';
import type { WorkbookPackage } from './workbook-package';

export type XlsxCell = string | number | boolean | { error: string } | { date: string } | { formulaWithoutResult: true } | undefined;

export interface XlsxRow {
  /** 0-based: row 1 of the sheet is 0. */
  index: number;
  /** The cells that hold something, by 0-based column. */
  cells: Map<number, XlsxCell>;
}

export interface CellContext {
  shared: readonly string[];
  dateStyles: ReadonlySet<number>;
  date1904: boolean;
}

/** A <c> as read: its attributes and what was inside. */
interface RawCell {
  ref: string | undefined;
  type: string;
  style: number;
  value: string | undefined;
  hasFormula: boolean;
  inline: string | undefined;
}

// Path depths: worksheet(0) / sheetData(1) / row(2) / c(3) / v, f, is(4) / t or r(5) / t(6).
const ROW = 3;
const CELL = 4;

/** The rows of a worksheet part that hold cells, in row order. */
export async function readWorksheetRows(pkg: WorkbookPackage, part: string, context: CellContext): Promise<XlsxRow[]> {
  const { budget } = pkg;
  const rows = new Map<number, XlsxRow>();
  let row: XlsxRow | undefined;
  let rowIndex = -1;
  let column = -1;
  let cell: RawCell | undefined;
  const root = await pkg.readPart(part, {
    open: (name, attrs, path) => {
      if (path.length === ROW && name === 'row' && path[1] === 'sheetData') {
        rowIndex = attrs.r !== undefined ? Number(attrs.r) - 1 : rowIndex + 1;
        if (!Number.isInteger(rowIndex) || rowIndex < 0) throw new XlsxFormatError(`row number ${attrs.r} is not valid`);
        budget.within('lastRow', rowIndex + 1);
        row = rows.get(rowIndex) ?? { index: rowIndex, cells: new Map() };
        rows.set(rowIndex, row);
        column = -1;
      } else if (path.length === CELL && name === 'c' && row) {
        budget.spend('cells');
        column = attrs.r !== undefined ? columnOf(attrs.r) : column + 1;
        budget.within('lastColumn', column + 1);
        cell = { ref: attrs.r, type: attrs.t ?? 'n', style: Number(attrs.s ?? 0), value: undefined, hasFormula: false, inline: undefined };
      } else if (path.length === CELL + 1 && cell) {
        if (name === 'v') cell.value ??= '';
        else if (name === 'f') cell.hasFormula = true;
        else if (name === 'is') cell.inline ??= '';
      }
    },
    text: (text, path) => {
      if (!cell || path.length <= CELL) return;
      if (path.length === CELL + 1 && path[CELL] === 'v') cell.value = (cell.value ?? '') + text;
      else if (path[CELL] === 'is' && isItemText(path, CELL + 1)) cell.inline = (cell.inline ?? '') + text;
    },
    close: (name, path) => {
      if (path.length === CELL && name === 'c' && cell && row) {
        const value = cellValue(cell, context);
        if (typeof value === 'string') {
          budget.within('cellChars', value.length);
          budget.spend('cellTextChars', value.length);
        }
        if (value !== undefined) row.cells.set(column, value);
        cell = undefined;
      } else if (path.length === ROW && name === 'row') {
        row = undefined;
      }
    },
  });
  if (root === undefined) throw new XlsxFormatError(`the workbook lists a sheet at ${part}, which the package does not hold`);
  if (root !== 'worksheet') throw new XlsxFormatError(`${part} is not a worksheet`);
  return [...rows.values()].filter((r) => r.cells.size > 0).sort((a, b) => a.index - b.index);
}

/** "AB12" → 27 (0-based column). */
function columnOf(reference: string): number {
  const letters = /^([A-Z]{1,3})\d*$/i.exec(reference)?.[1];
  if (!letters) throw new XlsxFormatError(`cell reference ${JSON.stringify(reference.slice(0, 20))} is not valid`);
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

function serialToIsoDate(serial: number, date1904: boolean): string {
  // Excel's 1900 system counts the fictitious 29 Feb 1900; serials from 61 on are one day ahead.
  // The 1904 system's day 0 is the 1900 system's day 1462.
  const days = date1904 ? serial + 1461 : serial < 61 ? serial : serial - 1;
  const date = new Date(Date.UTC(1899, 11, 31) + Math.floor(days) * 86_400_000);
  if (Number.isNaN(date.getTime())) throw new XlsxFormatError(`${serial} is not a date Excel can show`);
  return date.toISOString().slice(0, 10);
}

function cellValue(cell: RawCell, { shared, dateStyles, date1904 }: CellContext): XlsxCell {
  const ref = cell.ref ?? '';
  if (cell.type === 'inlineStr') return cell.inline === undefined ? undefined : decodeOoxmlText(cell.inline);
  const value = cell.value;
  if (value === undefined) return cell.hasFormula ? { formulaWithoutResult: true } : undefined;
  switch (cell.type) {
    case 's': {
      const text = shared[Number(value)];
      if (text === undefined) throw new XlsxFormatError(`cell ${ref} refers to a shared string that does not exist`);
      return text;
    }
    case 'str':
      return decodeOoxmlText(value);
    case 'b':
      return value.trim() === '1';
    case 'e':
      return { error: value.trim().slice(0, 20) };
    case 'd':
      return { date: value.trim().slice(0, 10) };
    default: {
      const number = Number(value);
      if (value.trim() === '' || !Number.isFinite(number))
        throw new XlsxFormatError(`cell ${ref} holds "${value.slice(0, 40)}", not a number`);
      if (dateStyles.has(cell.style)) return { date: serialToIsoDate(number, date1904) };
      return number;
    }
  }
}
