/** The Panel sheet (docs/design.md §6) on the fake Excel: its tables, its charts over them, text never a formula, a rewrite replacing it. */
import {
  FUNDER_IDS,
  LEAD_ORGANISATION_IDS,
  CRIME_TYPES,
  CYBER_STRANDS,
  PANEL_AMOUNTS,
  type ReportTotals,
  type YearReport,
} from '../../../domain';
import { writePanelSheet } from '../../../addin/excel/panel-sheet';
import { PANEL_SHEET, panelLayout } from '../../../addin/sheet/panel-layout';
import { FakeExcel, parseAddress } from '../support/fake-excel';

const totals = (n: number): ReportTotals => ({
  bids: n,
  requestedPence: n * 100_000,
  recommendedPence: n * 80_000,
  approvedPence: n * 60_000,
  paidPence: n * 30_000,
  returnedPence: n * 1_000,
  reportedSpendPence: n * 20_000,
});

function report(decisionTitle = '=HYPERLINK("http://evil","x")'): YearReport {
  return {
    fy: '2026/27',
    totals: totals(3),
    byFunder: FUNDER_IDS.map((funder, i) => ({ funder, totals: totals(i + 1) })),
    byLeadOrganisation: LEAD_ORGANISATION_IDS.map((leadOrganisation, i) => ({ leadOrganisation, totals: totals(i) })),
    byCrimeType: CRIME_TYPES.map((crimeType, i) => ({ crimeType, totals: totals(i + 2) })),
    byCyberStrand: CYBER_STRANDS.map((cyberStrand) => ({ cyberStrand, totals: totals(1) })),
    outcomeRag: { green: 2, amber: 1, red: 0, none: 4 },
    decisions: [
      {
        bidId: 'FS-000001',
        title: decisionTitle,
        action: 'approve',
        at: '2026-06-01T10:00:00.000Z',
        actor: 'pcc-1',
        role: 'pcc',
        version: 4,
        funder: FUNDER_IDS[0],
        amountPence: 123_456,
        reference: 'DN-2026-014',
      },
    ],
    returnFindings: [],
  };
}

const within = (inner: string, outer: string) => {
  const a = parseAddress(inner);
  const b = parseAddress(outer);
  return a.r1 >= b.r1 && a.r2 <= b.r2 && a.c1 >= b.c1 && a.c2 <= b.c2;
};

test('the Panel sheet holds each table of the pack as an Excel table, and each chart draws from its table', async () => {
  const excel = new FakeExcel();
  const layout = panelLayout(report());
  await writePanelSheet(excel.context, layout, new Date('2026-11-02T09:30:00Z'));
  const sheet = excel.sheet(PANEL_SHEET);
  const names = excel.tables.map((t) => t.name);
  expect(names).toEqual(layout.blocks.map((b) => b.tableName));
  expect(layout.blocks.map((b) => b.table.key)).toEqual([
    'ByFunder',
    'ByOrganisation',
    'ByCrimeType',
    'ByCyberStrand',
    'OutcomeRag',
    'Decisions',
  ]);
  expect(excel.tableSheets.every((s) => s === PANEL_SHEET)).toBe(true);

  // The funder table: header, then one row per funder in pounds, money columns from PANEL_AMOUNTS.
  const funderBlock = layout.blocks[0]!;
  const funderTable = excel.tableAddresses[0]!;
  const rows = sheet.valuesOf(parseAddress(funderTable));
  expect(rows[0]).toEqual(['Funder', ...PANEL_AMOUNTS.map((a) => a.header), 'Reported spend £', 'Bids']);
  expect(rows).toHaveLength(FUNDER_IDS.length + 1);
  expect(rows[1]!.slice(1)).toEqual([1000, 800, 600, 300, 10, 200, 1]);
  expect(sheet.content(funderBlock.titleCell)).toBe('By funder (area), 2026/27');
  const rag = sheet.valuesOf(parseAddress(excel.tableAddresses[4]!));
  expect(rag).toEqual([
    ['RAG', 'Bids'],
    ['Green', 2],
    ['Amber', 1],
    ['Red', 0],
    ['No return yet', 4],
  ]);

  // The decisions carry their references; a title from the store that looks like a formula stays text.
  const decisions = sheet.valuesOf(parseAddress(excel.tableAddresses[5]!));
  expect(decisions[1]).toEqual([
    'FS-000001',
    '=HYPERLINK("http://evil","x")',
    'approve',
    expect.any(String),
    1234.56,
    'DN-2026-014',
    '2026-06-01T10:00:00.000Z',
    'pcc-1',
    '',
  ]);
  for (const cell of sheet.cells.values()) expect(cell.formula).toBeUndefined();

  // Two charts (by area, by crime type), each over a part of its own table: header and every row.
  expect(excel.charts.map((c) => c.name)).toEqual(['FundsharePanelChartByFunder', 'FundsharePanelChartByCrimeType']);
  for (const chart of excel.charts) {
    const source = excel.chartSources.get(chart)!;
    expect(source.type).toBe('ColumnClustered');
    const [sheetName, address] = source.source.split('!') as [string, string];
    expect(sheetName).toBe(PANEL_SHEET);
    const table =
      excel.tableAddresses[excel.tables.findIndex((t) => `${t.name}`.replace('FundsharePanel', 'FundsharePanelChart') === chart.name)]!;
    expect(within(address, table)).toBe(true);
    expect(parseAddress(address).r1).toBe(parseAddress(table).r1);
    expect(parseAddress(address).r2).toBe(parseAddress(table).r2);
    expect(parseAddress(address).c2 - parseAddress(address).c1).toBe(PANEL_AMOUNTS.length);
  }
});

test('writing the pack again replaces the Panel sheet: no table, chart or cell of the old pack is left', async () => {
  const excel = new FakeExcel();
  await writePanelSheet(excel.context, panelLayout(report('First title')), new Date('2026-11-02T09:30:00Z'));
  excel.put(PANEL_SHEET, 'A200', [['stale note']]);
  const second = report('Second title');
  second.decisions = [];
  await writePanelSheet(excel.context, panelLayout(second), new Date('2026-11-03T09:30:00Z'));
  expect([...excel.sheets.keys()]).toEqual([PANEL_SHEET]);
  expect(excel.tables).toHaveLength(6);
  expect(excel.charts).toHaveLength(2);
  const sheet = excel.sheet(PANEL_SHEET);
  expect(sheet.content('A200')).toBe('');
  expect(sheet.content('A2')).toBe('Read at 2026-11-03 09:30 UTC');
  // An empty table keeps a row under its header.
  expect(sheet.valuesOf(parseAddress(excel.tableAddresses[5]!))[1]![0]).toBe('None yet');
  expect([...sheet.cells.values()].some((c) => c.value === 'First title')).toBe(false);
});
