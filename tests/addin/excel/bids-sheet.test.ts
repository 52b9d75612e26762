/** The Bids-sheet adapter against a mocked workbook (office-addin-mock): syncs, chunks, formats, text safety. */
import { FUNDER_IDS } from '../../../domain';
import { FIXED_WORK_BYTES, probeLayout, readBidsSheet, writeBidsSheet } from '../../../addin/excel/bids-sheet';
import { bidToRowData } from '../../../addin/sheet/bid-rows';
import { BID_COLUMNS, BIDS_SHEET, MONEY_FORMAT, STATE_SHEET, columnIndex, letterOf } from '../../../addin/sheet/columns';
import { planPull, withChecks } from '../../../addin/sheet/sync-plan';
import { defaultCostShare } from '../../../domain';
import { FakeExcel, PAYLOAD_LIMIT_BYTES } from '../support/fake-excel';
import { makeBid, manyBids } from '../support/bids';

const NS = 'FUNDDEV';

async function pull(excel: FakeExcel, bids: ReturnType<typeof manyBids>, chunkBytes?: number) {
  const { snapshot, layout } = await readBidsSheet(excel.context);
  const planned = planPull('2026/27', bids, snapshot);
  const rows = withChecks(planned.plan.rows, new Map(bids.map((b) => [b.id, b])), defaultCostShare(), planned.notes);
  await writeBidsSheet(excel.context, { ...planned.plan, rows }, layout, { namespace: NS, ...(chunkBytes ? { chunkBytes } : {}) });
  return planned;
}

/** Syncs a pull may make: the probe, one per 5 MB of payload, and at most one more (the chunk budget keeps a margin under 5 MB). */
const boundFor = (probeSyncs: number, payloadBytes: number) => probeSyncs + Math.ceil(payloadBytes / PAYLOAD_LIMIT_BYTES) + 1;
const total = (bytes: readonly number[]) => bytes.reduce((a, b) => a + b, 0);

test('a pull of 10,000 bids is the probe and one request; reading it back is the probe and one request; all under 5 MB', async () => {
  const excel = new FakeExcel();
  const sync = jest.spyOn(excel.context, 'sync');
  const bids = manyBids(10_000);
  await pull(excel, bids);

  // probe (1 on a fresh workbook) + one request with every row, its baseline and the table shaping.
  expect(sync.mock.calls.length).toBe(2);
  expect(excel.requestBytes).toHaveLength(2);
  expect(total(excel.requestBytes)).toBeGreaterThan(4 * 1024 * 1024); // a real 10,000-row payload, not a toy one
  expect(Math.max(...excel.requestBytes)).toBeLessThan(PAYLOAD_LIMIT_BYTES);

  const sheet = excel.sheet(BIDS_SHEET);
  expect(sheet.valuesOf({ r1: 0, c1: 0, r2: 0, c2: BID_COLUMNS.length - 1 })[0]).toEqual(BID_COLUMNS.map((c) => c.header));
  const last = bids[9_999]!;
  expect(sheet.content(`A10001`)).toBe(last.id);
  expect(sheet.content(`${letterOf('requested')}10001`)).toBe(last.requestedPence / 100);
  expect(sheet.get(10_000, columnIndex('requested'))?.format).toBe(MONEY_FORMAT);
  expect(sheet.frozenRows).toBe(1);
  expect(excel.tables).toHaveLength(1);
  expect(excel.tables[0]!.name).toBe('Bids');
  expect(excel.tableAddresses[0]).toBe(`Bids!A1:${letterOf('reference')}10001`);

  // Reading it back: the probe (2 on an existing workbook) and one request for the baseline and the rows together.
  sync.mockClear();
  const answered = excel.responseBytes.length;
  const { snapshot } = await readBidsSheet(excel.context);
  expect(snapshot.rows).toHaveLength(10_000);
  expect(snapshot.baseline.size).toBe(10_000);
  expect(snapshot.fy).toBe('2026/27');
  expect(sync.mock.calls.length).toBe(3);
  expect(excel.refused).toEqual([]);
  expect(Math.max(...excel.responseBytes.slice(answered))).toBeLessThan(PAYLOAD_LIMIT_BYTES);
});

test('40,000 bids: probe + one request per 5 MB written, and read back the same way; never a request or response over 5 MB', async () => {
  const excel = new FakeExcel();
  const sync = jest.spyOn(excel.context, 'sync');
  await pull(excel, manyBids(40_000));
  const written = total(excel.requestBytes);
  expect(written).toBeGreaterThan(3 * PAYLOAD_LIMIT_BYTES);
  expect(sync.mock.calls.length).toBeLessThanOrEqual(boundFor(1, written));
  expect(Math.max(...excel.requestBytes)).toBeLessThan(PAYLOAD_LIMIT_BYTES);
  expect(excel.sheet(BIDS_SHEET).content('A40001')).toBe(`bid-39999-${'x'.repeat(20)}`);

  sync.mockClear();
  const answered = excel.responseBytes.length;
  const { snapshot } = await readBidsSheet(excel.context);
  expect(snapshot.rows).toHaveLength(40_000);
  expect(snapshot.baseline.size).toBe(40_000);
  const read = excel.responseBytes.slice(answered);
  expect(sync.mock.calls.length).toBeLessThanOrEqual(boundFor(2, total(read)));
  expect(excel.refused).toEqual([]);
  expect(Math.max(...read)).toBeLessThan(PAYLOAD_LIMIT_BYTES);
});

test('smaller chunks keep the sync count proportional to the payload, not the rows', async () => {
  const excel = new FakeExcel();
  const sync = jest.spyOn(excel.context, 'sync');
  const chunkBytes = 256 * 1024;
  await pull(excel, manyBids(2_000), chunkBytes);
  const writes = excel.requestBytes.slice(1);
  expect(writes.length).toBeGreaterThan(2);
  for (const bytes of writes) expect(bytes).toBeLessThanOrEqual(chunkBytes);
  // Each request but the last is filled: no more requests than the payload needs at 256 KB less what is kept for the shaping.
  expect(sync.mock.calls.length).toBe(1 + writes.length);
  expect(writes.length).toBeLessThanOrEqual(Math.ceil(total(writes) / (chunkBytes - FIXED_WORK_BYTES - 4 * 1024)));
});

test('a sheet of unusually long text is read in smaller chunks when Excel refuses a response as too large', async () => {
  const excel = new FakeExcel();
  await pull(excel, manyBids(3_000));
  // Someone pasted 2,000 characters into every Check cell: about 6 MB to read back.
  const check = 'x'.repeat(2_000);
  excel.put(
    BIDS_SHEET,
    `${letterOf('check')}2`,
    Array.from({ length: 3_000 }, () => [check]),
  );
  const sync = jest.spyOn(excel.context, 'sync');
  const answered = excel.responseBytes.length;
  const { snapshot } = await readBidsSheet(excel.context);
  expect(snapshot.rows).toHaveLength(3_000);
  expect(snapshot.rows.every((row) => row.check === check)).toBe(true);
  const read = excel.responseBytes.slice(answered);
  expect(total(read)).toBeGreaterThan(PAYLOAD_LIMIT_BYTES);
  expect(Math.max(...read)).toBeLessThan(PAYLOAD_LIMIT_BYTES);
  // One refusal at most, then chunks sized by what came back.
  expect(excel.refused.length).toBeLessThanOrEqual(1);
  expect(sync.mock.calls.length).toBeLessThanOrEqual(2 + excel.refused.length + boundFor(0, total(read)));
});

test('a title like =HYPERLINK("http://x") stays text, and share columns are live FUND formulas', async () => {
  const excel = new FakeExcel();
  const bid = makeBid({ id: 'evil-1', title: '=HYPERLINK("http://x")', scope: 'alliance', requestedPence: 100_001 });
  const other = makeBid({ id: 'plus-1', title: '+44 1905 000000', leadOrganisation: 'shropshire', scope: 'west-mercia' });
  await pull(excel, [bid, other]);
  const sheet = excel.sheet(BIDS_SHEET);
  const title = sheet.get(1, columnIndex('title'));
  expect(title?.formula).toBeUndefined();
  expect(title?.value).toBe('=HYPERLINK("http://x")');
  expect(title?.format).toBe('@');
  expect(sheet.get(2, columnIndex('title'))?.value).toBe('+44 1905 000000');
  FUNDER_IDS.forEach((funder) => {
    const formula = sheet.get(1, columnIndex(`share:${funder}`))?.formula ?? '';
    expect(formula).toMatch(new RegExp(`^=${NS}\\.SHARE\\(IF\\(J2<>"",J2,IF\\(I2<>"",I2,H2\\)\\),E2,"${funder}",B2\\)$`));
  });
  // The state sheet is very hidden and holds the baseline; the ID column is text there too.
  const state = excel.sheet(STATE_SHEET);
  expect(state.visibility).toBe('VeryHidden');
  expect(state.content('A2')).toBe('evil-1');
  expect(state.get(1, 0)?.format).toBe('@');
  // Conditional format for failed checks, drop-down for scope.
  expect(excel.conditionalFormats.some((c) => String(c.format.custom.rule.formula).includes(`$${letterOf('check')}2<>"OK"`))).toBe(true);
  const scopeValidation = excel.validations.find((v) => v.address.startsWith(`${letterOf('scope')}2:`) && v.validation.rule?.list);
  expect(scopeValidation?.validation.rule.list.source).toBe('alliance,west-mercia,warwickshire');
});

test('a re-pull keeps an unsent edit and shows a conflict with both values when the server moved on', async () => {
  const excel = new FakeExcel();
  const first = [makeBid({ id: 'a', proposedPence: null }), makeBid({ id: 'b', proposedPence: null })];
  await pull(excel, first);
  // The user types proposals: £500.00 on a, £250.50 on b.
  excel.put(BIDS_SHEET, `${letterOf('proposed')}2`, [[500], [250.5]]);
  // Meanwhile someone changed b on the server.
  const second = [first[0]!, makeBid({ id: 'b', proposedPence: 30_000, version: 2 })];
  const planned = await pull(excel, second);
  const sheet = excel.sheet(BIDS_SHEET);
  expect(sheet.content(`${letterOf('proposed')}2`)).toBe(500);
  expect(sheet.content(`${letterOf('proposed')}3`)).toBe(250.5);
  expect(planned.conflicts).toEqual([
    expect.objectContaining({ bidId: 'b', localPence: 25_050, serverPence: 30_000, serverVersion: 2, baseVersion: 1 }),
  ]);
  expect(String(sheet.content(`${letterOf('check')}3`))).toContain('Conflict: the server has £300.00 (version 2); yours is £250.50');
  // The baseline still says what was pulled, so both edits remain unsent.
  const { snapshot } = await readBidsSheet(excel.context);
  expect(snapshot.baseline.get('a')).toEqual({ id: 'a', version: 1, proposedPence: null });
  expect(snapshot.baseline.get('b')).toEqual({ id: 'b', version: 1, proposedPence: null });
});

test('probeLayout on an empty workbook finds nothing, in one sync', async () => {
  const excel = new FakeExcel();
  const sync = jest.spyOn(excel.context, 'sync');
  expect(await probeLayout(excel.context)).toEqual({
    bidsSheetExists: false,
    tableExists: false,
    usedRows: 0,
    usedColumns: 0,
    stateSheetExists: false,
    stateRows: 0,
  });
  expect(sync).toHaveBeenCalledTimes(1);
});

test('row data round-trips through the sheet', async () => {
  const excel = new FakeExcel();
  const bid = makeBid({ id: 'r1', proposedPence: 12_345, recommendedPence: null });
  await pull(excel, [bid]);
  const { snapshot } = await readBidsSheet(excel.context);
  const expected = bidToRowData(bid);
  expect(snapshot.rows[0]).toEqual({ ...expected, check: 'OK' });
});

test('the Budget sheet is rewritten in place: one Fundshare chart, text as text, money as £', async () => {
  const { writeBudgetSheet } = await import('../../../addin/excel/budget-sheet');
  const { summariseBudget } = await import('../../../addin/sheet/budget-summary');
  const excel = new FakeExcel();
  const budget = {
    fy: '2026/27',
    fundPence: 150_000_000,
    costShare: defaultCostShare(),
    funders: [
      {
        funder: 'west-mercia' as const,
        potPence: 103_500_000,
        committedPence: 1_000,
        releasedPence: 0,
        pendingPence: 0,
        remainingPence: 103_499_000,
      },
      {
        funder: 'warwickshire' as const,
        potPence: 46_500_000,
        committedPence: 46_500_000,
        releasedPence: 0,
        pendingPence: 100,
        remainingPence: 0,
      },
    ],
  };
  const sync = jest.spyOn(excel.context, 'sync');
  await writeBudgetSheet(excel.context, summariseBudget(budget), { readAt: new Date('2026-11-29T12:00:00Z') });
  const paid = { paidPence: 34_501, dueThisQuarterPence: 100, returnedPence: 1_000, clawbackDuePence: 250 };
  const none = { paidPence: 0, dueThisQuarterPence: 0, returnedPence: 0, clawbackDuePence: 0 };
  const payments = { 'west-mercia': paid, warwickshire: none };
  await writeBudgetSheet(excel.context, summariseBudget(budget, [], payments), { readAt: new Date('2026-11-29T12:05:00Z') });
  expect(sync.mock.calls.length).toBe(2 + 3);
  expect(excel.charts).toHaveLength(1);
  const sheet = excel.sheet('Budget');
  expect(sheet.content('A5')).toBe('West Mercia');
  expect(sheet.get(4, 0)?.format).toBe('@');
  expect(sheet.content('F5')).toBe(1_035_000);
  expect(sheet.get(4, 5)?.format).toBe(MONEY_FORMAT);
  expect(String(sheet.content('I6'))).toBe('if every recommended bid is approved, Warwickshire is £1.00 over');
  expect(sheet.content('A7')).toBe('Total');
  // The money after approval (docs/design.md §3.1): J–M per funder and in total.
  expect(['J4', 'K4', 'L4', 'M4'].map((a) => sheet.content(a))).toEqual([
    'Paid to date £',
    'Due this quarter £',
    'Returned £',
    'Clawback due £',
  ]);
  expect(['J5', 'K5', 'L5', 'M5'].map((a) => sheet.content(a))).toEqual([345.01, 1, 10, 2.5]);
  expect(['J7', 'K7', 'L7', 'M7'].map((a) => sheet.content(a))).toEqual([345.01, 1, 10, 2.5]);
  expect(sheet.get(4, 9)?.format).toBe(MONEY_FORMAT);
});
