/**
 * The CRC-32 of each entry, read from a ZIP archive's central directory (fflate checks none and
 * its listing does not give them). Only what that needs is parsed: the end-of-central-directory
 * record, then each central file header in turn, every offset checked against the archive's
 * length and the entry count within XLSX_LIMITS.zipEntries. A ZIP64 archive (a count, size or
 * offset saturated at 0xFFFF / 0xFFFFFFFF) is refused: no workbook a person saves needs one.
 */
import { ReadBudget, XlsxFormatError } from './limits';

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const EOCD_LENGTH = 22;
const CENTRAL_LENGTH = 46;
/** The EOCD ends the archive but for its comment, at most 65,535 bytes. */
const MAX_COMMENT = 0xffff;
/** General-purpose flag bit 11: the name is UTF-8 (otherwise read as fflate reads it, byte by byte). */
const UTF8_NAME = 0x0800;

/** Entry name → its CRC-32 (unsigned), as the central directory gives them. */
export function centralDirectoryCrcs(bytes: Uint8Array, budget: ReadBudget): Map<string, number> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const eocd = findEndRecord(view);
  const count = view.getUint16(eocd + 10, true);
  const size = view.getUint32(eocd + 12, true);
  const offset = view.getUint32(eocd + 16, true);
  if (count === 0xffff || size === 0xffffffff || offset === 0xffffffff) {
    throw new XlsxFormatError('the ZIP archive is in ZIP64 form, which is not read');
  }
  budget.within('zipEntries', count);
  if (offset + size > eocd) throw new XlsxFormatError("the ZIP archive's directory lies outside the archive");
  const crcs = new Map<string, number>();
  let at = offset;
  for (let i = 0; i < count; i++) {
    if (at + CENTRAL_LENGTH > offset + size || view.getUint32(at, true) !== CENTRAL_SIGNATURE) {
      throw new XlsxFormatError("the ZIP archive's directory is damaged");
    }
    const nameLength = view.getUint16(at + 28, true);
    const next = at + CENTRAL_LENGTH + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
    if (next > offset + size) throw new XlsxFormatError("the ZIP archive's directory is damaged");
    if (view.getUint32(at + 20, true) === 0xffffffff || view.getUint32(at + 24, true) === 0xffffffff) {
      throw new XlsxFormatError('the ZIP archive is in ZIP64 form, which is not read');
    }
    const name = entryName(bytes.subarray(at + CENTRAL_LENGTH, at + CENTRAL_LENGTH + nameLength), view.getUint16(at + 8, true));
    crcs.set(name, view.getUint32(at + 16, true));
    at = next;
  }
  return crcs;
}

/** The end-of-central-directory record's offset: searched back from the end, over at most a full comment. */
function findEndRecord(view: DataView): number {
  const last = view.byteLength - EOCD_LENGTH;
  for (let at = last; at >= 0 && at >= last - MAX_COMMENT; at--) {
    if (view.getUint32(at, true) === EOCD_SIGNATURE) return at;
  }
  throw new XlsxFormatError('not a ZIP archive (no end of central directory)');
}

function entryName(raw: Uint8Array, flags: number): string {
  if (flags & UTF8_NAME) return new TextDecoder('utf-8').decode(raw);
  let name = '';
  for (const byte of raw) name += String.fromCharCode(byte);
  return name;
}
