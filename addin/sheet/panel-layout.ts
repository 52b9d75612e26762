/**
 * The Panel sheet's layout (docs/design.md §6), pure: the pack's tables (domain/panel-pack.ts)
 * stacked down the sheet, each under its title, with the cells, their number formats, the
 * Excel table over each and a chart beside the charted ones. panel-sheet.ts writes it.
 */
import {
  PANEL_AMOUNTS,
  panelTables,
  penceToPoundsNumber,
  type PanelCell,
  type PanelColumn,
  type PanelTable,
  type YearReport,
} from '../../domain';
import { columnLetter, MONEY_FORMAT, TEXT_FORMAT, type CellValue } from './columns';

export const PANEL_SHEET = 'Panel';
/** Excel table and chart names are the workbook's: prefixed so they never meet the user's own. */
export const PANEL_TABLE_PREFIX = 'FundsharePanel';
export const PANEL_CHART_PREFIX = 'FundsharePanelChart';
/** The column charts are placed from, right of the widest table. */
const CHART_COLUMN = 'K';
const CHART_END_COLUMN = 'S';
const CHART_ROWS = 16;

export interface PanelBlock {
  table: PanelTable;
  /** The Excel table's name and its range (header and rows), e.g. "A4:G7". */
  tableName: string;
  address: string;
  titleCell: string;
  headers: string[];
  values: CellValue[][];
  formats: string[][];
  chart?: PanelChartSpec;
}

export interface PanelChartSpec {
  name: string;
  title: string;
  /** The label column and the amounts: a part of the table's range. */
  source: string;
  /** Where the chart's top-left and bottom-right corners sit. */
  from: string;
  to: string;
}

export interface PanelLayout {
  fy: string;
  title: string;
  blocks: PanelBlock[];
  /** The whole area the layout fills (for widths). */
  lastColumn: string;
}

const FORMAT: Record<PanelColumn['kind'], string> = { text: TEXT_FORMAT, pounds: MONEY_FORMAT, count: '0' };

function cellValue(cell: PanelCell): CellValue {
  if (cell === null) return '';
  if (typeof cell === 'string') return cell;
  return 'pence' in cell ? penceToPoundsNumber(cell.pence) : cell.count;
}

/** An empty table still needs a row under its header in Excel. */
function rowsOf(table: PanelTable): PanelCell[][] {
  if (table.rows.length > 0) return table.rows;
  return [table.columns.map((_, i) => (i === 0 ? 'None yet' : null))];
}

export function panelLayout(report: YearReport): PanelLayout {
  const blocks: PanelBlock[] = [];
  let row = 3;
  for (const table of panelTables(report)) {
    const rows = rowsOf(table);
    const header = row + 1;
    const last = header + rows.length;
    const lastColumn = columnLetter(table.columns.length - 1);
    const block: PanelBlock = {
      table,
      tableName: `${PANEL_TABLE_PREFIX}${table.key}`,
      address: `A${header}:${lastColumn}${last}`,
      titleCell: `A${row}`,
      headers: table.columns.map((c) => c.header),
      values: rows.map((r) => r.map(cellValue)),
      formats: rows.map(() => table.columns.map((c) => FORMAT[c.kind])),
    };
    if (table.chart !== undefined) {
      block.chart = {
        name: `${PANEL_CHART_PREFIX}${table.key}`,
        title: table.chart,
        source: `A${header}:${columnLetter(PANEL_AMOUNTS.length)}${last}`,
        from: `${CHART_COLUMN}${row}`,
        to: `${CHART_END_COLUMN}${row + CHART_ROWS}`,
      };
    }
    blocks.push(block);
    // Room below for the next title, and for a chart beside this table.
    row = Math.max(last + 3, block.chart ? row + CHART_ROWS + 2 : 0);
  }
  const widest = Math.max(...blocks.map((b) => b.headers.length));
  return { fy: report.fy, title: `Fundshare panel pack ${report.fy}`, blocks, lastColumn: columnLetter(widest - 1) };
}
