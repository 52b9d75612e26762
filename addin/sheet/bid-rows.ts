/**
 * One Bids-table row ↔ one bid. Rows are plain arrays in column order; money leaves as pounds
 * numbers (penceToPoundsNumber) and comes back through parsePounds, never parseFloat.
 */
import { FUNDER_IDS, parsePounds, penceToPoundsNumber, type Bid, type FunderId, type Pence } from '../../domain';
import { isoToExcelSerial } from './excel-dates';
import { BID_COLUMNS, BID_HEADERS, columnIndex, letterOf, type CellValue, type ColumnKey } from './columns';

/** What one row of the sheet holds, whether it came from the API or was read back from Excel. */
export interface RowData {
  id: string;
  fy: string;
  title: string;
  leadOrganisation: string;
  scope: string;
  crimeTypes: string;
  status: string;
  requestedPence: Pence | null;
  /** The proposal in the sheet: pence, blank (null), or what the user typed when it is not an amount. */
  proposed: ProposedCell;
  recommendedPence: Pence | null;
  version: number | null;
  /** Excel date serial of the last change on the server, or '' when unknown. */
  updated: number | '';
  check: string;
  /** What the user typed in the input columns for Record decisions ('' when blank). */
  decision: DecisionInputs;
}

/** The Decision, Decision £ and Reference cells as typed: kept raw, validated when recorded. */
export interface DecisionInputs {
  action: string;
  amount: CellValue;
  reference: string;
}

export const NO_DECISION: DecisionInputs = { action: '', amount: '', reference: '' };

export const hasDecision = (row: RowData): boolean => row.decision.action !== '';

export type ProposedCell = { ok: true; pence: Pence | null } | { ok: false; raw: CellValue; message: string };

export const blankProposal: ProposedCell = { ok: true, pence: null };
export const proposalOf = (pence: Pence | null): ProposedCell => ({ ok: true, pence });

export function bidToRowData(
  bid: Bid,
  proposed: ProposedCell = proposalOf(bid.proposedPence),
  check = '',
  decision: DecisionInputs = NO_DECISION,
): RowData {
  return {
    id: bid.id,
    fy: bid.fy,
    title: bid.title,
    leadOrganisation: bid.leadOrganisation,
    scope: bid.scope,
    crimeTypes: bid.crimeTypes.join(', '),
    status: bid.status,
    requestedPence: bid.requestedPence,
    proposed,
    recommendedPence: bid.recommendedPence,
    version: bid.version,
    updated: isoToExcelSerial(bid.updatedAt),
    check,
    decision,
  };
}

const money = (pence: Pence | null): CellValue => (pence === null ? '' : penceToPoundsNumber(pence));

/**
 * The row's cells in column order. Share columns hold '' here: they are written as formulas
 * (shareFormula), so they re-split the moment a proposal changes.
 */
export function rowCells(row: RowData): CellValue[] {
  const byKey: Record<ColumnKey, CellValue> = {
    id: row.id,
    fy: row.fy,
    title: row.title,
    leadOrganisation: row.leadOrganisation,
    scope: row.scope,
    crimeTypes: row.crimeTypes,
    status: row.status,
    requested: money(row.requestedPence),
    proposed: row.proposed.ok ? money(row.proposed.pence) : row.proposed.raw,
    recommended: money(row.recommendedPence),
    check: row.check,
    version: row.version ?? '',
    updated: row.updated,
    decision: row.decision.action,
    decisionAmount: row.decision.amount,
    reference: row.decision.reference,
    ...(Object.fromEntries(FUNDER_IDS.map((f) => [`share:${f}`, ''])) as Record<`share:${FunderId}`, CellValue>),
  };
  return BID_COLUMNS.map((c) => byKey[c.key]);
}

/**
 * The live share formula of one row: the funded amount (recommended, else proposed, else
 * requested) split for the row's scope and FY by the add-in's own SHARE function.
 */
export function shareFormula(namespace: string, rowNumber: number, funder: FunderId): string {
  const cell = (key: ColumnKey) => `${letterOf(key)}${rowNumber}`;
  const amount = `IF(${cell('recommended')}<>"",${cell('recommended')},IF(${cell('proposed')}<>"",${cell('proposed')},${cell('requested')}))`;
  return `=${namespace}.SHARE(${amount},${cell('scope')},"${funder}",${cell('fy')})`;
}

/** Map header text → column index, so a read tolerates columns the user moved. */
export function headerIndex(headers: readonly unknown[]): Map<ColumnKey, number> {
  const index = new Map<ColumnKey, number>();
  for (const column of BID_COLUMNS) {
    const at = headers.findIndex((h) => typeof h === 'string' && h.trim() === column.header);
    if (at >= 0) index.set(column.key, at);
  }
  return index;
}

/** Headers the add-in cannot work without. */
export const REQUIRED_KEYS: readonly ColumnKey[] = ['id', 'proposed', 'version'];

export function missingHeaders(index: Map<ColumnKey, number>): string[] {
  return REQUIRED_KEYS.filter((k) => !index.has(k)).map((k) => BID_HEADERS[columnIndex(k)] as string);
}

const text = (value: unknown): string => (value === null || value === undefined ? '' : String(value)).trim();

function readPence(value: unknown): Pence | null {
  if (value === '' || value === null || value === undefined) return null;
  if (typeof value !== 'number' && typeof value !== 'string') return null;
  const parsed = parsePounds(value);
  return parsed.ok ? parsed.value : null;
}

/** Read what the user typed in a Proposed cell: blank, an amount in pounds, or a mistake to report. */
export function readProposed(value: unknown): ProposedCell {
  if (value === '' || value === null || value === undefined) return blankProposal;
  if (typeof value !== 'number' && typeof value !== 'string') {
    return { ok: false, raw: String(value), message: 'proposed must be an amount in pounds' };
  }
  if (typeof value === 'string' && value.trim() === '') return blankProposal;
  const parsed = parsePounds(value);
  return parsed.ok ? proposalOf(parsed.value) : { ok: false, raw: value, message: `proposed ${parsed.error.message}` };
}

/** One row read back from Excel (values in sheet order, mapped through the header index). */
export function readRow(cells: readonly unknown[], index: Map<ColumnKey, number>): RowData {
  const get = (key: ColumnKey): unknown => {
    const at = index.get(key);
    return at === undefined ? '' : cells[at];
  };
  const version = get('version');
  const updated = get('updated');
  return {
    id: text(get('id')),
    fy: text(get('fy')),
    title: text(get('title')),
    leadOrganisation: text(get('leadOrganisation')),
    scope: text(get('scope')),
    crimeTypes: text(get('crimeTypes')),
    status: text(get('status')),
    requestedPence: readPence(get('requested')),
    proposed: readProposed(get('proposed')),
    recommendedPence: readPence(get('recommended')),
    version: typeof version === 'number' && Number.isInteger(version) && version >= 1 ? version : null,
    updated: typeof updated === 'number' ? updated : '',
    check: text(get('check')),
    decision: { action: text(get('decision')), amount: amountCell(get('decisionAmount')), reference: text(get('reference')) },
  };
}

/** A Decision £ cell as typed: a number or text, kept as it is for the Record check to judge. */
function amountCell(value: unknown): CellValue {
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  return text(value);
}

export const proposedPenceOf = (row: RowData): Pence | null | undefined => (row.proposed.ok ? row.proposed.pence : undefined);
