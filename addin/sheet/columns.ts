/**
 * The Bids table's columns, derived from the alliance data: one share column per funder, so a
 * new funder is a config edit (domain/alliance.ts), not a code change here.
 */
import { FUNDERS, type FunderId } from '../../domain';

export type CellValue = string | number | boolean;

export type ColumnKind = 'text' | 'money' | 'share' | 'integer' | 'datetime';

export type ColumnKey =
  | 'id'
  | 'fy'
  | 'title'
  | 'leadOrganisation'
  | 'scope'
  | 'crimeTypes'
  | 'status'
  | 'requested'
  | 'proposed'
  | 'recommended'
  | `share:${FunderId}`
  | 'check'
  | 'version'
  | 'updated'
  | 'decision'
  | 'decisionAmount'
  | 'reference';

export interface BidColumn {
  key: ColumnKey;
  header: string;
  kind: ColumnKind;
  /** Column width in points. */
  widthPt: number;
}

export const BIDS_SHEET = 'Bids';
export const BIDS_TABLE = 'Bids';
export const BUDGET_SHEET = 'Budget';
/** A very hidden sheet holding what each row was when last pulled, so unsent edits survive a closed pane. */
export const STATE_SHEET = 'FundshareState';

export const BID_COLUMNS: readonly BidColumn[] = [
  { key: 'id', header: 'ID', kind: 'text', widthPt: 90 },
  { key: 'fy', header: 'FY', kind: 'text', widthPt: 50 },
  { key: 'title', header: 'Title', kind: 'text', widthPt: 220 },
  { key: 'leadOrganisation', header: 'Lead organisation', kind: 'text', widthPt: 120 },
  { key: 'scope', header: 'Scope', kind: 'text', widthPt: 80 },
  { key: 'crimeTypes', header: 'Crime types', kind: 'text', widthPt: 90 },
  { key: 'status', header: 'Status', kind: 'text', widthPt: 80 },
  { key: 'requested', header: 'Requested £', kind: 'money', widthPt: 85 },
  { key: 'proposed', header: 'Proposed £', kind: 'money', widthPt: 85 },
  { key: 'recommended', header: 'Recommended £', kind: 'money', widthPt: 90 },
  ...FUNDERS.map((f): BidColumn => ({ key: `share:${f.id}`, header: `${f.name} share £`, kind: 'share', widthPt: 100 })),
  { key: 'check', header: 'Check', kind: 'text', widthPt: 240 },
  { key: 'version', header: 'Version', kind: 'integer', widthPt: 50 },
  { key: 'updated', header: 'Updated', kind: 'datetime', widthPt: 100 },
  // Input columns for Record decisions: what the user decides, the amount (recommend) and the
  // decision notice or board minute. Last, so the columns above keep their letters.
  { key: 'decision', header: 'Decision', kind: 'text', widthPt: 95 },
  { key: 'decisionAmount', header: 'Decision £', kind: 'money', widthPt: 85 },
  { key: 'reference', header: 'Reference', kind: 'text', widthPt: 95 },
];

export const BID_HEADERS: readonly string[] = BID_COLUMNS.map((c) => c.header);

/** "@" makes Excel keep whatever is written as text: a title "=HYPERLINK(…)" never becomes a formula. */
export const TEXT_FORMAT = '@';
export const MONEY_FORMAT = '[$£-809]#,##0.00';
export const NUMBER_FORMATS: Readonly<Record<ColumnKind, string>> = {
  text: TEXT_FORMAT,
  money: MONEY_FORMAT,
  share: MONEY_FORMAT,
  integer: '0',
  datetime: 'yyyy-mm-dd hh:mm',
};

/** What the Check column says when a row passes. */
export const CHECK_OK = 'OK';

export function columnIndex(key: ColumnKey): number {
  const index = BID_COLUMNS.findIndex((c) => c.key === key);
  if (index < 0) throw new RangeError(`no column ${key}`);
  return index;
}

/** 0 → A, 25 → Z, 26 → AA. */
export function columnLetter(index: number): string {
  let n = index + 1;
  let letters = '';
  while (n > 0) {
    const rem = (n - 1) % 26;
    letters = String.fromCharCode(65 + rem) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}

/** Column letters of a key, e.g. proposed → I. */
export const letterOf = (key: ColumnKey): string => columnLetter(columnIndex(key));

/** Runs of adjacent columns that are written the same way (plain values, or share formulas). */
export interface ColumnSegment {
  first: number;
  last: number;
  formulas: boolean;
}

export function columnSegments(columns: readonly BidColumn[] = BID_COLUMNS): ColumnSegment[] {
  const segments: ColumnSegment[] = [];
  columns.forEach((column, index) => {
    const formulas = column.kind === 'share';
    const current = segments[segments.length - 1];
    if (current && current.formulas === formulas && current.last === index - 1) current.last = index;
    else segments.push({ first: index, last: index, formulas });
  });
  return segments;
}
