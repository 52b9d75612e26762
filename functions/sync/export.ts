/**
 * Export: a snapshot of one financial year's bids, allocations, ledgers, budget changes,
 * declarations of interest, payments and monitoring returns for the central reporting store
 * (docs/design.md §7), as
 *   fundshare-<fy>-<UTC stamp>.xlsx            one sheet per table (Bids … Returns), £ formats
 *   fundshare-<fy>-<UTC stamp>.<table>.csv     one CSV per table (a CSV holds one table), neutralised
 *   fundshare-<fy>-<UTC stamp>.jsonl           one JSON object a line, amounts in pence
 * plus the same under latest/fundshare-<fy>.* , each replaced whole (atomic per file).
 */
import { createHash } from 'node:crypto';
import {
  financialYearToPath,
  FUNDERS,
  penceToPoundsNumber,
  type Bid,
  type BudgetEvent,
  type Declaration,
  type MonitoringReturn,
} from '../../domain';
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
/** What one financial year's snapshot holds. */
export interface YearSnapshot {
  fy: string;
  bids: readonly Bid[];
  ledgers: readonly Ledger[];
  /** Every change to the year's fund, pots and cost share (who, when, before, after). */
  budgetEvents: readonly BudgetEvent[];
  /** The year's register of interests. */
  declarations: readonly Declaration[];
  /** The year's monitoring returns (docs/design.md §1.4). */
  returns: readonly MonitoringReturn[];
}

export interface SnapshotTable {
  name: 'Bids' | 'Allocations' | 'Ledgers' | 'Budget changes' | 'Declarations' | 'Payments' | 'Returns';
  columns: Column[];
  rows: CsvCell[][];
}

const text = (header: string, width = 16): Column => ({ header, kind: 'text', width });
const pounds = (header: string): Column => ({ header, kind: 'pounds', width: 15 });
const money = (pence: number | null | undefined): CsvCell => (pence === null || pence === undefined ? null : { pence });

/** Basis points as a percentage number (6900 → 69). */
const percent = (basisPoints: number | undefined): CsvCell => (basisPoints === undefined ? null : { count: basisPoints / 100 });

export function snapshotTables({ bids, ledgers, budgetEvents, declarations, returns }: YearSnapshot): SnapshotTable[] {
  const bidsById = new Map(bids.map((b) => [b.id, b]));
  const sortedBids = [...bids].sort((a, b) => a.id.localeCompare(b.id));
  const sortedLedgers = [...ledgers].sort((a, b) => a.funder.localeCompare(b.funder));
  const sortedEvents = [...budgetEvents].sort((a, b) => a.at.localeCompare(b.at) || a.requestId.localeCompare(b.requestId));
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
        text('Board reference', 20),
        ...FUNDERS.map((f) => text(`${f.name} decision notice`, 20)),
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
        bid.decisionReferences?.board ?? null,
        ...FUNDERS.map((f) => bid.decisionReferences?.[f.id] ?? null),
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
        pounds('Paid (£)'),
        pounds('Returned (£)'),
        pounds('Clawback due (£)'),
        text('State', 10),
        text('By'),
        text('At', 24),
        text('Request ID', 40),
      ],
      rows: sortedLedgers.flatMap((ledger) =>
        Object.entries(ledger.allocations)
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([bidId, a]) => {
            // Underspend and clawback are the bid's, per funder (docs/design.md §3.1); absent means 0.
            const bid = bidsById.get(bidId);
            const ofBid = (amounts: Bid['returned']) => (bid ? money(amounts?.[ledger.funder] ?? 0) : null);
            return [
              ledger.fy,
              ledger.funder,
              bidId,
              money(a.sharePence),
              money(a.paidPence ?? 0),
              ofBid(bid?.returned),
              ofBid(bid?.clawbackDue),
              a.state,
              a.by,
              a.at,
              a.requestId,
            ];
          }),
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
    {
      name: 'Budget changes',
      columns: [
        text('At', 24),
        text('By'),
        text('Role', 10),
        pounds('Fund before (£)'),
        pounds('Fund after (£)'),
        ...FUNDERS.flatMap((f) => [pounds(`${f.name} pot before (£)`), pounds(`${f.name} pot after (£)`)]),
        ...FUNDERS.flatMap((f) => [
          { header: `${f.name} cost share before (%)`, kind: 'count' as const, width: 12 },
          { header: `${f.name} cost share after (%)`, kind: 'count' as const, width: 12 },
        ]),
        text('Request ID', 40),
      ],
      rows: sortedEvents.map((e) => [
        e.at,
        e.actor,
        e.role,
        money(e.before?.fundPence),
        money(e.after.fundPence),
        ...FUNDERS.flatMap((f) => [money(e.before?.pots[f.id]), money(e.after.pots[f.id])]),
        ...FUNDERS.flatMap((f) => [percent(e.before?.costShare[f.id]), percent(e.after.costShare[f.id])]),
        e.requestId,
      ]),
    },
    {
      name: 'Declarations',
      columns: [
        text('ID', 40),
        text('Declared at', 24),
        text('Member'),
        text('Bid ID', 12),
        text('Lead organisation', 22),
        text('Nature', 40),
        text('Recorded by'),
      ],
      rows: [...declarations]
        .sort((a, b) => a.declaredAt.localeCompare(b.declaredAt) || a.id.localeCompare(b.id))
        .map((d) => [d.id, d.declaredAt, d.member, d.bidId ?? null, d.leadOrganisation ?? null, d.nature, d.declaredBy]),
    },
    paymentsTable(sortedBids),
    returnsTable(returns),
  ];
}

/** One row per instalment per funder with a part in it (docs/design.md §3.1), by bid, instalment, funder. */
export function paymentsTable(sortedBids: readonly Bid[]): SnapshotTable {
  return {
    name: 'Payments',
    columns: [
      text('Financial year', 10),
      text('Bid ID', 12),
      { header: 'Instalment', kind: 'count', width: 10 },
      text('Due', 12),
      pounds('Instalment (£)'),
      text('Funder', 14),
      pounds('Part (£)'),
      text('Paid at', 24),
      text('Paid by'),
      text('Requires return', 14),
    ],
    rows: sortedBids.flatMap((bid) =>
      (bid.payments ?? []).flatMap((instalment, index) =>
        FUNDERS.filter((f) => instalment.parts[f.id] !== undefined).map((f): CsvCell[] => [
          bid.fy,
          bid.id,
          { count: index + 1 },
          instalment.due,
          money(instalment.amountPence),
          f.id,
          money(instalment.parts[f.id]),
          instalment.paid[f.id] ?? null,
          instalment.paidBy?.[f.id] ?? null,
          instalment.requiresReturn ?? null,
        ]),
      ),
    ),
  };
}

/** The latest event of one kind in a return's own history. */
const lastEvent = (r: MonitoringReturn, action: 'accept' | 'return') => r.history.filter((e) => e.action === action).at(-1);

/** One row per monitoring return (docs/design.md §1.4), by bid then quarter; actuals as `measure: value; …`. */
export function returnsTable(returns: readonly MonitoringReturn[]): SnapshotTable {
  return {
    name: 'Returns',
    columns: [
      text('Financial year', 10),
      text('Bid ID', 12),
      text('Quarter', 12),
      text('Status', 10),
      text('Due on', 12),
      pounds('Spend to date (£)'),
      text('RAG', 8),
      text('Narrative', 60),
      text('Actuals', 40),
      text('Submitted at', 24),
      text('Submitted by'),
      text('Accepted at', 24),
      text('Accepted by'),
      text('Sent back at', 24),
      text('Sent back by'),
      text('Sent back reason', 40),
      { header: 'Version', kind: 'count', width: 8 },
    ],
    rows: [...returns]
      .sort((a, b) => a.bidId.localeCompare(b.bidId) || a.quarter.localeCompare(b.quarter))
      .map((r) => {
        const accepted = lastEvent(r, 'accept');
        const sentBack = lastEvent(r, 'return');
        return [
          r.fy,
          r.bidId,
          r.quarter,
          r.status,
          r.dueOn,
          money(r.spendToDatePence),
          r.rag,
          r.narrative,
          r.actuals.map((a) => `${a.measure}: ${a.value}`).join('; '),
          r.filedAt,
          r.filedBy,
          accepted?.at ?? null,
          accepted?.actor ?? null,
          sentBack?.at ?? null,
          sentBack?.actor ?? null,
          sentBack?.reason ?? null,
          { count: r.version },
        ];
      }),
  };
}

/** "Budget changes" → "budget-changes", for file names. */
const tableFileName = (table: SnapshotTable) => table.name.toLowerCase().replace(/\s+/g, '-');

/** What the snapshot says, without when it was taken: equal digests mean nothing to export. */
export function snapshotDigest(tables: readonly SnapshotTable[]): string {
  return createHash('sha256')
    .update(JSON.stringify(tables.map((t) => t.rows)))
    .digest('hex');
}

export function snapshotJsonl(generatedAt: string, { fy, bids, ledgers, budgetEvents, declarations, returns }: YearSnapshot): string {
  const lines: unknown[] = [
    {
      type: 'snapshot',
      fy,
      generatedAt,
      bids: bids.length,
      ledgers: ledgers.length,
      budgetEvents: budgetEvents.length,
      declarations: declarations.length,
      returns: returns.length,
    },
    ...[...bids].sort((a, b) => a.id.localeCompare(b.id)).map((bid) => ({ type: 'bid', ...bid })),
    ...ledgers.flatMap((l) =>
      Object.entries(l.allocations).map(([bidId, a]) => ({ type: 'allocation', fy: l.fy, funder: l.funder, bidId, ...a })),
    ),
    ...ledgers.map(({ allocations: _allocations, ...totals }) => ({ type: 'ledger', ...totals })),
    ...[...budgetEvents].sort((a, b) => a.at.localeCompare(b.at)).map((event) => ({ type: 'budget-event', ...event })),
    ...[...declarations].sort((a, b) => a.declaredAt.localeCompare(b.declaredAt)).map((d) => ({ type: 'declaration', ...d })),
    // Instalments stay inside their bid's line (payments); returns get lines of their own.
    ...[...returns]
      .sort((a, b) => a.bidId.localeCompare(b.bidId) || a.quarter.localeCompare(b.quarter))
      .map((r) => ({ type: 'return', ...r })),
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

/** Writes the snapshot; `tables` are snapshotTables(snapshot), already built for its digest. */
export async function exportYear(
  area: FileArea,
  snapshot: YearSnapshot,
  tables: readonly SnapshotTable[],
  generatedAt: Date,
): Promise<ExportedFiles> {
  const base = `fundshare-${financialYearToPath(snapshot.fy)}`;
  const outputs: { suffix: string; body: Uint8Array | string; type: string }[] = [
    {
      suffix: '.xlsx',
      body: snapshotXlsx(tables, generatedAt),
      type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    },
    ...tables.map((t) => ({
      suffix: `.${tableFileName(t)}.csv`,
      body: toCsv(
        t.columns.map((c) => c.header),
        t.rows,
      ),
      type: 'text/csv; charset=utf-8',
    })),
    { suffix: '.jsonl', body: snapshotJsonl(generatedAt.toISOString(), snapshot), type: 'application/x-ndjson' },
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
