/**
 * The XML parts of an .xlsx package, inflated with fflate under a ReadBudget. The archive's
 * directory is listed first (nothing inflated); then its entries are streamed a few KB of
 * compressed input at a time, so a ZIP bomb is stopped while it inflates, at the per-part or
 * total limit, whatever sizes its headers claim. fflate does not check CRC-32s, so each inflated
 * XML part's CRC-32 is checked here against the one its central directory record gives (those
 * records are read by central-directory.ts, within the same entry limit; a ZIP64 archive is
 * refused). A damaged entry is thus caught by the inflater, the size check or the CRC check.
 */
import { crc32 } from 'node:zlib';
import { Unzip, UnzipInflate, unzipSync, type UnzipFile } from 'fflate';
import { centralDirectoryCrcs } from './central-directory';
import { ReadBudget, XlsxFormatError, XlsxLimitError } from './limits';

/** Parts a workbook reader may need: XML and relationships. Anything else (images, VBA) is never inflated. */
const XML_PART = /\.(xml|rels)$/i;
/** Compressed bytes pushed per step: DEFLATE's best ratio (about 1:1032) makes one step at most ~4 MB. */
const STEP = 4 * 1024;

interface ListedEntry {
  originalSize: number;
  /** The CRC-32 its central directory record gives (unsigned). */
  crc: number;
}

/** The package's XML parts by name, each inflated exactly once. */
export async function readZipParts(bytes: Uint8Array, budget: ReadBudget): Promise<Map<string, Uint8Array>> {
  const listed = listEntries(bytes, budget);
  const parts = new Map<string, Uint8Array>();
  const unzip = new Unzip((file) => {
    if (!XML_PART.test(file.name)) return; // never started: fflate skips its data
    if (parts.has(file.name)) throw new XlsxFormatError(`the ZIP archive holds ${file.name} twice`);
    const entry = listed.get(file.name);
    if (!entry) throw new XlsxFormatError(`the ZIP entry ${file.name} is missing from the archive's directory`);
    if (file.originalSize !== undefined && file.originalSize !== entry.originalSize) {
      throw new XlsxFormatError(`the sizes of ${file.name} in the ZIP archive disagree`);
    }
    budget.within('partBytes', entry.originalSize);
    inflateInto(file, entry, budget, (data) => parts.set(file.name, data));
  });
  unzip.register(UnzipInflate);
  try {
    for (let offset = 0; offset < bytes.length; offset += STEP) {
      unzip.push(bytes.subarray(offset, offset + STEP), offset + STEP >= bytes.length);
      await budget.pause();
    }
  } catch (error) {
    throw ownError(error) ?? new XlsxFormatError(`the ZIP archive is damaged: ${(error as Error).message}`);
  }
  return parts;
}

/** Our own errors pass through fflate's callbacks unchanged. */
const ownError = (error: unknown) => (error instanceof XlsxLimitError || error instanceof XlsxFormatError ? error : undefined);

function inflateInto(file: UnzipFile, entry: ListedEntry, budget: ReadBudget, done: (data: Uint8Array) => void): void {
  const chunks: Uint8Array[] = [];
  let size = 0;
  file.ondata = (error, chunk, final) => {
    if (error) throw ownError(error) ?? new XlsxFormatError(`${file.name} cannot be decompressed: ${error.message}`);
    size += chunk.length;
    budget.within('partBytes', size);
    budget.spend('decompressedBytes', chunk.length);
    chunks.push(chunk);
    if (!final) return;
    // A header that lies about the size is a damaged (or hostile) archive, not one to guess at.
    if (size !== entry.originalSize) throw new XlsxFormatError(`${file.name} is not the size the ZIP archive's directory gives`);
    const data = concat(chunks, size);
    if (crc32(data) >>> 0 !== entry.crc)
      throw new XlsxFormatError(`${file.name} is damaged: its CRC-32 is not the one the ZIP archive's directory gives`);
    done(data);
  };
  file.start();
}

function concat(chunks: readonly Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1) return chunks[0] as Uint8Array;
  const out = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

/** The archive's directory (names and declared sizes), read without inflating anything. */
function listEntries(bytes: Uint8Array, budget: ReadBudget): Map<string, ListedEntry> {
  const listed = new Map<string, ListedEntry>();
  const lowerNames = new Set<string>();
  try {
    unzipSync(bytes, {
      filter: (info) => {
        budget.spend('zipEntries');
        checkPartName(info.name);
        // OPC part names are case-insensitive: two entries differing only in case are one part twice.
        if (lowerNames.has(info.name.toLowerCase())) throw new XlsxFormatError(`the ZIP archive holds ${info.name} twice`);
        lowerNames.add(info.name.toLowerCase());
        listed.set(info.name, { originalSize: info.originalSize, crc: -1 });
        return false;
      },
    });
  } catch (error) {
    throw ownError(error) ?? new XlsxFormatError(`not a ZIP archive (${(error as Error).message})`);
  }
  if (listed.size === 0) throw new XlsxFormatError('the ZIP archive is empty');
  // Read once fflate has found the archive well-formed enough to list, so its reasons come first.
  const crcs = centralDirectoryCrcs(bytes, budget);
  for (const [name, entry] of listed) {
    const crc = crcs.get(name);
    if (crc === undefined) throw new XlsxFormatError(`the ZIP entry ${name} has no CRC-32 in the archive's directory`);
    entry.crc = crc;
  }
  return listed;
}

/** Entry names are package-relative paths: never absolute, never climbing out with "..", no backslashes. */
function checkPartName(name: string): void {
  const segments = name.split('/');
  if (name.startsWith('/') || name.includes('\\') || segments.some((s) => s === '..' || s === '.') || /[\u0000-\u001f]/.test(name)) {
    throw new XlsxFormatError(`the ZIP entry name ${JSON.stringify(name)} is not a valid part name`);
  }
}
