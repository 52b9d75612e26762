/**
 * Monitoring returns through the intake (docs/sync.md, docs/design.md §1.4). Pure: a table of
 * cells in, per return either a valid filing or every failing field of its rows.
 *
 * Header row (case-insensitive, trimmed): Bid ID, Quarter, Spend to date (£), Measure, Actual,
 * RAG, Narrative. One row per measure: the rows of one bid and quarter make one return, and
 * must agree on its spend, RAG and narrative (Measure and Actual may be empty on a return with
 * no actuals).
 */
import { fieldIssuesFromZod, parsePounds, parseQuarter, quarterId, returnPutSchema, type ReturnPut } from '../../domain';
import type { Cell, Table } from './intake-table';
import type { RowIssue } from './intake-rows';

type Field = 'bidId' | 'quarter' | 'spendToDatePence' | 'measure' | 'actual' | 'rag' | 'narrative';

const COLUMNS: readonly { field: Field; label: string; required: boolean; headers: readonly string[] }[] = [
  { field: 'bidId', label: 'Bid ID', required: true, headers: ['bid id', 'bid'] },
  { field: 'quarter', label: 'Quarter', required: true, headers: ['quarter'] },
  {
    field: 'spendToDatePence',
    label: 'Spend to date (£)',
    required: true,
    headers: ['spend to date (£)', 'spend to date', 'spend to date £'],
  },
  { field: 'measure', label: 'Measure', required: false, headers: ['measure'] },
  { field: 'actual', label: 'Actual', required: false, headers: ['actual'] },
  { field: 'rag', label: 'RAG', required: true, headers: ['rag'] },
  { field: 'narrative', label: 'Narrative', required: true, headers: ['narrative'] },
];

/** The labels of the header, for messages and for recognising a returns file. */
export const RETURN_INTAKE_HEADER = COLUMNS.map((c) => c.label);

export interface ReturnFiling {
  /** The spreadsheet rows it was read from, first one first. */
  rows: number[];
  bidId: string;
  quarter: string;
  input: ReturnPut;
}

export interface ParsedReturns {
  filings: ReturnFiling[];
  issues: RowIssue[];
  /** Data rows in the file. */
  rows: number;
}

const normaliseHeader = (text: string) => text.toLowerCase().replace(/\s+/g, ' ').trim();
const headerField = (cell: Cell) =>
  typeof cell === 'string'
    ? (COLUMNS.find((c) => c.headers.includes(normaliseHeader(cell))) ??
      (/^spend to date\b/.test(normaliseHeader(cell)) ? COLUMNS.find((c) => c.field === 'spendToDatePence') : undefined))
    : undefined;
const cellText = (cell: Cell): string => (cell === undefined || typeof cell === 'object' ? '' : String(cell));

/** The header's position and columns when the table is a returns file (it names Bid ID and Quarter). */
export function findReturnsHeader(table: Table): { index: number; columns: Map<Field, number> } | undefined {
  for (let index = 0; index < Math.min(table.length, 20); index++) {
    const columns = new Map<Field, number>();
    (table[index] ?? []).forEach((cell, position) => {
      const column = headerField(cell);
      if (column && !columns.has(column.field)) columns.set(column.field, position);
    });
    if (columns.has('bidId') && columns.has('quarter')) return { index, columns };
  }
  return undefined;
}

/** Is this file a returns file rather than a bids file? */
export const isReturnsFile = (tables: readonly Table[]): boolean => tables.some((t) => findReturnsHeader(t) !== undefined);

interface GoodRow {
  row: number;
  bidId: string;
  quarter: string;
  spendToDatePence: number;
  measure?: { measure: string; value: number };
  rag: string;
  narrative: string;
}

export function parseReturnsIntake(tables: readonly Table[]): { ok: true; parsed: ParsedReturns } | { ok: false; issues: RowIssue[] } {
  const table = tables.find((t) => findReturnsHeader(t) !== undefined);
  const header = table ? findReturnsHeader(table) : undefined;
  if (!table || !header) return { ok: false, issues: [fileIssue(`no header row found: it must name ${RETURN_INTAKE_HEADER.join(', ')}`)] };
  const missing = COLUMNS.filter((c) => c.required && !header.columns.has(c.field)).map((c) => c.label);
  if (missing.length > 0)
    return { ok: false, issues: [fileIssue(`the header row must name ${RETURN_INTAKE_HEADER.join(', ')}; missing ${missing.join(', ')}`)] };

  const issues: RowIssue[] = [];
  const good: GoodRow[] = [];
  let rows = 0;
  for (let index = header.index + 1; index < table.length; index++) {
    const cells = table[index] ?? [];
    if (cells.every((cell) => cell === undefined || (typeof cell === 'string' && cell.trim() === ''))) continue;
    rows++;
    const parsed = parseRow(index + 1, cells, header.columns);
    if ('issues' in parsed) issues.push(...parsed.issues);
    else good.push(parsed);
  }
  if (rows === 0) return { ok: false, issues: [fileIssue('the file has a header row but no data rows')] };

  // Rows of one bid and quarter make one return; a bad row sinks its whole return.
  const groups = new Map<string, GoodRow[]>();
  for (const row of good) {
    const key = `${row.bidId} ${row.quarter}`;
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  const badKeys = new Set(
    issues.flatMap((i) => {
      const cells = i.row === null ? undefined : table[i.row - 1];
      const bidId = cellText(cells?.[header.columns.get('bidId') ?? -1]).trim();
      const quarter = parseQuarter(cellText(cells?.[header.columns.get('quarter') ?? -1]).toUpperCase());
      return quarter.ok ? [`${bidId} ${quarterId(quarter.value)}`] : [];
    }),
  );
  const filings: ReturnFiling[] = [];
  for (const [key, group] of groups) {
    const [first] = group as [GoodRow, ...GoodRow[]];
    const fail = (row: GoodRow, field: string, value: string, reason: string) => issues.push({ row: row.row, field, value, reason });
    if (badKeys.has(key)) {
      for (const row of group)
        fail(row, '(row)', '', `not filed: another row of the ${first.quarter} return for ${first.bidId} has errors`);
      continue;
    }
    let agrees = true;
    for (const row of group.slice(1)) {
      for (const [label, mine, theirs] of [
        ['Spend to date (£)', String(row.spendToDatePence), String(first.spendToDatePence)],
        ['RAG', row.rag, first.rag],
        ['Narrative', row.narrative, first.narrative],
      ] as const) {
        if (mine !== theirs) {
          fail(row, label, mine, `differs from row ${first.row}, the first row of the same return: one return has one ${label}`);
          agrees = false;
        }
      }
    }
    const input = {
      spendToDatePence: first.spendToDatePence,
      actuals: group.flatMap((r) => (r.measure ? [r.measure] : [])),
      rag: first.rag,
      narrative: first.narrative,
    };
    const checked = returnPutSchema.safeParse(input);
    if (!checked.success) {
      for (const issue of fieldIssuesFromZod(checked.error)) fail(first, issue.path, '', issue.message);
      agrees = false;
    }
    if (agrees && checked.success)
      filings.push({ rows: group.map((r) => r.row), bidId: first.bidId, quarter: first.quarter, input: checked.data });
  }
  return { ok: true, parsed: { filings, issues: issues.sort((a, b) => (a.row ?? 0) - (b.row ?? 0)), rows } };
}

function parseRow(row: number, cells: readonly Cell[], columns: Map<Field, number>): GoodRow | { issues: RowIssue[] } {
  const issues: RowIssue[] = [];
  const labelOf = (field: Field) => COLUMNS.find((c) => c.field === field)!.label;
  const cellOf = (field: Field): Cell => {
    const position = columns.get(field);
    return position === undefined ? undefined : cells[position];
  };
  const textOf = (field: Field) => cellText(cellOf(field)).trim();
  const fail = (field: Field, reason: string) => issues.push({ row, field: labelOf(field), value: cellText(cellOf(field)), reason });
  for (const column of COLUMNS) {
    const cell = cellOf(column.field);
    if (typeof cell === 'object') fail(column.field, cell.error);
    else if (column.required && textOf(column.field) === '') fail(column.field, 'is empty');
  }
  const bidId = textOf('bidId');
  if (bidId !== '' && !/^[A-Za-z0-9-]{1,64}$/.test(bidId)) fail('bidId', 'is not a bid id, e.g. FS-000042');
  // Quarters are read in any case: 2025-26-q1 is 2025-26-Q1.
  const quarter = parseQuarter(textOf('quarter').toUpperCase());
  if (textOf('quarter') !== '' && !quarter.ok) fail('quarter', 'must be a quarter like 2026-27-Q2');
  const spendCell = cellOf('spendToDatePence');
  const spend = typeof spendCell === 'number' ? parsePounds(spendCell) : parsePounds(textOf('spendToDatePence'));
  if (textOf('spendToDatePence') !== '' && !spend.ok) fail('spendToDatePence', spend.error.message);
  const rag = textOf('rag').toLowerCase();
  if (rag !== '' && !['green', 'amber', 'red'].includes(rag)) fail('rag', 'must be one of green, amber, red');
  const measure = textOf('measure');
  const actualText = textOf('actual').replace(/,/g, '');
  const actual = actualText === '' ? undefined : Number(actualText);
  if (measure !== '' && actual === undefined) fail('actual', 'is empty: a measure needs its actual');
  if (measure === '' && actual !== undefined) fail('measure', 'is empty: an actual needs its measure');
  if (actual !== undefined && !(Number.isFinite(actual) && actual >= 0)) fail('actual', 'must be a number, not negative');
  // In column order, as a person reads the row.
  const order = (issue: RowIssue) => COLUMNS.findIndex((c) => c.label === issue.field);
  if (issues.length > 0 || !quarter.ok || !spend.ok) return { issues: issues.sort((a, b) => order(a) - order(b)) };
  return {
    row,
    bidId,
    quarter: quarterId(quarter.value),
    spendToDatePence: spend.value,
    ...(measure !== '' && actual !== undefined ? { measure: { measure, value: actual } } : {}),
    rag,
    narrative: cellText(cellOf('narrative')),
  };
}

function fileIssue(reason: string): RowIssue {
  return { row: null, field: '(file)', value: '', reason };
}
