/**
 * The Payments sheet (docs/design.md §3.1): one row per instalment per funder, the cells each row
 * holds, and the PCC's releases read back from it with the local checks (naming the column) made
 * before anything is sent. Pure: addin/excel/payments-sheet.ts does the Office.js.
 */
import { funderName, penceToPoundsNumber, type Actor, type FunderId } from '../../domain';
import { columnLetter, TEXT_FORMAT, MONEY_FORMAT, type CellValue } from './columns';
import type { PaymentRow } from './payment-rows';

export const PAYMENTS_SHEET = 'Payments';
export const RELEASE = 'release';

/** Columns in order; `text` ones are text-formatted before they are filled (no formulas from the store). */
export const PAYMENT_COLUMNS = [
  { key: 'bidId', header: 'Bid ID', format: TEXT_FORMAT },
  { key: 'title', header: 'Title', format: TEXT_FORMAT },
  { key: 'instalment', header: 'Instalment', format: '0' },
  { key: 'due', header: 'Due', format: TEXT_FORMAT },
  { key: 'funder', header: 'Funder', format: TEXT_FORMAT },
  { key: 'amount', header: 'Amount £', format: MONEY_FORMAT },
  { key: 'paid', header: 'Paid', format: TEXT_FORMAT },
  { key: 'paidBy', header: 'Paid by', format: TEXT_FORMAT },
  { key: 'paidAt', header: 'Paid at', format: TEXT_FORMAT },
  { key: 'requiresReturn', header: 'Requires return', format: TEXT_FORMAT },
  { key: 'version', header: 'Version', format: '0' },
  { key: 'release', header: 'Release', format: TEXT_FORMAT },
  { key: 'result', header: 'Result', format: TEXT_FORMAT },
] as const;
export type PaymentColumnKey = (typeof PAYMENT_COLUMNS)[number]['key'];
export const PAYMENT_HEADERS: readonly string[] = PAYMENT_COLUMNS.map((c) => c.header);
export const paymentColumn = (key: PaymentColumnKey): number => PAYMENT_COLUMNS.findIndex((c) => c.key === key);
export const paymentLetter = (key: PaymentColumnKey): string => columnLetter(paymentColumn(key));

/** A row's identity across pulls: bid, instalment, funder. */
export const paymentKey = (bidId: string, instalment: number, funder: string): string => `${bidId}#${instalment}#${funder}`;

/** What the user may have typed on a row, kept across a pull or a push: the Release cell and its result. */
export interface RowInput {
  release: string;
  result: string;
}

/** The cells of every row, with each row's kept Release/Result (a paid part keeps no Release). */
export function paymentCells(rows: readonly PaymentRow[], inputs: ReadonlyMap<string, RowInput> = new Map()): CellValue[][] {
  return rows.map((r) => {
    const input = inputs.get(paymentKey(r.bidId, r.instalment, r.funder));
    return [
      r.bidId,
      r.title,
      r.instalment,
      r.due,
      r.funder,
      penceToPoundsNumber(r.partPence),
      r.paidAt ? 'yes' : 'no',
      r.paidBy ?? '',
      r.paidAt ?? '',
      r.requiresReturn ?? '',
      r.version,
      r.paidAt ? '' : (input?.release ?? ''),
      input?.result ?? '',
    ];
  });
}

/** Rows (0-based index into `rows`) where the actor may choose Release: its own funder's unpaid parts. */
export function releasableRows(rows: readonly PaymentRow[], actor: Actor | undefined): number[] {
  if (!actor?.roles.includes('pcc') || !actor.funder) return [];
  return rows.flatMap((r, i) => (r.funder === actor.funder && r.paidAt === null && r.partPence > 0 ? [i] : []));
}

/** One row as read back from the sheet. */
export interface SheetPaymentRow {
  /** 1-based sheet row. */
  row: number;
  cells: readonly CellValue[];
}

export interface ReleaseRequest {
  key: string;
  bidId: string;
  instalment: number;
  funder: FunderId;
  version: number;
}

export interface ReleaseSelection {
  releases: ReleaseRequest[];
  /** Rows refused before sending: key → the message naming the column. */
  refused: Map<string, string>;
  /** Every Release/Result typed on the sheet, to keep across the rewrite. */
  inputs: Map<string, RowInput>;
}

const text = (value: CellValue | undefined): string => (value === undefined ? '' : String(value).trim());

/** Read the Release choices; check each before sending (the column named in the message). */
export function selectReleases(rows: readonly SheetPaymentRow[], actor: Actor | undefined): ReleaseSelection {
  const selection: ReleaseSelection = { releases: [], refused: new Map(), inputs: new Map() };
  for (const { cells } of rows) {
    const cell = (key: PaymentColumnKey) => cells[paymentColumn(key)];
    const bidId = text(cell('bidId'));
    const instalment = Number(cell('instalment'));
    const funder = text(cell('funder'));
    const release = text(cell('release'));
    if (bidId === '') continue;
    const key = paymentKey(bidId, instalment, funder);
    selection.inputs.set(key, { release, result: text(cell('result')) });
    if (release === '') continue;
    const problem = releaseProblem(release, funder, text(cell('paid')), actor);
    const version = Number(cell('version'));
    if (problem) selection.refused.set(key, problem);
    else if (!Number.isInteger(instalment) || instalment < 1)
      selection.refused.set(key, 'Instalment: must be the instalment number from the pull');
    else if (!Number.isInteger(version) || version < 1) selection.refused.set(key, 'Version: must be the version from the pull');
    else selection.releases.push({ key, bidId, instalment, funder: funder as FunderId, version });
  }
  return selection;
}

function releaseProblem(release: string, funder: string, paid: string, actor: Actor | undefined): string | null {
  if (release.toLowerCase() !== RELEASE) return `Release: choose "${RELEASE}" or leave it blank`;
  if (!actor?.roles.includes('pcc') || !actor.funder) return 'Release: only a PCC releases its own funder’s part';
  if (funder !== actor.funder) return `Release: this part is ${funder}’s; you release only ${funderName(actor.funder)}’s`;
  if (paid === 'yes') return 'Release: this part is already paid';
  return null;
}
