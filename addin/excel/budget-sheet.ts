/**
 * The Budget sheet: per funder pot, committed, pending, proposed in the sheet, remaining, what
 * stays free if everything goes ahead, the headroom warning, and a chart. Two or three syncs.
 */
import { penceToPoundsNumber, type Pence } from '../../domain';
import type { BudgetSummary } from '../sheet/budget-summary';
import type { FunderPayments } from '../sheet/payment-rows';
import { dateToExcelSerial } from '../sheet/excel-dates';
import { BUDGET_SHEET, MONEY_FORMAT, TEXT_FORMAT, type CellValue } from '../sheet/columns';

export const BUDGET_CHART = 'FundshareBudgetChart';
export const BUDGET_HEADERS = [
  'Funder',
  'Committed £',
  'Pending £',
  'Proposed in sheet £',
  'Free if all go ahead £',
  'Pot £',
  'Remaining £',
  'Released £',
  'Headroom',
  'Paid to date £',
  'Due this quarter £',
  'Returned £',
  'Clawback due £',
] as const;
const LAST = 'M';
/** Rows the sheet's own block may use; cleared before each write. */
const BLOCK_ROWS = 40;

const pounds = (pence: Pence): number => penceToPoundsNumber(pence);
/** Columns J–M: the money after approval (docs/design.md §3.1). */
const paymentCells = (f: FunderPayments): number[] => [
  pounds(f.paidPence),
  pounds(f.dueThisQuarterPence),
  pounds(f.returnedPence),
  pounds(f.clawbackDuePence),
];

export interface BudgetSheetOptions {
  /** When the numbers were read, shown on the sheet. */
  readAt: Date;
}

export async function writeBudgetSheet(context: Excel.RequestContext, summary: BudgetSummary, options: BudgetSheetOptions): Promise<void> {
  const existing = context.workbook.worksheets.getItemOrNullObject(BUDGET_SHEET);
  existing.load('isNullObject');
  await context.sync();
  const sheet = existing.isNullObject ? context.workbook.worksheets.add(BUDGET_SHEET) : existing;
  if (!existing.isNullObject) {
    // Replace our chart, never anyone else's.
    const old = sheet.charts.getItemOrNullObject(BUDGET_CHART);
    old.load('isNullObject');
    await context.sync();
    if (!old.isNullObject) old.delete();
  }
  sheet.getRange(`A1:${LAST}${BLOCK_ROWS}`).clear();

  const headerRow = 4;
  const firstFunderRow = headerRow + 1;
  const totalRow = firstFunderRow + summary.funders.length;
  const lines: CellValue[][] = summary.funders.map((f) => [
    f.name,
    pounds(f.committedPence),
    pounds(f.pendingPence),
    pounds(f.proposedPence),
    pounds(f.freeIfAllGoAheadPence),
    pounds(f.potPence),
    pounds(f.remainingPence),
    pounds(f.releasedPence),
    f.warning === '' ? 'OK' : f.warning,
    ...paymentCells(f),
  ]);
  const t = summary.totals;
  lines.push([
    'Total',
    pounds(t.committedPence),
    pounds(t.pendingPence),
    pounds(t.proposedPence),
    pounds(t.freeIfAllGoAheadPence),
    pounds(t.potPence),
    pounds(t.remainingPence),
    pounds(t.releasedPence),
    '',
    ...paymentCells(t),
  ]);

  // Text cells are text before they are filled: funder names and messages never become formulas.
  sheet.getRange('A1:A2').numberFormat = [[TEXT_FORMAT], [TEXT_FORMAT]];
  sheet.getRange(`A${headerRow}:${LAST}${headerRow}`).numberFormat = [BUDGET_HEADERS.map(() => TEXT_FORMAT)];
  sheet.getRange(`A${firstFunderRow}:A${totalRow}`).numberFormat = lines.map(() => [TEXT_FORMAT]);
  sheet.getRange(`I${firstFunderRow}:I${totalRow}`).numberFormat = lines.map(() => [TEXT_FORMAT]);
  sheet.getRange(`B${firstFunderRow}:H${totalRow}`).numberFormat = lines.map(() => Array<string>(7).fill(MONEY_FORMAT));
  sheet.getRange(`J${firstFunderRow}:M${totalRow}`).numberFormat = lines.map(() => Array<string>(4).fill(MONEY_FORMAT));
  sheet.getRange('B2').numberFormat = [[MONEY_FORMAT]];
  sheet.getRange('D2').numberFormat = [['yyyy-mm-dd hh:mm']];

  sheet.getRange('A1').values = [[`Fundshare budget ${summary.fy}`]];
  sheet.getRange('A2:D2').values = [['Fund', pounds(summary.fundPence), 'Read at', dateToExcelSerial(options.readAt)]];
  sheet.getRange(`A${headerRow}:${LAST}${headerRow}`).values = [[...BUDGET_HEADERS]];
  sheet.getRange(`A${firstFunderRow}:${LAST}${totalRow}`).values = lines;
  sheet.getRange('A1').format.font.bold = true;
  sheet.getRange('A1').format.font.size = 14;
  sheet.getRange(`A${headerRow}:${LAST}${headerRow}`).format.font.bold = true;
  sheet.getRange(`A${totalRow}:${LAST}${totalRow}`).format.font.bold = true;

  const findingsRow = totalRow + 2;
  const findings = summary.findings.map((f) => [f.severity === 'error' ? 'Error' : 'Warning', f.message]);
  if (findings.length > 0) {
    sheet.getRange(`A${findingsRow}:B${findingsRow + findings.length - 1}`).numberFormat = findings.map(() => [TEXT_FORMAT, TEXT_FORMAT]);
    sheet.getRange(`A${findingsRow}:B${findingsRow + findings.length - 1}`).values = findings;
    sheet.getRange(`A${findingsRow}:B${findingsRow + findings.length - 1}`).format.font.color = '#A4262C';
  }
  const warn = sheet.getRange(`I${firstFunderRow}:I${totalRow - 1}`);
  warn.conditionalFormats.clearAll();
  const flagged = warn.conditionalFormats.add('Custom');
  flagged.custom.rule.formula = `=I${firstFunderRow}<>"OK"`;
  flagged.custom.format.fill.color = '#FFF4CE';

  const chart = sheet.charts.add('BarStacked', sheet.getRange(`A${headerRow}:E${totalRow - 1}`), 'Columns');
  chart.name = BUDGET_CHART;
  chart.title.text = `Each funder's pot in ${summary.fy}`;
  chart.setPosition(`A${findingsRow + Math.max(findings.length, 0) + 1}`);
  sheet.getRange(`A:A`).format.columnWidth = 110;
  sheet.getRange(`B:H`).format.columnWidth = 95;
  sheet.getRange(`I:I`).format.columnWidth = 320;
  sheet.getRange(`J:M`).format.columnWidth = 95;
  await context.sync();
}
