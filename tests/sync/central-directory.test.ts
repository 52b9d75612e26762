/**
 * The ZIP central directory's CRC-32s (functions/sync/xlsx/central-directory.ts): read as the
 * archive gives them, with a non-UTF-8 name read byte by byte as fflate reads it; a ZIP64
 * archive, a damaged or out-of-range directory and too many entries are refused.
 */
import { crc32 } from 'node:zlib';
import { strToU8, zipSync } from 'fflate';
import { centralDirectoryCrcs } from '../../functions/sync/xlsx/central-directory';
import { ReadBudget, XLSX_LIMITS, XlsxFormatError, XlsxLimitError } from '../../functions/sync/xlsx/limits';

const parts = { 'xl/workbook.xml': strToU8('<workbook/>'), '[Content_Types].xml': strToU8('<Types/>'), 'a/£.xml': strToU8('<x/>') };
const archive = () => zipSync(parts);
/** Offset of the end-of-central-directory record (no comment: the last 22 bytes). */
const eocdOf = (bytes: Uint8Array) => bytes.length - 22;

test('gives each entry its CRC-32, names as fflate reads them', () => {
  const crcs = centralDirectoryCrcs(archive(), new ReadBudget());
  expect(Object.fromEntries(crcs)).toEqual(Object.fromEntries(Object.entries(parts).map(([name, data]) => [name, crc32(data) >>> 0])));
});

test('a ZIP64 end record is refused', () => {
  const bytes = archive();
  new DataView(bytes.buffer).setUint32(eocdOf(bytes) + 16, 0xffffffff, true);
  expect(() => centralDirectoryCrcs(bytes, new ReadBudget())).toThrow(/ZIP64/);
});

test('a directory outside the archive, or one whose records do not follow, is refused', () => {
  const outside = archive();
  new DataView(outside.buffer).setUint32(eocdOf(outside) + 12, outside.length, true);
  expect(() => centralDirectoryCrcs(outside, new ReadBudget())).toThrow(XlsxFormatError);
  const shifted = archive();
  const view = new DataView(shifted.buffer);
  view.setUint32(eocdOf(shifted) + 16, view.getUint32(eocdOf(shifted) + 16, true) + 1, true);
  view.setUint32(eocdOf(shifted) + 12, view.getUint32(eocdOf(shifted) + 12, true) - 1, true);
  expect(() => centralDirectoryCrcs(shifted, new ReadBudget())).toThrow("the ZIP archive's directory is damaged");
  expect(() => centralDirectoryCrcs(strToU8('name,amount\n'), new ReadBudget())).toThrow(/not a ZIP archive/);
});

test('an entry count over XLSX_LIMITS.zipEntries is refused before any record is read', () => {
  expect(() => centralDirectoryCrcs(archive(), new ReadBudget({ ...XLSX_LIMITS, zipEntries: 2 }))).toThrow(XlsxLimitError);
});
