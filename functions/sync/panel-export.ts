/**
 * The panel pack's export (docs/design.md §7): fundshare-<fy>-panel.xlsx, one sheet per table of
 * the pack (domain/panel-pack.ts, the same tables and chart data as the add-in's Panel sheet),
 * beside the year's other exports. Text cells are inline strings: never a formula.
 */
import {
  buildYearReport,
  defaultCostShare,
  financialYearToPath,
  panelTables,
  penceToPoundsNumber,
  type PanelCell,
  type PanelTable,
  type YearReport,
} from '../../domain';
import { mapInParallel } from '../concurrency';
import type { UseCaseDeps } from '../use-cases/deps';
import { exportYear, fileStamp, LATEST_FOLDER, type ExportedFiles, type SnapshotTable, type YearSnapshot } from './export';
import type { FileArea } from './file-area';
import { writeXlsx, type XlsxWriteCell, type XlsxWriteSheet } from './xlsx/write-xlsx';

/** Each table's sheet name in the workbook (≤ 31 characters, unique). */
export const PANEL_EXPORT_SHEETS: Readonly<Record<PanelTable['key'], string>> = {
  ByFunder: 'By funder',
  ByOrganisation: 'By lead organisation',
  ByCrimeType: 'By crime type',
  ByCyberStrand: 'By cyber strand',
  OutcomeRag: 'Outcome RAG',
  Decisions: 'Decisions',
};

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function xlsxCell(cell: PanelCell): XlsxWriteCell {
  if (cell === null || typeof cell === 'string') return cell;
  return 'pence' in cell ? { number: penceToPoundsNumber(cell.pence), format: 'pounds' } : { number: cell.count };
}

export function panelSheets(report: YearReport): XlsxWriteSheet[] {
  return panelTables(report).map((table) => ({
    name: PANEL_EXPORT_SHEETS[table.key],
    columns: table.columns.map((c, i) => ({ header: c.header, width: i === 0 ? 28 : c.kind === 'text' ? 20 : 15 })),
    rows: table.rows.map((row) => row.map(xlsxCell)),
  }));
}

export function panelXlsx(report: YearReport, generatedAt: Date): Uint8Array {
  return writeXlsx(panelSheets(report), { creator: 'Fundshare sync', created: generatedAt });
}

/** Writes the pack stamped, then under latest/ (as exportYear does for the snapshot). */
export async function exportPanel(area: FileArea, report: YearReport, generatedAt: Date): Promise<ExportedFiles> {
  const name = `fundshare-${financialYearToPath(report.fy)}-panel`;
  const body = panelXlsx(report, generatedAt);
  const stamped = `${name}-${fileStamp(generatedAt)}.xlsx`;
  const latest = `${LATEST_FOLDER}/${name}.xlsx`;
  await area.write(stamped, body, XLSX_TYPE);
  await area.write(latest, body, XLSX_TYPE);
  return { files: [stamped], latest: [latest] };
}

/** Histories read at once, as the report's use case does. */
const HISTORY_CONCURRENCY = 8;

/**
 * The year's report as GET /years/{fy}/report builds it, from the snapshot's bids: reconcile has
 * just recorded every event missing from the audit trail, so the audit copies are whole and no
 * bid is read again (docs/design.md §7).
 */
async function reportOfSnapshot(fund: UseCaseDeps, snapshot: YearSnapshot): Promise<YearReport> {
  const [budget, returns, histories] = await Promise.all([
    fund.store.getBudget(snapshot.fy),
    fund.store.returnsOfYear(snapshot.fy),
    mapInParallel(snapshot.bids, HISTORY_CONCURRENCY, (bid) => fund.store.history(bid.id)),
  ]);
  return buildYearReport({
    fy: snapshot.fy,
    costShare: budget?.costShare ?? defaultCostShare(),
    bids: snapshot.bids,
    returns,
    events: histories.flat(),
  });
}

/** The year's snapshot exports, then its panel pack (docs/design.md §7). */
export async function exportYearWithPanel(
  fund: UseCaseDeps,
  area: FileArea,
  snapshot: YearSnapshot,
  tables: readonly SnapshotTable[],
  generatedAt: Date,
): Promise<ExportedFiles> {
  const exported = await exportYear(area, snapshot, tables, generatedAt);
  const panel = await exportPanel(area, await reportOfSnapshot(fund, snapshot), generatedAt);
  return { files: [...exported.files, ...panel.files], latest: [...exported.latest, ...panel.latest] };
}
