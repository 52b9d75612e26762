/**
 * How much an intake workbook may make the reader do, in one place. A costed action plan is a
 * few KB holding at most a few thousand rows (MAX_INTAKE_ROWS); every bound below is far above
 * that and far below what would hurt the sync (the Lambda's memory, the lease, the local API
 * sharing its process). A file over any of them is refused whole with a reason naming the limit,
 * and the sync goes on with the next file.
 */

export interface XlsxLimits {
  /** Entries in the ZIP archive (every entry, read or not). */
  zipEntries: number;
  /** Bytes one part may inflate to; counted while inflating, so a ZIP bomb stops at this. */
  partBytes: number;
  /** Bytes all parts read may inflate to together. */
  decompressedBytes: number;
  /** <sheet> entries in the workbook. */
  sheets: number;
  /** Relationships in one .rels part. */
  relationships: number;
  /** Cell styles (cellXfs) and number formats in the styles part. */
  styles: number;
  /** <c> elements over all sheets, empty ones included. */
  cells: number;
  /** Characters of one cell's text: Excel's own limit. */
  cellChars: number;
  /** Characters of text over all cells (a shared string counts each time a cell uses it). */
  cellTextChars: number;
  /** Items (<si>) in the shared strings part. */
  sharedStrings: number;
  /** Characters over all shared strings. */
  sharedStringChars: number;
  /** Element nesting in any part (SpreadsheetML needs about ten). */
  depth: number;
  /** Wall time spent reading one file, in milliseconds. */
  wallMs: number;
  /** The last row and column a cell may sit in (Excel's: XFD1048576), 1-based. */
  lastRow: number;
  lastColumn: number;
}

export const XLSX_LIMITS: Readonly<XlsxLimits> = Object.freeze({
  zipEntries: 1_000,
  partBytes: 8 * 1024 * 1024,
  decompressedBytes: 24 * 1024 * 1024,
  sheets: 64,
  relationships: 1_000,
  styles: 65_000,
  cells: 200_000,
  cellChars: 32_767,
  cellTextChars: 16_000_000,
  sharedStrings: 100_000,
  sharedStringChars: 4_000_000,
  depth: 64,
  wallMs: 5_000,
  lastRow: 1_048_576,
  lastColumn: 16_384,
});

/** What each limit counts, for the reason a person reads. */
const WHAT: Record<keyof XlsxLimits, (n: number) => string> = {
  zipEntries: (n) => `${n.toLocaleString('en-GB')} entries in its ZIP archive`,
  partBytes: (n) => `${n / 1024 / 1024} MB uncompressed in one part`,
  decompressedBytes: (n) => `${n / 1024 / 1024} MB uncompressed in all`,
  sheets: (n) => `${n} sheets`,
  relationships: (n) => `${n.toLocaleString('en-GB')} relationships in one part`,
  styles: (n) => `${n.toLocaleString('en-GB')} cell styles or number formats`,
  cells: (n) => `${n.toLocaleString('en-GB')} cells`,
  cellChars: (n) => `${n.toLocaleString('en-GB')} characters in one cell`,
  cellTextChars: (n) => `${n.toLocaleString('en-GB')} characters of cell text`,
  sharedStrings: (n) => `${n.toLocaleString('en-GB')} shared strings`,
  sharedStringChars: (n) => `${n.toLocaleString('en-GB')} characters of shared strings`,
  depth: (n) => `${n} levels of nested XML elements`,
  wallMs: (n) => `what can be read in ${n / 1000} s`,
  lastRow: (n) => `${n.toLocaleString('en-GB')} rows`,
  lastColumn: (n) => `${n.toLocaleString('en-GB')} columns`,
};

/** A file over one of XLSX_LIMITS: its message is the reason the report gives. */
export class XlsxLimitError extends Error {
  constructor(
    readonly limit: keyof XlsxLimits,
    value: number,
  ) {
    super(`the workbook is larger than the limit of ${WHAT[limit](value)} (XLSX_LIMITS.${limit})`);
    this.name = 'XlsxLimitError';
  }
}

/** A file that is not a workbook we can read (damaged, or not SpreadsheetML at all). */
export class XlsxFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'XlsxFormatError';
  }
}

/** Work between two returns to the event loop: the local API shares the sync's process. */
const SLICE_MS = 20;

/**
 * The running totals of one file's read, checked as they grow: every counter throws the
 * moment it passes its limit, and `tick` throws once the file has had its wall time.
 */
export class ReadBudget {
  private readonly counts = new Map<keyof XlsxLimits, number>();
  private readonly deadline: number;
  private sliceStart: number;

  constructor(
    readonly limits: Readonly<XlsxLimits> = XLSX_LIMITS,
    private readonly now: () => number = Date.now,
  ) {
    this.deadline = now() + limits.wallMs;
    this.sliceStart = now();
  }

  /** Add n to a counted limit; throws past it. */
  spend(limit: keyof XlsxLimits, n = 1): void {
    const total = (this.counts.get(limit) ?? 0) + n;
    this.counts.set(limit, total);
    if (total > this.limits[limit]) throw new XlsxLimitError(limit, this.limits[limit]);
  }

  /** A value (a nesting depth, one cell's length) that must itself stay within a limit. */
  within(limit: keyof XlsxLimits, value: number): void {
    if (value > this.limits[limit]) throw new XlsxLimitError(limit, this.limits[limit]);
  }

  tick(): void {
    if (this.now() > this.deadline) throw new XlsxLimitError('wallMs', this.limits.wallMs);
  }

  /** tick, and let other work run (an API request, a timer) once this read has had the CPU for a while. */
  async pause(): Promise<void> {
    this.tick();
    if (this.now() - this.sliceStart < SLICE_MS) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.sliceStart = this.now();
    this.tick();
  }
}
