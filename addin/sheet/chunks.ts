/**
 * Sizing large reads and writes under Excel on the web's limits. Microsoft ("Resource limits and
 * performance optimization for Office Add-ins", Excel add-ins; "Payload size limit best practices"):
 * requests and responses are limited to 5 MB each (RequestPayloadSizeLimitExceeded,
 * ResponsePayloadSizeLimitExceeded), and a range read to 5,000,000 cells.
 *
 * A write is sized from what Office.js sends: the JSON of each value array (JSON.stringify, in
 * UTF-8: counted here exactly, byte for byte) plus Office.js's envelope around each range written.
 * A read cannot be sized before the data is seen: it starts from a typical row and learns from
 * each response (see readRowsInChunks in addin/excel/bids-sheet.ts).
 */
import type { CellValue } from './columns';

/** Excel on the web's limit on one request and on one response: 5 MB. */
export const PAYLOAD_LIMIT_BYTES = 5 * 1024 * 1024;

/**
 * What one request may carry by our count: 4.5 MiB. The count is exact for the values; the margin
 * (512 KiB, and 5 MB read as 5,000,000 bytes still leaves 275 KB) covers what is only estimated:
 * Office.js's envelope and the small formatting work sent beside the rows.
 */
export const DEFAULT_CHUNK_BYTES = 4.5 * 1024 * 1024;

/**
 * Office.js's envelope around one range written: the GetRange object path with its address, the
 * instantiate and set-property actions (and Excel.run's keep-reference action). Seen at 250–350
 * bytes with excel-web-16.00 (tests/addin/excel/office-js-requests.test.ts); counted double.
 */
export const RANGE_WRITE_OVERHEAD_BYTES = 640;

/**
 * Office.js (setRangePropertiesInBulk) sends a range write of more than 1,500 cells as pieces of
 * about 1,500 cells, each with object paths and an action of its own: ~860 bytes a piece with
 * excel-web-16.00 (tests/addin/excel/office-js-requests.test.ts); counted as 1,024, spread over
 * the piece's rows.
 */
const OFFICE_JS_PIECE_CELLS = 1500;
const OFFICE_JS_PIECE_BYTES = 1024;

/** Excel's limit on the cells of one range read. */
export const MAX_READ_CELLS = 5_000_000;

export interface RowSpan {
  /** First row index (0-based, into the rows being written). */
  start: number;
  /** One past the last row index. */
  end: number;
  bytes: number;
}

/** Group consecutive rows into spans whose size stays under the limit (a row never splits). */
export function chunkRows(rowBytes: readonly number[], limitBytes = DEFAULT_CHUNK_BYTES): RowSpan[] {
  const spans: RowSpan[] = [];
  let start = 0;
  let bytes = 0;
  rowBytes.forEach((size, index) => {
    if (index > start && bytes + size > limitBytes) {
      spans.push({ start, end: index, bytes });
      start = index;
      bytes = 0;
    }
    bytes += size;
  });
  if (rowBytes.length > start) spans.push({ start, end: rowBytes.length, bytes });
  return spans;
}

/**
 * Request bytes one sheet row adds: its part of each 2-D array it is written in (values, formulas,
 * the baseline beside it), each exactly as JSON.stringify writes it in UTF-8, with the comma that
 * joins it to the next row, and its share of Office.js's envelope around each 1,500-cell piece.
 */
export function estimateRowBytes(parts: readonly (readonly CellValue[])[]): number {
  let bytes = 0;
  for (const part of parts) {
    const rowsPerPiece = Math.max(1, Math.round(OFFICE_JS_PIECE_CELLS / Math.max(1, part.length)));
    bytes += jsonRowBytes(part) + 1 + OFFICE_JS_PIECE_BYTES / rowsPerPiece;
  }
  return bytes;
}

/** UTF-8 bytes of JSON.stringify(row), counted without building the string. */
export function jsonRowBytes(row: readonly unknown[]): number {
  let bytes = 1 + Math.max(0, row.length - 1) + 1; // [ , ]
  for (const cell of row) bytes += jsonCellBytes(cell);
  return bytes;
}

/** UTF-8 bytes of JSON.stringify(cell) for a cell value (string, number, boolean; anything else as null). */
export function jsonCellBytes(cell: unknown): number {
  if (typeof cell === 'string') return jsonStringBytes(cell);
  if (typeof cell === 'number') return Number.isFinite(cell) ? String(cell).length : 4;
  if (typeof cell === 'boolean') return cell ? 4 : 5;
  return 4;
}

/** UTF-8 bytes of a JSON string literal, exactly as JSON.stringify escapes it. */
function jsonStringBytes(text: string): number {
  let bytes = 2;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x22 || code === 0x5c || code === 0x08 || code === 0x09 || code === 0x0a || code === 0x0c || code === 0x0d) bytes += 2;
    else if (code < 0x20)
      bytes += 6; // \u00XX
    else if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && isLowSurrogate(text.charCodeAt(i + 1))) {
      bytes += 4; // a pair: one 4-byte character
      i++;
    } else if (code >= 0xd800 && code <= 0xdfff)
      bytes += 6; // a lone surrogate: \uDXXX
    else bytes += 3;
  }
  return bytes;
}

const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;
