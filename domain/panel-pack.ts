/**
 * The panel pack's tables (docs/design.md §1.4, §6, §7), pure: what the add-in's Panel sheet and
 * the sync's fundshare-<fy>-panel.xlsx both show from the year's report. Cells are text, counts
 * or pence; each writer turns pence into pounds and keeps text as text (never a formula).
 */
import { funderName, organisationName } from './funders';
import type { Pence } from './money';
import type { ReportTotals, YearReport } from './schemas/year-report';

export type PanelCell = string | { count: number } | { pence: Pence } | null;

export interface PanelColumn {
  header: string;
  kind: 'text' | 'count' | 'pounds';
}

export interface PanelTable {
  /** A stable name: the Excel table's name in the add-in, the sheet's in the export. */
  key: 'ByFunder' | 'ByOrganisation' | 'ByCrimeType' | 'ByCyberStrand' | 'OutcomeRag' | 'Decisions';
  title: string;
  columns: PanelColumn[];
  rows: PanelCell[][];
  /** Charted (by area, by crime type): the label column and the PANEL_AMOUNTS columns after it. */
  chart?: string;
}

/**
 * The money columns of the totals tables, in order: the one place to add an amount (a charted
 * series in the add-in, a column in both). Each is a ReportTotals field in pence.
 */
export const PANEL_AMOUNTS: readonly { key: keyof ReportTotals; header: string }[] = [
  { key: 'requestedPence', header: 'Requested £' },
  { key: 'recommendedPence', header: 'Recommended £' },
  { key: 'approvedPence', header: 'Approved £' },
  { key: 'paidPence', header: 'Paid £' },
  { key: 'returnedPence', header: 'Returned £' },
];

const capitalised = (id: string) => id.charAt(0).toUpperCase() + id.slice(1).replace(/-/g, ' ');

function totalsTable(
  key: PanelTable['key'],
  title: string,
  label: string,
  rows: readonly { name: string; totals: ReportTotals }[],
  chart?: string,
): PanelTable {
  return {
    key,
    title,
    columns: [
      { header: label, kind: 'text' },
      ...PANEL_AMOUNTS.map((a) => ({ header: a.header, kind: 'pounds' as const })),
      { header: 'Reported spend £', kind: 'pounds' },
      { header: 'Bids', kind: 'count' },
    ],
    rows: rows.map((r) => [
      r.name,
      ...PANEL_AMOUNTS.map((a) => ({ pence: r.totals[a.key] })),
      { pence: r.totals.reportedSpendPence },
      { count: r.totals.bids },
    ]),
    ...(chart !== undefined ? { chart } : {}),
  };
}

export function panelTables(report: YearReport): PanelTable[] {
  const rag = report.outcomeRag;
  return [
    totalsTable(
      'ByFunder',
      `By funder (area), ${report.fy}`,
      'Funder',
      report.byFunder.map((r) => ({ name: funderName(r.funder), totals: r.totals })),
      `By area, ${report.fy}`,
    ),
    totalsTable(
      'ByOrganisation',
      'By lead organisation',
      'Lead organisation',
      report.byLeadOrganisation.map((r) => ({ name: organisationName(r.leadOrganisation), totals: r.totals })),
    ),
    totalsTable(
      'ByCrimeType',
      'By crime type',
      'Crime type',
      report.byCrimeType.map((r) => ({ name: capitalised(r.crimeType), totals: r.totals })),
      `By crime type, ${report.fy}`,
    ),
    totalsTable(
      'ByCyberStrand',
      'By cyber strand (the 4 Ps)',
      'Cyber strand',
      report.byCyberStrand.map((r) => ({ name: capitalised(r.cyberStrand), totals: r.totals })),
    ),
    {
      key: 'OutcomeRag',
      title: 'Outcomes: approved or released bids by the RAG of their latest return',
      columns: [
        { header: 'RAG', kind: 'text' },
        { header: 'Bids', kind: 'count' },
      ],
      rows: [
        ['Green', { count: rag.green }],
        ['Amber', { count: rag.amber }],
        ['Red', { count: rag.red }],
        ['No return yet', { count: rag.none }],
      ],
    },
    {
      key: 'Decisions',
      title: 'Decisions',
      columns: [
        { header: 'Bid ID', kind: 'text' },
        { header: 'Title', kind: 'text' },
        { header: 'Decision', kind: 'text' },
        { header: 'Funder', kind: 'text' },
        { header: 'Amount £', kind: 'pounds' },
        { header: 'Reference', kind: 'text' },
        { header: 'At', kind: 'text' },
        { header: 'By', kind: 'text' },
        { header: 'Reason', kind: 'text' },
      ],
      rows: report.decisions.map((d) => [
        d.bidId,
        d.title,
        d.action,
        d.funder !== undefined ? funderName(d.funder) : null,
        d.amountPence !== undefined && d.amountPence !== null ? { pence: d.amountPence } : null,
        d.reference ?? null,
        d.at,
        d.actor,
        d.reason ?? null,
      ]),
    },
  ];
}
