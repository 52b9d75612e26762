/**
 * Export and delta on real dynalite: the snapshot read back with exceljs and a CSV parser
 * (formula-looking text stays inert), `latest/` replaced whole, two runs at once (the lease),
 * and a run with no changes that reads one page of the change feed and writes nothing.
 */
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { funderName, PANEL_AMOUNTS, type Bid, type YearReport } from '../../domain';
import { PANEL_EXPORT_SHEETS } from '../../functions/sync/panel-export';
import { act, createBid, recommendedBid, setPots } from '../support/fund';
import { poundsText } from '../../functions/sync/csv-writer';
import { STORE_WRITES } from '../support/store-methods';
import { completed, startSyncHarness, type SyncHarness } from './harness';

const FY = '2025/26';
let h: SyncHarness;
const titles = ['=HYPERLINK("http://evil.example","Click")', '+SUM(1,2)', '-2+3 signage', '@cmd', 'Plain "quoted", title'];
const bids: Bid[] = [];

beforeAll(async () => {
  h = await startSyncHarness();
  await setPots(h.api, { 'west-mercia': 103_500_000, warwickshire: 46_500_000 });
  for (const title of titles)
    bids.push(await createBid(h.api, { title, description: title === '@cmd' ? '\t=1+1\r\nsecond line' : undefined }));
  const approved = await recommendedBid(h.api, { title: 'Approved £1,000.01' });
  const wm = (await act(h.api, 'westMerciaPcc', approved, 'approve', { reference: 'WPCC3-0089' })).body;
  bids.push((await act(h.api, 'warwickshirePcc', wm, 'approve', { reference: '=WPCC-17' })).body);
  const declared = await h.api.call('board', 'POST', '/years/2025-26/declarations', {
    body: { member: 'bob', leadOrganisation: 'shropshire', nature: '=HYPERLINK("x") trustee' },
  });
  if (declared.status !== 201) throw new Error(`declaring failed: ${JSON.stringify(declared.body)}`);
});
afterAll(() => h.stop());

const exportFiles = () => readdirSync(h.exportsDir).filter((f) => f.startsWith('fundshare-'));

test('the first run exports xlsx, csv and jsonl per year and the panel pack, with a latest copy of each', async () => {
  const report = completed(await h.run());
  const year = report.years.find((y) => y.fy === FY)!;
  expect(year.exported?.files.map((f) => f.replace(/\d{8}T\d{6}\.\d{3}Z/, '<stamp>'))).toEqual([
    'fundshare-2025-26-<stamp>.xlsx',
    'fundshare-2025-26-<stamp>.bids.csv',
    'fundshare-2025-26-<stamp>.allocations.csv',
    'fundshare-2025-26-<stamp>.ledgers.csv',
    'fundshare-2025-26-<stamp>.budget-changes.csv',
    'fundshare-2025-26-<stamp>.declarations.csv',
    'fundshare-2025-26-<stamp>.payments.csv',
    'fundshare-2025-26-<stamp>.returns.csv',
    'fundshare-2025-26-<stamp>.jsonl',
    'fundshare-2025-26-panel-<stamp>.xlsx',
  ]);
  expect(readdirSync(join(h.exportsDir, 'latest')).sort()).toEqual([
    'fundshare-2025-26-panel.xlsx',
    'fundshare-2025-26.allocations.csv',
    'fundshare-2025-26.bids.csv',
    'fundshare-2025-26.budget-changes.csv',
    'fundshare-2025-26.declarations.csv',
    'fundshare-2025-26.jsonl',
    'fundshare-2025-26.ledgers.csv',
    'fundshare-2025-26.payments.csv',
    'fundshare-2025-26.returns.csv',
    'fundshare-2025-26.xlsx',
  ]);
  for (const file of year.exported!.files) {
    const latest = join(h.exportsDir, 'latest', file.replace(/-\d{8}T\d{6}\.\d{3}Z/, ''));
    expect(readFileSync(latest)).toEqual(readFileSync(join(h.exportsDir, file)));
  }
  expect(readdirSync(join(h.exportsDir, 'latest')).some((f) => f.startsWith('.'))).toBe(false);
});

test('xlsx: seven sheets, £ formats, amounts as numbers, formula-looking titles as text', async () => {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(readFileSync(join(h.exportsDir, 'latest', 'fundshare-2025-26.xlsx')) as never);
  expect(workbook.worksheets.map((s) => s.name)).toEqual([
    'Bids',
    'Allocations',
    'Ledgers',
    'Budget changes',
    'Declarations',
    'Payments',
    'Returns',
  ]);

  const sheet = workbook.getWorksheet('Bids')!;
  const header = (sheet.getRow(1).values as unknown[]).slice(1);
  const column = (name: string) => header.indexOf(name) + 1;
  const rows = new Map<string, ExcelJS.Row>();
  sheet.eachRow((row, n) => n > 1 && rows.set(String(row.getCell(1).value), row));
  expect(rows.size).toBe(bids.length);
  for (const bid of bids) {
    const title = rows.get(bid.id)!.getCell(column('Title'));
    expect(title.type).toBe(ExcelJS.ValueType.String);
    expect(title.value).toBe(bid.title);
    expect(title.formula).toBeUndefined();
  }
  const approved = rows.get(bids.at(-1)!.id)!;
  const requested = approved.getCell(column('Requested (£)'));
  expect(requested.type).toBe(ExcelJS.ValueType.Number);
  expect(requested.value).toBe(1000.01);
  expect(requested.numFmt).toContain('£');
  expect(approved.getCell(column('West Mercia share (£)')).value).toBe(690.01);
  expect(approved.getCell(column('Warwickshire decision')).value).toBe('approved');

  const ledgers = workbook.getWorksheet('Ledgers')!;
  expect((ledgers.getRow(1).values as unknown[]).slice(1)).toEqual([
    'Financial year',
    'Funder',
    'Pot (£)',
    'Committed (£)',
    'Released (£)',
    'Remaining (£)',
    'Allocations',
  ]);
  expect((ledgers.getRow(2).values as unknown[]).slice(1)).toEqual([FY, 'warwickshire', 465_000, 310, 0, 464_690, 1]);
  expect(ledgers.getRow(2).getCell(3).numFmt).toContain('£');
  const allocations = workbook.getWorksheet('Allocations')!;
  expect(allocations.rowCount).toBe(3);

  // setPots in beforeAll: the year's budget created (before: none), by the admin.
  const changes = workbook.getWorksheet('Budget changes')!;
  const changeHeader = (changes.getRow(1).values as unknown[]).slice(1);
  expect(changeHeader).toEqual([
    'At',
    'By',
    'Role',
    'Fund before (£)',
    'Fund after (£)',
    'West Mercia pot before (£)',
    'West Mercia pot after (£)',
    'Warwickshire pot before (£)',
    'Warwickshire pot after (£)',
    'West Mercia cost share before (%)',
    'West Mercia cost share after (%)',
    'Warwickshire cost share before (%)',
    'Warwickshire cost share after (%)',
    'Request ID',
  ]);
  expect(changes.rowCount).toBe(2);
  const change = changes.getRow(2);
  const cell = (name: string) => change.getCell(changeHeader.indexOf(name) + 1);
  expect(cell('Role').value).toBe('admin');
  expect(cell('Fund before (£)').value).toBeNull();
  expect(cell('Fund after (£)').value).toBe(1_500_000);
  expect(cell('West Mercia pot after (£)').value).toBe(1_035_000);
  expect(cell('West Mercia pot after (£)').numFmt).toContain('£');
  expect(cell('Warwickshire pot after (£)').value).toBe(465_000);
  expect(cell('West Mercia cost share after (%)').value).toBe(69);
  expect(cell('Warwickshire cost share after (%)').value).toBe(31);
});

test('the panel pack: the report’s tables as sheets (the charts’ data), £ as numbers, references as text even when formula-like', async () => {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(readFileSync(join(h.exportsDir, 'latest', 'fundshare-2025-26-panel.xlsx')) as never);
  expect(workbook.worksheets.map((s) => s.name)).toEqual(Object.values(PANEL_EXPORT_SHEETS));
  const report = (await h.api.call<YearReport>('finance', 'GET', '/years/2025-26/report')).body;

  const byFunder = workbook.getWorksheet('By funder')!;
  expect((byFunder.getRow(1).values as unknown[]).slice(1)).toEqual([
    'Funder',
    ...PANEL_AMOUNTS.map((a) => a.header),
    'Reported spend £',
    'Bids',
  ]);
  expect(byFunder.rowCount).toBe(1 + report.byFunder.length);
  report.byFunder.forEach((row, i) => {
    const cells = (byFunder.getRow(i + 2).values as unknown[]).slice(1);
    expect(cells).toEqual([
      funderName(row.funder),
      ...PANEL_AMOUNTS.map((a) => row.totals[a.key] / 100),
      row.totals.reportedSpendPence / 100,
      row.totals.bids,
    ]);
    expect(byFunder.getRow(i + 2).getCell(2).numFmt).toContain('£');
  });
  // The approved bid's money is in it: £1,000.01 approved across the funders.
  expect(report.totals.approvedPence).toBe(100_001);
  const crime = workbook.getWorksheet('By crime type')!;
  expect(crime.rowCount).toBe(1 + report.byCrimeType.length);

  const decisions = workbook.getWorksheet('Decisions')!;
  const header = (decisions.getRow(1).values as unknown[]).slice(1);
  const references: unknown[] = [];
  decisions.eachRow((row, n) => {
    if (n === 1) return;
    const cell = row.getCell(header.indexOf('Reference') + 1);
    if (cell.value !== null) {
      expect(cell.type).toBe(ExcelJS.ValueType.String);
      expect(cell.formula).toBeUndefined();
      references.push(cell.value);
    }
  });
  expect(references).toEqual(expect.arrayContaining(['WPCC3-0089', '=WPCC-17']));
  expect(decisions.rowCount).toBe(1 + report.decisions.length);
});

test('a budget change alone (cost share, pots kept) is a change: the next run exports it', async () => {
  completed(await h.run());
  const before = exportFiles().length;
  const put = await h.api.call('admin', 'PUT', '/years/2025-26/budget', {
    body: { costShare: { 'west-mercia': 7000, warwickshire: 3000 }, pots: { 'west-mercia': 103_500_000, warwickshire: 46_500_000 } },
  });
  expect(put.status).toBe(200);
  const report = completed(await h.run());
  expect(report.years.find((y) => y.fy === FY)).toMatchObject({ outcome: 'reconciled', reason: 'the budget or a ledger changed' });
  expect(exportFiles().length).toBe(before + 10);
  const [header, ...rows] = parse(readFileSync(join(h.exportsDir, 'latest', 'fundshare-2025-26.budget-changes.csv')), {
    bom: true,
  }) as string[][];
  const last = rows.at(-1)!;
  const at = (name: string) => last[header!.indexOf(name)];
  expect([at('West Mercia cost share before (%)'), at('West Mercia cost share after (%)')]).toEqual(['69', '70']);
  expect([at('West Mercia pot before (£)'), at('West Mercia pot after (£)')]).toEqual(['1035000.00', '1035000.00']);
  // Put it back, so the tests after this one see the default cost share.
  await h.api.call('admin', 'PUT', '/years/2025-26/budget', { body: { costShare: { 'west-mercia': 6900, warwickshire: 3100 } } });
  completed(await h.run());
});

test('csv: formula-looking text neutralised, amounts plain, everything else intact', () => {
  const [header, ...rows] = parse(readFileSync(join(h.exportsDir, 'latest', 'fundshare-2025-26.bids.csv')), { bom: true }) as string[][];
  const at = (name: string) => header!.indexOf(name);
  const byId = new Map(rows.map((r) => [r[at('ID')], r]));
  expect(byId.get(bids[0]!.id)?.[at('Title')]).toBe(`'=HYPERLINK("http://evil.example","Click")`);
  expect(byId.get(bids[1]!.id)?.[at('Title')]).toBe(`'+SUM(1,2)`);
  expect(byId.get(bids[2]!.id)?.[at('Title')]).toBe(`'-2+3 signage`);
  expect(byId.get(bids[3]!.id)?.[at('Title')]).toBe(`'@cmd`);
  // Stored trimmed (the leading tab is gone); what is left still starts like a formula.
  expect(byId.get(bids[3]!.id)?.[at('Description')]).toBe(`'=1+1\r\nsecond line`);
  expect(byId.get(bids[4]!.id)?.[at('Title')]).toBe('Plain "quoted", title');
  const approved = byId.get(bids.at(-1)!.id)!;
  expect([approved[at('Requested (£)')], approved[at('West Mercia share (£)')], approved[at('Warwickshire share (£)')]]).toEqual([
    '1000.01',
    '690.01',
    '310.00',
  ]);
  // Each funder's decision notice, as text (a reference never becomes a formula).
  expect([
    approved[at('Board reference')],
    approved[at('West Mercia decision notice')],
    approved[at('Warwickshire decision notice')],
  ]).toEqual(['', 'WPCC3-0089', `'=WPCC-17`]);
  // No cell of any export starts like a formula unless it is a number.
  for (const file of ['bids', 'allocations', 'ledgers', 'payments', 'returns']) {
    const text = readFileSync(join(h.exportsDir, 'latest', `fundshare-2025-26.${file}.csv`), 'utf8');
    for (const row of parse(text, { bom: true }) as string[][]) {
      for (const cell of row) if (/^[=+\-@\t\r]/.test(cell)) expect(cell).toMatch(/^-\d+\.\d{2}$/);
    }
  }
});

test('jsonl: one object a line, amounts in pence', () => {
  const lines = readFileSync(join(h.exportsDir, 'latest', 'fundshare-2025-26.jsonl'), 'utf8')
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l));
  // The budget's creation, then the cost-share change of the test above and its reversal.
  expect(lines[0]).toMatchObject({ type: 'snapshot', fy: FY, bids: bids.length, ledgers: 2, budgetEvents: 3, declarations: 1, returns: 0 });
  const events = lines.filter((l) => l.type === 'budget-event');
  expect(events.map((e) => [e.before?.costShare['west-mercia'] ?? null, e.after.costShare['west-mercia']])).toEqual([
    [null, 6900],
    [6900, 7000],
    [7000, 6900],
  ]);
  expect(events[0]).toMatchObject({ fy: FY, role: 'admin', after: { fundPence: 150_000_000 } });
  const approved = lines.find((l) => l.type === 'bid' && l.id === bids.at(-1)!.id);
  expect(approved).toMatchObject({ requestedPence: 100_001, shares: { 'west-mercia': 69_001, warwickshire: 31_000 } });
  expect(lines.filter((l) => l.type === 'allocation')).toHaveLength(2);
  expect(lines.find((l) => l.type === 'ledger' && l.funder === 'west-mercia')).toMatchObject({
    committedPence: 69_001,
    remainingPence: 103_430_999,
  });
});

test('two runs at once: one syncs, the other reports the lease and does nothing', async () => {
  await createBid(h.api, { title: 'Concurrent' });
  const [a, b] = await Promise.all([h.run({}, {}), h.run({}, {})]);
  const statuses = [a.status, b.status].sort();
  expect(statuses).toEqual(['completed', 'skipped']);
  const skipped = [a, b].find((r) => r.status === 'skipped');
  expect(skipped).toMatchObject({ reason: 'another sync is running' });
  // The lease is free again afterwards.
  expect((await h.run()).status).toBe('completed');
});

test('a run with no changes reads one page of the change feed per year and writes nothing', async () => {
  completed(await h.run());
  const files = exportFiles();
  h.resetCounts();
  const report = completed(await h.run());
  for (const year of report.years) expect(year).toMatchObject({ outcome: 'unchanged', deltaPages: 1 });
  const years = report.years.length;
  expect(h.storeCalls.listBids).toBe(years);
  expect(h.storeCalls.bidsOfYear).toBeUndefined();
  expect(h.storeCalls.readBid).toBeUndefined();
  for (const write of STORE_WRITES) expect(h.storeCalls[write]).toBeUndefined();
  expect(h.syncCalls.putSyncState).toBeUndefined();
  expect(exportFiles()).toEqual(files);
});

test('one change: a full pass for that year and one new snapshot; the next run is quiet again', async () => {
  const files = exportFiles();
  await createBid(h.api, { title: 'Changed since' });
  const report = completed(await h.run());
  expect(report.years.find((y) => y.fy === FY)).toMatchObject({ outcome: 'reconciled', reason: expect.stringMatching(/changed/) });
  expect(exportFiles().length).toBe(files.length + 10);
  const again = completed(await h.run());
  expect(again.years.every((y) => y.outcome === 'unchanged')).toBe(true);
  expect(exportFiles().length).toBe(files.length + 10);
});

test('declarations of interest are exported, their text never a formula', async () => {
  const [header, row] = parse(readFileSync(join(h.exportsDir, 'latest', 'fundshare-2025-26.declarations.csv')), {
    bom: true,
  }) as string[][];
  expect(header).toEqual(['ID', 'Declared at', 'Member', 'Bid ID', 'Lead organisation', 'Nature', 'Recorded by']);
  expect(row?.slice(2)).toEqual(['bob', '', 'shropshire', `'=HYPERLINK("x") trustee`, 'bob']);
  const lines = readFileSync(join(h.exportsDir, 'latest', 'fundshare-2025-26.jsonl'), 'utf8')
    .trim()
    .split('\n');
  expect(lines.map((l) => JSON.parse(l) as { type: string }).filter((l) => l.type === 'declaration')).toHaveLength(1);
});

const csvTable = (name: string) => {
  const [header, ...rows] = parse(readFileSync(join(h.exportsDir, 'latest', `fundshare-2025-26.${name}.csv`)), { bom: true }) as string[][];
  return rows.map((row) => Object.fromEntries(header!.map((column, i) => [column, row[i]])));
};

test('payments and monitoring returns: a Payments row per instalment per funder, a Returns row per return; a return change alone is a change', async () => {
  completed(await h.run());
  const approved = (await h.api.call<Bid>('finance', 'GET', `/bids/${bids.at(-1)!.id}`)).body;
  const scheduled = await h.api.call<Bid>('finance', 'PUT', `/bids/${approved.id}/payments`, {
    body: {
      instalments: [
        { due: '2025-09-30', amountPence: 50_000 },
        { due: '2026-03-31', amountPence: 50_001 },
      ],
    },
    headers: { 'if-match': `"${approved.version}"` },
  });
  expect(scheduled.status).toBe(200);
  const parts = scheduled.body.payments!.map((i) => i.parts);
  const paid = await h.api.call<Bid>('westMerciaPcc', 'POST', `/bids/${approved.id}/payments/1/actions/release`, {
    headers: { 'if-match': `"${scheduled.body.version}"` },
  });
  expect(paid.status).toBe(200);
  const filed = await h.api.call('shropshire', 'PUT', `/bids/${approved.id}/returns/2025-26-Q2`, {
    body: {
      spendToDatePence: 40_000,
      actuals: [{ measure: 'Farms visited', value: 35 }],
      rag: 'amber',
      narrative: '=cmd|"/c calc"!A1 behind',
    },
  });
  expect(filed.status).toBe(201);

  const first = completed(await h.run());
  expect(first.years.find((y) => y.fy === FY)?.exported).toBeDefined();
  const payments = csvTable('payments');
  expect(payments.map((r) => [r['Instalment'], r['Funder'], r['Part (£)'], r['Instalment (£)'], r['Due']])).toEqual([
    ['1', 'west-mercia', poundsText(parts[0]!['west-mercia']!), '500.00', '2025-09-30'],
    ['1', 'warwickshire', poundsText(parts[0]!.warwickshire!), '500.00', '2025-09-30'],
    ['2', 'west-mercia', poundsText(parts[1]!['west-mercia']!), '500.01', '2026-03-31'],
    ['2', 'warwickshire', poundsText(parts[1]!.warwickshire!), '500.01', '2026-03-31'],
  ]);
  expect(payments.map((r) => [r['Paid at'] !== '', r['Paid by']])).toEqual([
    [true, 'pcc-wm'],
    [false, ''],
    [false, ''],
    [false, ''],
  ]);
  const allocation = csvTable('allocations').find((r) => r['Bid ID'] === approved.id && r['Funder'] === 'west-mercia')!;
  expect([allocation['Share (£)'], allocation['Paid (£)'], allocation['Returned (£)'], allocation['Clawback due (£)']]).toEqual([
    '690.01',
    poundsText(parts[0]!['west-mercia']!),
    '0.00',
    '0.00',
  ]);
  const [submitted] = csvTable('returns');
  expect(submitted).toMatchObject({
    'Bid ID': approved.id,
    Quarter: '2025-26-Q2',
    Status: 'submitted',
    'Spend to date (£)': '400.00',
    RAG: 'amber',
    Narrative: `'=cmd|"/c calc"!A1 behind`,
    Actuals: 'Farms visited: 35',
    'Submitted by': 'sam',
    'Accepted by': '',
  });

  // The xlsx holds the same, amounts as £ numbers and the narrative as text.
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(readFileSync(join(h.exportsDir, 'latest', 'fundshare-2025-26.xlsx')) as never);
  const paymentsSheet = workbook.getWorksheet('Payments')!;
  expect(paymentsSheet.rowCount).toBe(5);
  const part = paymentsSheet.getRow(2).getCell(7);
  expect([part.type, part.value, part.numFmt]).toEqual([
    ExcelJS.ValueType.Number,
    parts[0]!['west-mercia']! / 100,
    expect.stringContaining('£'),
  ]);
  const returnsSheet = workbook.getWorksheet('Returns')!;
  const narrative = returnsSheet.getRow(2).getCell(8);
  expect([narrative.type, narrative.value, narrative.formula]).toEqual([ExcelJS.ValueType.String, '=cmd|"/c calc"!A1 behind', undefined]);
  expect(returnsSheet.getRow(2).getCell(6).value).toBe(400);

  // Accepting the return changes no bid and no ledger: the returns' digest still sees it.
  const files = exportFiles().length;
  const accepted = await h.api.call('finance', 'POST', `/bids/${approved.id}/returns/2025-26-Q2/actions/accept`, { body: {} });
  expect(accepted.status).toBe(200);
  const report = completed(await h.run());
  expect(report.years.find((y) => y.fy === FY)).toMatchObject({ outcome: 'reconciled', reason: 'a monitoring return changed' });
  expect(exportFiles().length).toBe(files + 10);
  expect(csvTable('returns')[0]).toMatchObject({ Status: 'accepted', 'Accepted by': 'fiona' });
  const lines = readFileSync(join(h.exportsDir, 'latest', 'fundshare-2025-26.jsonl'), 'utf8')
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as { type: string; status?: string; spendToDatePence?: number });
  expect(lines.filter((l) => l.type === 'return')).toEqual([expect.objectContaining({ status: 'accepted', spendToDatePence: 40_000 })]);
  expect(completed(await h.run()).years.every((y) => y.outcome === 'unchanged')).toBe(true);
});
