/**
 * Costed action plans → bid create bodies (docs/design.md §7). Pure: a table of cells in, per row either
 * a valid `BidCreate` (submitted) or every failing field with a reason a person can act on.
 *
 * Header row (case-insensitive, trimmed): Title, Lead organisation, Scope, Crime types,
 * Cyber strands (optional), Financial year, Requested (£), Description (optional), Outcome measures
 * (optional: `measure:target unit; …`, see outcome-measures-cell.ts).
 */
import {
  bidCreateSchema,
  bidFieldIssues,
  fieldIssuesFromZod,
  funderName,
  isFunderId,
  LEAD_ORGANISATIONS,
  normaliseFinancialYear,
  parsePounds,
  SCOPES,
  scopeName,
  type BidCreate,
  type BidFields,
  type FieldIssue,
  type LeadOrganisationId,
  type Scope,
} from '../../domain';
import type { Cell, Table } from './intake-table';
import { parseMeasuresCell } from './outcome-measures-cell';

type Field =
  'title' | 'leadOrganisation' | 'scope' | 'crimeTypes' | 'cyberStrands' | 'fy' | 'requestedPence' | 'description' | 'outcomeMeasures';

interface Column {
  field: Field;
  /** How the report names it. */
  label: string;
  required: boolean;
  /** Accepted header spellings, already normalised. */
  headers: readonly string[];
}

export const INTAKE_COLUMNS: readonly Column[] = [
  { field: 'title', label: 'Title', required: true, headers: ['title'] },
  { field: 'leadOrganisation', label: 'Lead organisation', required: true, headers: ['lead organisation', 'lead organization'] },
  { field: 'scope', label: 'Scope', required: true, headers: ['scope'] },
  { field: 'crimeTypes', label: 'Crime types', required: true, headers: ['crime types', 'crime type'] },
  { field: 'cyberStrands', label: 'Cyber strands', required: false, headers: ['cyber strands', 'cyber strand'] },
  { field: 'fy', label: 'Financial year', required: true, headers: ['financial year'] },
  // "Requested (£)" as typed; also a £ sign lost to a non-UTF-8 save ("Requested (?)").
  { field: 'requestedPence', label: 'Requested (£)', required: true, headers: ['requested (£)', 'requested', 'requested £'] },
  { field: 'description', label: 'Description', required: false, headers: ['description'] },
  { field: 'outcomeMeasures', label: 'Outcome measures', required: false, headers: ['outcome measures', 'outcome measure'] },
];

/** The most data rows one file may hold; a larger file is refused whole. */
export const MAX_INTAKE_ROWS = 5_000;
/** How far down the sheet the header row may sit (title rows above it are allowed). */
const HEADER_SEARCH_ROWS = 20;

export interface RowIssue {
  /** The spreadsheet row (1-based), or null for the whole file. */
  row: number | null;
  field: string;
  value: string;
  reason: string;
}

export type ParsedRow = { row: number; ok: true; input: BidCreate } | { row: number; ok: false; issues: RowIssue[] };

export type ParsedFile = { ok: true; rows: ParsedRow[] } | { ok: false; issues: RowIssue[] };

const normaliseHeader = (text: string) => text.toLowerCase().replace(/\s+/g, ' ').trim();

function headerField(cell: Cell): Column | undefined {
  if (typeof cell !== 'string') return undefined;
  const header = normaliseHeader(cell);
  return (
    INTAKE_COLUMNS.find((c) => c.headers.includes(header)) ??
    (/^requested\b/.test(header) ? INTAKE_COLUMNS.find((c) => c.field === 'requestedPence') : undefined)
  );
}

function findHeader(table: Table): { found: true; index: number; columns: Map<Field, number> } | { found: false; missing: string[] } {
  let bestMissing: string[] | undefined;
  for (let index = 0; index < Math.min(table.length, HEADER_SEARCH_ROWS); index++) {
    const columns = new Map<Field, number>();
    (table[index] ?? []).forEach((cell, position) => {
      const column = headerField(cell);
      if (column && !columns.has(column.field)) columns.set(column.field, position);
    });
    if (columns.size === 0) continue;
    const missing = INTAKE_COLUMNS.filter((c) => c.required && !columns.has(c.field)).map((c) => c.label);
    if (missing.length === 0) return { found: true, index, columns };
    if (!bestMissing || missing.length < bestMissing.length) bestMissing = missing;
  }
  return { found: false, missing: bestMissing ?? INTAKE_COLUMNS.filter((c) => c.required).map((c) => c.label) };
}

/** Parse the first table (sheet) that has the header row. */
export function parseIntake(tables: readonly Table[]): ParsedFile {
  let firstFailure: ParsedFile | undefined;
  for (const table of tables) {
    const parsed = parseTable(table);
    if (parsed.ok) return parsed;
    firstFailure ??= parsed;
  }
  return firstFailure ?? fileIssue('the file is empty');
}

function fileIssue(reason: string): ParsedFile {
  return { ok: false, issues: [{ row: null, field: '(file)', value: '', reason }] };
}

function parseTable(table: Table): ParsedFile {
  const header = findHeader(table);
  if (!header.found) {
    return fileIssue(
      `no header row found: it must name the columns ${INTAKE_COLUMNS.map((c) => c.label).join(', ')}; missing ${header.missing.join(', ')}`,
    );
  }
  const dataRows = table.length - header.index - 1;
  if (dataRows > MAX_INTAKE_ROWS) {
    return fileIssue(`the file has ${dataRows} rows below the header; at most ${MAX_INTAKE_ROWS} are taken in one file: split it`);
  }
  const rows: ParsedRow[] = [];
  for (let index = header.index + 1; index < table.length; index++) {
    const cells = table[index] ?? [];
    if (cells.every((cell) => cell === undefined || (typeof cell === 'string' && cell.trim() === ''))) continue;
    rows.push(parseRow(index + 1, cells, header.columns));
  }
  if (rows.length === 0) return fileIssue('the file has a header row but no data rows');
  return { ok: true, rows };
}

const slug = (text: string) =>
  text
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');

/** Each organisation by its id, its display name and its name without a trailing "CSP", compared as slugs. */
const ORGANISATION_NAMES = new Map<string, LeadOrganisationId>(
  LEAD_ORGANISATIONS.flatMap((o) => [
    [slug(o.id), o.id],
    [slug(o.name), o.id],
    [slug(o.name.replace(/\s+CSP$/i, '')), o.id],
  ]),
);

/** Each scope by its id and its display name (domain/alliance.ts scopeName), compared as slugs. */
const SCOPE_NAMES = new Map<string, Scope>(
  SCOPES.flatMap((s) => [
    [slug(s), s] as const,
    [slug(scopeName(s)), s] as const,
    ...(isFunderId(s) ? [[slug(funderName(s)), s] as const] : []),
  ]),
);

const listOf = (text: string) =>
  text
    .split(/[,;]/)
    .map((part) => part.trim().toLowerCase())
    .filter((part) => part !== '');

const cellText = (cell: Cell): string =>
  cell === undefined ? '' : typeof cell === 'object' ? '' : typeof cell === 'number' ? String(cell) : cell;

function parseRow(row: number, cells: readonly Cell[], columns: Map<Field, number>): ParsedRow {
  const issues: RowIssue[] = [];
  const candidate: Record<string, unknown> = { submit: true };
  const labelOf = (field: Field) => INTAKE_COLUMNS.find((c) => c.field === field)?.label ?? field;
  const cellOf = (field: Field): Cell => {
    const position = columns.get(field);
    return position === undefined ? undefined : cells[position];
  };
  const fail = (field: Field, reason: string) => issues.push({ row, field: labelOf(field), value: cellText(cellOf(field)), reason });

  for (const column of INTAKE_COLUMNS) {
    const cell = cellOf(column.field);
    if (typeof cell === 'object') {
      fail(column.field, cell.error);
      continue;
    }
    const text = cellText(cell).trim();
    if (text === '') {
      if (column.required) fail(column.field, 'is empty');
      continue;
    }
    switch (column.field) {
      case 'title':
        candidate.title = text;
        break;
      case 'description':
        candidate.description = cellText(cell);
        break;
      case 'leadOrganisation': {
        const id = ORGANISATION_NAMES.get(slug(text));
        if (id) candidate.leadOrganisation = id;
        else fail('leadOrganisation', `is not a lead organisation; use one of ${LEAD_ORGANISATIONS.map((o) => o.name).join(', ')}`);
        break;
      }
      case 'scope': {
        const scope = SCOPE_NAMES.get(slug(text));
        if (scope) candidate.scope = scope;
        else fail('scope', `is not a scope; use one of ${SCOPES.join(', ')}`);
        break;
      }
      case 'crimeTypes':
        candidate.crimeTypes = listOf(text);
        break;
      case 'cyberStrands':
        candidate.cyberStrands = listOf(text);
        break;
      case 'fy': {
        const fy = normaliseFinancialYear(text);
        if (fy.ok) candidate.fy = fy.value;
        else fail('fy', fy.error.message);
        break;
      }
      case 'outcomeMeasures': {
        const measures = parseMeasuresCell(text);
        if (measures.ok) candidate.outcomeMeasures = measures.measures;
        else fail('outcomeMeasures', measures.reason);
        break;
      }
      case 'requestedPence': {
        // Numbers from xlsx cells and text from CSV both go through the exact converter.
        const pence = parsePounds(typeof cell === 'number' ? cell : text, { allowZero: false });
        if (pence.ok) candidate.requestedPence = pence.value;
        else fail('requestedPence', pence.error.message);
        break;
      }
    }
  }

  const parsed = bidCreateSchema.safeParse(candidate);
  if (parsed.success && issues.length === 0) return { row, ok: true, input: parsed.data };
  if (!parsed.success) {
    const already = new Set(issues.map((i) => i.field));
    const seen = new Set<string>();
    for (const issue of [...fieldIssuesFromZod(parsed.error), ...crossFieldIssues(candidate)]) {
      if (seen.has(`${issue.path}|${issue.message}`)) continue;
      seen.add(`${issue.path}|${issue.message}`);
      const field = issue.path.split('.')[0] as Field;
      const label = labelOf(field);
      // A field that was empty or failed conversion is not in the candidate: zod's "required" adds nothing.
      if (candidate[field] === undefined && already.has(label)) continue;
      issues.push({ row, field: label, value: cellText(cellOf(field)), reason: issue.message });
    }
  }
  // In column order, as a person reads the row.
  const order = (issue: RowIssue) => INTAKE_COLUMNS.findIndex((c) => c.label === issue.field);
  return { row, ok: false, issues: issues.sort((a, b) => order(a) - order(b)) };
}

/**
 * zod skips the cross-field rules when any enum field fails; a person fixing the row should see
 * them all at once. Each rule runs on its own fields when those are valid, with neutral values
 * for the rest, and only that rule's issues are kept.
 */
function crossFieldIssues(candidate: Record<string, unknown>): FieldIssue[] {
  const shape = bidCreateSchema.shape;
  const valid = (field: keyof typeof shape) => candidate[field] !== undefined && shape[field].safeParse(candidate[field]).success;
  const neutral: BidFields = {
    fy: '2025/26',
    title: 'x',
    // Any organisation: an alliance-wide bid may be led by any of them.
    leadOrganisation: LEAD_ORGANISATIONS[0]!.id,
    scope: 'alliance',
    crimeTypes: ['rural'],
    requestedPence: 1,
  };
  const issues: FieldIssue[] = [];
  if (valid('leadOrganisation') && valid('scope')) {
    const probe = { ...neutral, leadOrganisation: candidate.leadOrganisation, scope: candidate.scope } as BidFields;
    issues.push(...bidFieldIssues(probe).filter((i) => i.path === 'scope'));
  }
  if (valid('crimeTypes') && (candidate.cyberStrands === undefined || valid('cyberStrands'))) {
    const probe = { ...neutral, crimeTypes: candidate.crimeTypes, cyberStrands: candidate.cyberStrands } as BidFields;
    issues.push(...bidFieldIssues(probe).filter((i) => i.path === 'cyberStrands'));
  }
  return issues;
}
