/**
 * Reading the cells of an .xlsx workbook (SpreadsheetML), sheet by sheet, as the values Excel
 * shows: shared and inline strings (rich text joined), numbers, booleans, the saved result of a
 * formula (never evaluated), errors, and numbers formatted as dates turned into ISO dates (so a
 * date is never mistaken for an amount).
 */
import { readZip } from './zip';
import { child, children, decodeOoxmlText, parseXml, type XmlElement } from './xml';

export type XlsxCell = string | number | boolean | { error: string } | { date: string } | { formulaWithoutResult: true } | undefined;

export interface XlsxSheet {
  name: string;
  /** rows[r][c]: row r + 1, column c + 1 of the sheet. */
  rows: XlsxCell[][];
}

const REL_NS_TYPE = /\/(officeDocument|worksheet|sharedStrings|styles)$/;

export function readXlsxSheets(bytes: Uint8Array): XlsxSheet[] {
  const zip = readZip(bytes);
  const text = (path: string): string | undefined => {
    const entry = zip.get(path);
    return entry ? new TextDecoder('utf-8').decode(entry()) : undefined;
  };
  const xml = (path: string) => {
    const content = text(path);
    return content === undefined ? undefined : parseXml(content);
  };

  const workbookPath = relationships(xml('_rels/.rels'), '').find((r) => r.type === 'officeDocument')?.target ?? 'xl/workbook.xml';
  const workbook = child(xml(workbookPath), 'workbook');
  if (!workbook) throw new Error('the file is a ZIP archive but not an Excel workbook');
  const workbookRels = relationships(xml(relsPathOf(workbookPath)), dirOf(workbookPath));
  const sharedStringsPath = workbookRels.find((r) => r.type === 'sharedStrings')?.target;
  const stylesPath = workbookRels.find((r) => r.type === 'styles')?.target;
  const shared = sharedStringsPath ? sharedStrings(xml(sharedStringsPath)) : [];
  const dateStyles = stylesPath ? dateStyleIndexes(xml(stylesPath)) : new Set<number>();
  const date1904 = ['1', 'true'].includes(child(workbook, 'workbookPr')?.attrs.date1904 ?? '');

  return children(child(workbook, 'sheets'), 'sheet').flatMap((sheet) => {
    const target = workbookRels.find((r) => r.id === sheet.attrs.id && r.type === 'worksheet')?.target;
    const root = target ? child(xml(target), 'worksheet') : undefined;
    if (!root) return [];
    return [{ name: sheet.attrs.name ?? '', rows: sheetRows(root, shared, dateStyles, date1904) }];
  });
}

interface Relationship {
  id: string;
  type: string;
  target: string;
}

const dirOf = (path: string) => path.slice(0, path.lastIndexOf('/') + 1);
const relsPathOf = (path: string) => `${dirOf(path)}_rels/${path.slice(path.lastIndexOf('/') + 1)}.rels`;

function relationships(doc: XmlElement | undefined, base: string): Relationship[] {
  return children(child(doc, 'Relationships'), 'Relationship').flatMap((r) => {
    const type = REL_NS_TYPE.exec(r.attrs.Type ?? '')?.[1];
    const target = r.attrs.Target;
    if (!type || !target || r.attrs.TargetMode === 'External') return [];
    return [{ id: r.attrs.Id ?? '', type, target: resolvePath(base, target) }];
  });
}

function resolvePath(base: string, target: string): string {
  const parts = (target.startsWith('/') ? target.slice(1) : base + target).split('/');
  const out: string[] = [];
  for (const part of parts) {
    if (part === '..') out.pop();
    else if (part !== '.' && part !== '') out.push(part);
  }
  return out.join('/');
}

/** The text of an <si> or <is>: its <t>, or its rich-text runs' <t>s (phonetic hints left out). */
function stringItem(item: XmlElement): string {
  const plain = child(item, 't');
  if (plain) return decodeOoxmlText(plain.text);
  return children(item, 'r')
    .map((run) => decodeOoxmlText(child(run, 't')?.text ?? ''))
    .join('');
}

function sharedStrings(doc: XmlElement | undefined): string[] {
  return children(child(doc, 'sst'), 'si').map(stringItem);
}

// Built-in number formats that show dates or times (ECMA-376 §18.8.30).
const BUILT_IN_DATES = new Set([
  14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58,
]);

/** Indexes of cell styles whose number format shows a date. */
function dateStyleIndexes(doc: XmlElement | undefined): Set<number> {
  const styleSheet = child(doc, 'styleSheet');
  const custom = new Map(children(child(styleSheet, 'numFmts'), 'numFmt').map((f) => [Number(f.attrs.numFmtId), f.attrs.formatCode ?? '']));
  const isDateFormat = (id: number) => {
    if (BUILT_IN_DATES.has(id)) return true;
    const code = custom.get(id);
    if (code === undefined) return false;
    // Date tokens outside quoted text, escapes and [colour]/[$-locale] brackets.
    const bare = code.replace(/"[^"]*"|\\.|\[[^\]]*\]/g, '');
    return /[dmyhs]/i.test(bare) && !/^[#0.,%\s]*$/.test(bare);
  };
  const indexes = new Set<number>();
  children(child(styleSheet, 'cellXfs'), 'xf').forEach((xf, index) => {
    if (isDateFormat(Number(xf.attrs.numFmtId ?? 0))) indexes.add(index);
  });
  return indexes;
}

/** "AB12" → 27 (0-based column). */
function columnOf(reference: string | undefined): number | undefined {
  const letters = reference ? /^([A-Z]+)\d*$/i.exec(reference)?.[1] : undefined;
  if (!letters) return undefined;
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

function serialToIsoDate(serial: number, date1904: boolean): string {
  // Excel's 1900 system counts the fictitious 29 Feb 1900; serials from 61 on are one day ahead.
  // The 1904 system's day 0 is the 1900 system's day 1462.
  const days = date1904 ? serial + 1461 : serial < 61 ? serial : serial - 1;
  return new Date(Date.UTC(1899, 11, 31) + Math.floor(days) * 86_400_000).toISOString().slice(0, 10);
}

function sheetRows(worksheet: XmlElement, shared: readonly string[], dateStyles: Set<number>, date1904: boolean): XlsxCell[][] {
  const rows: XlsxCell[][] = [];
  let rowIndex = -1;
  for (const row of children(child(worksheet, 'sheetData'), 'row')) {
    rowIndex = row.attrs.r !== undefined ? Number(row.attrs.r) - 1 : rowIndex + 1;
    if (!Number.isInteger(rowIndex) || rowIndex < 0 || rowIndex > 1_048_575) throw new Error(`row number ${row.attrs.r} is not valid`);
    const cells: XlsxCell[] = [];
    let column = -1;
    for (const cell of children(row, 'c')) {
      column = columnOf(cell.attrs.r) ?? column + 1;
      if (column > 16_383) throw new Error(`cell ${cell.attrs.r} is beyond the last column`);
      cells[column] = cellValue(cell, shared, dateStyles, date1904);
    }
    rows[rowIndex] = cells;
  }
  for (let i = 0; i < rows.length; i++) rows[i] ??= [];
  return rows;
}

function cellValue(cell: XmlElement, shared: readonly string[], dateStyles: Set<number>, date1904: boolean): XlsxCell {
  const type = cell.attrs.t ?? 'n';
  const value = child(cell, 'v')?.text;
  if (type === 'inlineStr') {
    const inline = child(cell, 'is');
    return inline ? stringItem(inline) : undefined;
  }
  if (value === undefined) return child(cell, 'f') ? { formulaWithoutResult: true } : undefined;
  switch (type) {
    case 's': {
      const text = shared[Number(value)];
      if (text === undefined) throw new Error(`cell ${cell.attrs.r ?? ''} refers to a shared string that does not exist`);
      return text;
    }
    case 'str':
      return decodeOoxmlText(value);
    case 'b':
      return value.trim() === '1';
    case 'e':
      return { error: value.trim() };
    case 'd':
      return { date: value.trim().slice(0, 10) };
    default: {
      const number = Number(value);
      if (value.trim() === '' || !Number.isFinite(number)) throw new Error(`cell ${cell.attrs.r ?? ''} holds "${value}", not a number`);
      if (dateStyles.has(Number(cell.attrs.s ?? 0))) return { date: serialToIsoDate(number, date1904) };
      return number;
    }
  }
}
