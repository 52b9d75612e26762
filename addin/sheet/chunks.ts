/**
 * Splitting a large write into requests under Excel on the web's 5 MB payload limit. The size of
 * each row is estimated from the JSON Office.js sends (values, formulas and number formats), with
 * a margin for the request envelope.
 */

/** Excel on the web refuses a request or response above 5 MB; stay well under it. */
export const DEFAULT_CHUNK_BYTES = 4 * 1024 * 1024;

export interface RowSpan {
  /** First row index (0-based, into the rows being written). */
  start: number;
  /** One past the last row index. */
  end: number;
  bytes: number;
}

/** Group consecutive rows into spans whose estimated size stays under the limit (a row never splits). */
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

/** Estimated request bytes of one row: its cells as JSON plus each cell's number format and formula. */
export function estimateRowBytes(cells: readonly unknown[], formats: readonly string[], formulas: readonly string[]): number {
  let bytes = 16;
  for (const cell of cells) bytes += typeof cell === 'string' ? jsonStringBytes(cell) + 1 : 24;
  for (const format of formats) bytes += jsonStringBytes(format) + 1;
  for (const formula of formulas) bytes += jsonStringBytes(formula) + 1;
  return bytes;
}

/** UTF-8 bytes of a JSON string literal, upper bound (escapes count double). */
function jsonStringBytes(text: string): number {
  let bytes = 2;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x22 || code === 0x5c) bytes += 6;
    else if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else bytes += 3;
  }
  return bytes;
}
