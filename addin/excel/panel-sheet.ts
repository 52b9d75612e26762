/**
 * The Panel sheet (docs/design.md §6): the panel pack's tables as Excel tables, and column
 * charts over the charted ones. Rewriting replaces the whole sheet, so no old table, chart or
 * cell of an earlier pack survives; text cells are text before they are filled (never formulas).
 */
import { PANEL_SHEET, type PanelBlock, type PanelLayout } from '../sheet/panel-layout';
import { TEXT_FORMAT } from '../sheet/columns';

/** The new sheet's name while the old one still exists (sheet names are unique). */
const PANEL_SHEET_NEXT = `${PANEL_SHEET} (new)`;

async function freshPanelSheet(context: Excel.RequestContext): Promise<Excel.Worksheet> {
  const worksheets = context.workbook.worksheets;
  const old = worksheets.getItemOrNullObject(PANEL_SHEET);
  old.load('isNullObject');
  await context.sync();
  if (old.isNullObject) return worksheets.add(PANEL_SHEET);
  // Add first: the last visible sheet of a workbook cannot be deleted. The old sheet takes its
  // tables and charts with it, which frees their names for the new ones.
  const sheet = worksheets.add(PANEL_SHEET_NEXT);
  old.delete();
  sheet.name = PANEL_SHEET;
  await context.sync();
  return sheet;
}

function writeBlock(sheet: Excel.Worksheet, block: PanelBlock): void {
  const title = sheet.getRange(block.titleCell);
  title.numberFormat = [[TEXT_FORMAT]];
  title.values = [[block.table.title]];
  title.format.font.bold = true;
  const [from, to] = block.address.split(':') as [string, string];
  const column = (cell: string) => cell.replace(/\d+$/, '');
  const row = (cell: string) => Number(cell.replace(/^[A-Z]+/, ''));
  const header = sheet.getRange(`${from}:${column(to)}${row(from)}`);
  header.numberFormat = [block.headers.map(() => TEXT_FORMAT)];
  header.values = [block.headers];
  const body = sheet.getRange(`${column(from)}${row(from) + 1}:${to}`);
  // Formats first: a title such as "=…" lands as text.
  body.numberFormat = block.formats;
  body.values = block.values;
  const table = sheet.tables.add(block.address, true);
  table.name = block.tableName;
  table.style = 'TableStyleMedium2';
  if (block.chart) {
    const chart = sheet.charts.add('ColumnClustered', sheet.getRange(block.chart.source), 'Columns');
    chart.name = block.chart.name;
    chart.title.text = block.chart.title;
    chart.setPosition(block.chart.from, block.chart.to);
  }
}

export async function writePanelSheet(context: Excel.RequestContext, layout: PanelLayout, readAt: Date): Promise<void> {
  const sheet = await freshPanelSheet(context);
  sheet.getRange('A1:A2').numberFormat = [[TEXT_FORMAT], [TEXT_FORMAT]];
  sheet.getRange('A1:A2').values = [[layout.title], [`Read at ${readAt.toISOString().replace('T', ' ').slice(0, 16)} UTC`]];
  sheet.getRange('A1').format.font.bold = true;
  sheet.getRange('A1').format.font.size = 14;
  for (const block of layout.blocks) writeBlock(sheet, block);
  sheet.getRange('A:A').format.columnWidth = 160;
  sheet.getRange(`B:${layout.lastColumn}`).format.columnWidth = 95;
  sheet.activate();
  await context.sync();
}
