/**
 * Export: a snapshot of one financial year's bids, allocations and ledgers for the central
 * reporting store (DESIGN §7), as
 *   fundshare-<fy>-<UTC stamp>.xlsx            sheets Bids, Allocations and Ledgers, £ formats
 *   fundshare-<fy>-<UTC stamp>.<table>.csv     one CSV per table (a CSV holds one table), neutralised
 *   fundshare-<fy>-<UTC stamp>.jsonl           one JSON object a line, amounts in pence
 * plus the same under latest/fundshare-<fy>.* , each replaced whole (atomic per file).
 */
import { createHash } from 'node:crypto';
import { financialYearToPath, FUNDERS, penceToPoundsNumber, type Bid } from '../../domain';
import type { Ledger } from '../store/types';
import { toCsv, type CsvCell } from './csv-writer';
import type { FileArea } from './file-area';
import { writeXlsx } from './xlsx/write-xlsx';

export const LATEST_FOLDER = 'latest';

type ColumnKind = 'text' | 'pounds' | 'count';
interface Column {
  header: string;
  kind: ColumnKind;
  width: number;
}
export interface SnapshotTable {
  name: 'Bids' | 'Allocations' | 'Ledgers';
  columns: Column[];
  rows: CsvCell[][];
}

const text = (header: string, width = 16): Column => ({ header, kind: 'text', width });
const pounds = (header: string): Column => ({ header, kind: 'pounds', width: 15 });
const money = (pence: number | null | undefined): CsvCell => (pence === null || pence === undefined ? null : { pence });

export function snapshotTables(bids: readonly Bid[], ledgers: readonly Ledger[]): SnapshotTable[] {
  const sortedBids = [...bids].sort((a, b) => a.id.localeCompare(b.id));
  const sortedLedgers = [...ledgers].sort((a, b) => a.funder.localeCompare(b.funder));
  return [
    {
      name: 'Bids',
      columns: [
        text('ID', 12),
        text('Financial year', 10),
        text('Title', 40),
        text('Lead organisation', 22),
        text('Scope', 14),
        text('Crime types'),
        text('Cyber strands'),
        text('Status', 14),
        pounds('Requested (£)'),
        pounds('Proposed (£)'),
        pounds('Recommended (£)'),
        ...FUNDERS.flatMap((f) => [pounds(`${f.name} share (£)`), text(`${f.name} decision`, 12)]),
        { header: 'Version', kind: 'count', width: 8 },
        text('Created at', 24),
        text('Created by'),
        text('Updated at', 24),
        text('Updated by'),
        text('Description', 60),
      ],
      rows: sortedBids.map((bid) => [
        bid.id,
        bid.fy,
        bid.title,
        bid.leadOrganisation,
        bid.scope,
        bid.crimeTypes.join(', '),
        (bid.cyberStrands ?? []).join(', '),
        bid.status,
        money(bid.requestedPence),
        money(bid.proposedPence),
        money(bid.recommendedPence),
        ...FUNDERS.flatMap((f) => [money(bid.shares[f.id]), bid.decisions[f.id] ?? null]),
        { count: bid.version },
        bid.createdAt,
        bid.createdBy,
        bid.updatedAt,
        bid.updatedBy,
        bid.description ?? null,
      ]),
    },
    {
      name: 'Allocations',
      columns: [
        text('Financial year', 10),
        text('Funder', 14),
        text('Bid ID', 12),
        pounds('Share (£)'),
        text('State', 10),
        text('By'),
        text('At', 24),
        text('Request ID', 40),
      ],
      rows: sortedLedgers.flatMap((ledger) =>
        Object.entries(ledger.allocations)
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([bidId, a]) => [ledger.fy, ledger.funder, bidId, money(a.sharePence), a.state, a.by, a.at, a.requestId]),
      ),
    },
    {
      name: 'Ledgers',
      columns: [
        text('Financial year', 10),
        text('Funder', 14),
        pounds('Pot (£)'),
        pounds('Committed (£)'),
        pounds('Released (£)'),
        pounds('Remaining (£)'),
        { header: 'Allocations', kind: 'count', width: 12 },
      ],
      rows: sortedLedgers.map((l) => [
        l.fy,
        l.funder,
        money(l.potPence),
        money(l.committedPence),
        money(l.releasedPence),
        money(l.remainingPence),
        { count: Object.keys(l.allocations).length },
      ]),
    },
  ];
}

/** What the snapshot says, without when it was taken: equal digests mean nothing to export. */
export function snapshotDigest(bids: readonly Bid[], ledgers: readonly Ledger[]): string {
  return createHash('sha256')
    .update(JSON.stringify(snapshotTables(bids, ledgers).map((t) => t.rows)))
    .digest('hex');
}

export function snapshotJsonl(fy: string, generatedAt: string, bids: readonly Bid[], ledgers: readonly Ledger[]): string {
  const lines: unknown[] = [
    { type: 'snapshot', fy, generatedAt, bids: bids.length, ledgers: ledgers.length },
    ...[...bids].sort((a, b) => a.id.localeCompare(b.id)).map((bid) => ({ type: 'bid', ...bid })),
    ...ledgers.flatMap((l) =>
      Object.entries(l.allocations).map(([bidId, a]) => ({ type: 'allocation', fy: l.fy, funder: l.funder, bidId, ...a })),
    ),
    ...ledgers.map(({ allocations: _allocations, ...totals }) => ({ type: 'ledger', ...totals })),
  ];
  return lines.map((line) => JSON.stringify(line)).join('\n') + '\n';
}

export function snapshotXlsx(tables: readonly SnapshotTable[], generatedAt: Date): Uint8Array {
  return writeXlsx(
    tables.map((table) => ({
      name: table.name,
      columns: table.columns.map((c) => ({ header: c.header, width: c.width })),
      rows: table.rows.map((row) =>
        row.map((value) => {
          if (value === null || value === undefined || typeof value === 'string') return value;
          return 'pence' in value ? { number: penceToPoundsNumber(value.pence), format: 'pounds' as const } : { number: value.count };
        }),
      ),
    })),
    { creator: 'Fundshare sync', created: generatedAt },
  );
}

export interface ExportedFiles {
  files: string[];
  latest: string[];
}

/** 2026-11-29T18:43:31.562Z → 20261129T184331.562Z (to the millisecond: runs a second apart never collide). */
export function fileStamp(at: Date): string {
  return at.toISOString().replace(/[-:]/g, '');
}

export async function exportYear(
  area: FileArea,
  fy: string,
  bids: readonly Bid[],
  ledgers: readonly Ledger[],
  generatedAt: Date,
): Promise<ExportedFiles> {
  const base = `fundshare-${financialYearToPath(fy)}`;
  const tables = snapshotTables(bids, ledgers);
  const outputs: { suffix: string; body: Uint8Array | string; type: string }[] = [
    {
      suffix: '.xlsx',
      body: snapshotXlsx(tables, generatedAt),
      type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    },
    ...tables.map((t) => ({
      suffix: `.${t.name.toLowerCase()}.csv`,
      body: toCsv(
        t.columns.map((c) => c.header),
        t.rows,
      ),
      type: 'text/csv; charset=utf-8',
    })),
    { suffix: '.jsonl', body: snapshotJsonl(fy, generatedAt.toISOString(), bids, ledgers), type: 'application/x-ndjson' },
  ];
  const stamped = `${base}-${fileStamp(generatedAt)}`;
  const files: string[] = [];
  const latest: string[] = [];
  // Timestamped files first; latest/ only once the whole snapshot exists.
  for (const o of outputs) {
    await area.write(`${stamped}${o.suffix}`, o.body, o.type);
    files.push(`${stamped}${o.suffix}`);
  }
  for (const o of outputs) {
    await area.write(`${LATEST_FOLDER}/${base}${o.suffix}`, o.body, o.type);
    latest.push(`${LATEST_FOLDER}/${base}${o.suffix}`);
  }
  return { files, latest };
}
