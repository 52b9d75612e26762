/**
 * How full a ledger item is. docs/design.md §3 keeps every allocation of a funder's year in one item (the
 * consistency boundary for money), and DynamoDB refuses any write that would take an item past
 * 400 KB: approvals would then fail. At about 150 bytes an allocation that is some 2,500 bids
 * per funder and year, far beyond this fund; the sync reports the fullest ledger (a metric with
 * an alarm at 75 %) so that sharding the pot (docs/design.md §3) is planned long before it is needed.
 */
import type { Ledger } from './types';

/** DynamoDB's item size limit. */
export const ITEM_LIMIT_BYTES = 400 * 1024;
/** From here on the sync warns and its alarm fires. */
export const LEDGER_WARN_PERCENT = 75;

const utf8 = (text: string) => Buffer.byteLength(text, 'utf8');

/** DynamoDB's documented sizing: strings by UTF-8 length, numbers ~1 byte per 2 digits + 1, maps 3 bytes + 1 per entry. */
function valueBytes(value: unknown): number {
  if (typeof value === 'string') return utf8(value);
  if (typeof value === 'number') return Math.ceil(String(Math.abs(value)).replace(/[.-]/g, '').length / 2) + 1;
  if (typeof value === 'boolean' || value === null) return 1;
  if (Array.isArray(value)) return 3 + value.reduce((sum: number, v) => sum + 1 + valueBytes(v), 0);
  if (typeof value === 'object') {
    return 3 + Object.entries(value as Record<string, unknown>).reduce((sum, [k, v]) => sum + 1 + utf8(k) + valueBytes(v), 0);
  }
  return 0;
}

/** The ledger item's size as DynamoDB counts it, give or take its few key attributes (counted generously). */
export function ledgerItemBytes(ledger: Ledger): number {
  const KEYS_AND_KIND = 128; // pk "FY#<year>", sk "LEDGER#<funder id>", kind, with their names
  return KEYS_AND_KIND + Object.entries(ledger).reduce((sum, [name, value]) => sum + utf8(name) + valueBytes(value), 0);
}

export interface LedgerFullness {
  fy: string;
  funder: Ledger['funder'];
  allocations: number;
  bytes: number;
  /** Of DynamoDB's 400 KB item limit, rounded up to a whole per cent. */
  percent: number;
}

/** The fullest of these ledgers, or undefined for none. */
export function fullestLedger(ledgers: readonly Ledger[]): LedgerFullness | undefined {
  let fullest: LedgerFullness | undefined;
  for (const ledger of ledgers) {
    const bytes = ledgerItemBytes(ledger);
    if (fullest && bytes <= fullest.bytes) continue;
    fullest = {
      fy: ledger.fy,
      funder: ledger.funder,
      allocations: Object.keys(ledger.allocations).length,
      bytes,
      percent: Math.ceil((bytes / ITEM_LIMIT_BYTES) * 100),
    };
  }
  return fullest;
}
