/**
 * Pull → edit → push → conflict → settle, end to end: the real local API (dynalite in memory,
 * seeded) and the Excel adapters over a mocked workbook.
 */
import { financialYearOf, formatPounds, type Bid, type YearReport } from '../../../domain';
import { FundshareClient } from '../../../addin/api/client';
import { readBidsSheet } from '../../../addin/excel/bids-sheet';
import { BIDS_SHEET, BUDGET_SHEET, columnIndex, letterOf } from '../../../addin/sheet/columns';
import {
  BidCache,
  checkSheet,
  pullBids,
  pushAllocations,
  refreshBudget,
  settleConflict,
  writePanelPack,
  type WorkflowDeps,
} from '../../../addin/workflows/workflows';
import { act, recommendedBid } from '../../support/fund';
import { startTestApi, type TestApi } from '../../support/stack';
import { FakeExcel, parseAddress } from '../support/fake-excel';
import { PANEL_SHEET } from '../../../addin/sheet/panel-layout';

let api: TestApi;
const fy = financialYearOf(new Date());

beforeAll(async () => {
  api = await startTestApi({ seed: true });
});
afterAll(() => api?.stop());

function depsFor(excel: FakeExcel, baseUrl = api.stack.apiUrl, cache = new BidCache()): WorkflowDeps {
  const client = new FundshareClient({ baseUrl, getToken: () => api.token('finance'), sleep: async () => undefined, maxRetries: 0 });
  return { client, runExcel: (work) => work(excel.context), namespace: 'FUNDDEV', cache };
}

/** Row number (1-based, header = 1) of a bid in the Bids sheet. */
function rowOf(excel: FakeExcel, bidId: string): number {
  const sheet = excel.sheet(BIDS_SHEET);
  for (let r = 1; r < 10_000; r++) {
    const id = sheet.get(r, 0)?.value;
    if (id === bidId) return r + 1;
    if (id === undefined) break;
  }
  throw new Error(`no row for ${bidId}`);
}

test('pull writes every bid of the year, the Budget sheet and checks; a proposal pushed comes back with a new version', async () => {
  const excel = new FakeExcel();
  const deps = depsFor(excel);
  const pulled = await pullBids(deps, fy);
  const listed = await api.call<{ bids: Bid[] }>('finance', 'GET', `/bids?fy=${encodeURIComponent(fy)}&limit=1000`);
  expect(pulled.bids).toBe(listed.body.bids.length);
  expect(pulled.delta).toBe(false);
  expect(pulled.repeats).toEqual([]); // the demo bids are all different projects
  const budgetSheet = excel.sheet(BUDGET_SHEET);
  expect(budgetSheet.content('A1')).toBe(`Fundshare budget ${fy}`);
  expect(budgetSheet.content('A5')).toBe('West Mercia');
  expect(budgetSheet.content('F5')).toBe(pulled.summary.funders[0]!.potPence / 100);

  // A submitted bid: finance types a proposal of half the request in pounds.
  const target = listed.body.bids.find((b) => b.status === 'submitted' && b.proposedPence === null)!;
  const row = rowOf(excel, target.id);
  const half = Math.floor(target.requestedPence / 2);
  excel.put(BIDS_SHEET, `${letterOf('proposed')}${row}`, [[half / 100]]);

  // Check sees the sheet's proposal in the headroom (proposed in sheet).
  const checked = await checkSheet(deps, fy);
  expect(checked.summary.totals.proposedPence).toBeGreaterThanOrEqual(half);

  const pushed = await pushAllocations(deps, fy);
  expect(pushed).toMatchObject({ sent: 1, saved: 1, conflicts: [], refused: [] });
  const after = await api.call<Bid>('finance', 'GET', `/bids/${target.id}`);
  expect(after.body.proposedPence).toBe(half);
  expect(after.body.version).toBe(target.version + 1);
  expect(excel.sheet(BIDS_SHEET).content(`${letterOf('version')}${row}`)).toBe(target.version + 1);

  // Nothing changed since: a second push sends nothing; a delta pull reads only changes.
  expect((await pushAllocations(deps, fy)).sent).toBe(0);
  const again = await pullBids(deps, fy);
  expect(again.delta).toBe(true);
  expect(again.bids).toBe(pulled.bids);
});

test('a bid changed on the server under an unsent edit is a conflict with both values; keep-mine then pushes', async () => {
  const excel = new FakeExcel();
  const deps = depsFor(excel);
  await pullBids(deps, fy);
  const { snapshot } = await deps.runExcel((context) => readBidsSheet(context));
  const listed = (await api.call<{ bids: Bid[] }>('finance', 'GET', `/bids?fy=${encodeURIComponent(fy)}&limit=1000`)).body.bids;
  const target = listed.find(
    (b) => ['submitted', 'draft', 'info-requested'].includes(b.status) && snapshot.rows.some((r) => r.id === b.id),
  )!;
  const row = rowOf(excel, target.id);
  excel.put(BIDS_SHEET, `${letterOf('proposed')}${row}`, [[10]]);

  // Someone else proposes £20.00 first.
  const other = await api.call('finance', 'POST', '/allocations/batch', {
    body: { allocations: [{ bidId: target.id, version: target.version, proposedPence: 2_000 }] },
    headers: { 'idempotency-key': `other-${target.id}` },
  });
  expect(other.status).toBe(200);

  const pushed = await pushAllocations(deps, fy);
  expect(pushed.saved).toBe(0);
  expect(pushed.conflicts).toEqual([
    expect.objectContaining({ bidId: target.id, localPence: 1_000, serverPence: 2_000, serverVersion: target.version + 1 }),
  ]);
  const sheet = excel.sheet(BIDS_SHEET);
  expect(sheet.content(`${letterOf('proposed')}${row}`)).toBe(10); // never overwritten
  expect(String(sheet.content(`${letterOf('check')}${row}`))).toContain(`the server has ${formatPounds(2_000)}`);

  await settleConflict(deps, fy, target.id, 'keep-mine');
  const second = await pushAllocations(deps, fy);
  expect(second).toMatchObject({ sent: 1, saved: 1 });
  expect((await api.call<Bid>('finance', 'GET', `/bids/${target.id}`)).body.proposedPence).toBe(1_000);
});

test('a failed push writes nothing and keeps the edits unsent for the next try', async () => {
  const excel = new FakeExcel();
  await pullBids(depsFor(excel), fy);
  const listed = (await api.call<{ bids: Bid[] }>('finance', 'GET', `/bids?fy=${encodeURIComponent(fy)}&limit=1000`)).body.bids;
  const target = listed.find((b) => ['submitted', 'draft', 'info-requested'].includes(b.status))!;
  const row = rowOf(excel, target.id);
  excel.put(BIDS_SHEET, `${letterOf('proposed')}${row}`, [[1.23]]);

  const offline = depsFor(excel, 'http://127.0.0.1:9');
  await expect(pushAllocations(offline, fy)).rejects.toThrow('Cannot reach the Fundshare service');
  expect(excel.sheet(BIDS_SHEET).content(`${letterOf('proposed')}${row}`)).toBe(1.23);

  const retried = await pushAllocations(depsFor(excel), fy);
  expect(retried.saved).toBe(1);
  expect((await api.call<Bid>('finance', 'GET', `/bids/${target.id}`)).body.proposedPence).toBe(123);
});

test('an amount with more than two decimals is reported, not sent', async () => {
  const excel = new FakeExcel();
  await pullBids(depsFor(excel), fy);
  const { snapshot } = await readBidsSheet(excel.context);
  const first = snapshot.rows.find((r) => ['submitted', 'draft', 'info-requested'].includes(r.status))!;
  const row = rowOf(excel, first.id);
  excel.put(BIDS_SHEET, `${letterOf('proposed')}${row}`, [[10.001]]);
  const pushed = await pushAllocations(depsFor(excel), fy);
  expect(pushed.sent).toBe(0);
  expect(pushed.skipped).toEqual([expect.objectContaining({ bidId: first.id, message: 'proposed amount has more than 2 decimal places' })]);
  const checked = await checkSheet(depsFor(excel), fy);
  expect(checked.failed.some((f) => f.bidId === first.id)).toBe(true);
  expect(excel.sheet(BIDS_SHEET).get(row - 1, columnIndex('check'))?.value).toContain('more than 2 decimal places');
});

test('refreshBudget outside Excel only reads; inside Excel it writes the Budget sheet', async () => {
  const excel = new FakeExcel();
  const deps = depsFor(excel);
  const plain = await refreshBudget({ ...deps, runExcel: undefined }, fy);
  expect(plain.funders.map((f) => f.funder)).toEqual(['west-mercia', 'warwickshire']);
  expect(excel.sheets.size).toBe(0);
  await refreshBudget(deps, fy);
  expect(excel.sheet(BUDGET_SHEET).content('B2')).toBe(plain.fundPence / 100);
});

test('pull and check list a bid that repeats an earlier bid’s project, with what changed; a withdrawn one is left out', async () => {
  const create = async (title: string, requestedPence: number) =>
    (
      await api.call<Bid>('finance', 'POST', '/bids', {
        body: { fy, title, leadOrganisation: 'shropshire', scope: 'alliance', crimeTypes: ['rural'], requestedPence, submit: true },
      })
    ).body;
  const first = await create('Hedge cutter marking', 20_000);
  const corrected = await create('hedge cutter  Marking', 25_000);
  const withdrawn = await create('Hedge cutter marking', 30_000);
  expect(
    (
      await api.call('finance', 'POST', `/bids/${withdrawn.id}/actions/withdraw`, {
        body: {},
        headers: { 'if-match': `"${withdrawn.version}"` },
      })
    ).status,
  ).toBe(200);

  const excel = new FakeExcel();
  const deps = depsFor(excel);
  const expected = [
    {
      bidId: corrected.id,
      title: 'hedge cutter  Marking',
      message: `same title and lead organisation as ${first.id} (submitted, £200.00); changed from ${first.id}: Requested (£) £200.00 → £250.00. A corrected resubmission? Withdraw the one not wanted`,
    },
  ];
  expect((await pullBids(deps, fy)).repeats).toEqual(expected);
  expect((await checkSheet(deps, fy)).repeats).toEqual(expected);
});

test('the panel pack reads the year’s report and writes its tables and charts on the Panel sheet, matching the report', async () => {
  const excel = new FakeExcel();
  const result = await writePanelPack(depsFor(excel), fy);
  const report = await api.call<YearReport>('finance', 'GET', `/years/${fy.replace('/', '-')}/report`);
  expect(result).toEqual({ tables: 6, charts: 2, decisions: report.body.decisions.length });
  const sheet = excel.sheet(PANEL_SHEET);
  const byFunder = sheet.valuesOf(parseAddress(excel.tableAddresses[0]!));
  // Requested £ of the first funder, as the report says in pence.
  expect(byFunder[1]![1]).toBe(report.body.byFunder[0]!.totals.requestedPence / 100);
  expect(excel.charts).toHaveLength(2);
});

test('pull and check run checks 7–8 in the sheet from the year’s returns: an overdue quarter shows in the bid’s Check cell', async () => {
  let bid = await recommendedBid(api, { fy, title: 'Monitored project' });
  for (const pcc of ['westMerciaPcc', 'warwickshirePcc'] as const) bid = (await act(api, pcc, bid, 'approve')).body;
  expect(bid.status).toBe('approved');
  const q1 = `${fy.replace('/', '-')}-Q1`;
  const filed = await api.call('shropshire', 'PUT', `/bids/${bid.id}/returns/${q1}`, {
    body: { spendToDatePence: 0, actuals: [{ measure: 'Farms visited', value: 1 }], rag: 'green', narrative: 'Started' },
  });
  expect(filed.status).toBe(201);
  const excel = new FakeExcel();
  // A year and more later, every quarter after Q1 is overdue; Q1 was filed.
  const later = new Date(Date.parse(bid.createdAt) + 2 * 365 * 86_400_000);
  const deps = { ...depsFor(excel), now: () => later };
  await pullBids(deps, fy);
  const check = () => String(excel.sheet(BIDS_SHEET).content(`${letterOf('check')}${rowOf(excel, bid.id)}`));
  expect(check()).toMatch(/Check 7: the .*-Q4 monitoring return for FS-\d+ was due on/);
  expect(check()).not.toContain(`${q1} monitoring return`);
  const checked = await checkSheet(deps, fy);
  expect(checked.failed.find((f) => f.bidId === bid.id)?.message).toContain('Check 7:');
  // Today, nothing of a bid made now is overdue yet.
  await checkSheet({ ...depsFor(excel), now: () => new Date(bid.createdAt) }, fy);
  expect(check()).not.toContain('Check 7');
});
