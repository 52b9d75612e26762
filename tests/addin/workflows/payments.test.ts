/**
 * The Payments sheet end to end (docs/design.md §3.1): the real local API (dynalite) and the Excel
 * adapters over a mocked workbook. Finance schedules over the API; a pull writes one row per
 * instalment per funder and the Budget's payment columns; a PCC releases its part from the sheet.
 */
import type { Bid } from '../../../domain';
import { PAYMENTS_SHEET, paymentLetter } from '../../../addin/sheet/payments-plan';
import { releasePayments } from '../../../addin/workflows/payments';
import { pullBids, type WorkflowDeps } from '../../../addin/workflows/workflows';
import { approvedBid, FY, setPots } from '../../support/fund';
import { startTestApi, testActors, type TestActorName, type TestApi } from '../../support/stack';
import { FakeExcel } from '../support/fake-excel';
import { workflowDepsFor } from '../support/workflow-deps';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
  await setPots(api, { 'west-mercia': 103_500_000, warwickshire: 46_500_000 });
});
afterAll(() => api?.stop());

const depsFor = (excel: FakeExcel, who: TestActorName): WorkflowDeps => workflowDepsFor(api, excel, who, new Date('2025-09-15T12:00:00Z'));

/** An approved £1,000.01 alliance bid scheduled in three instalments (parts 1/0, 34,500/15,500 twice). */
async function scheduledBid(title: string): Promise<Bid> {
  const approved = await approvedBid(api, 100_001, { title });
  const scheduled = await api.call<Bid>('finance', 'PUT', `/bids/${approved.id}/payments`, {
    body: {
      instalments: [
        { due: '2025-06-30', amountPence: 1 },
        { due: '2025-09-30', amountPence: 50_000 },
        { due: '2026-03-31', amountPence: 50_000 },
      ],
    },
    headers: { 'if-match': `"${approved.version}"` },
  });
  expect(scheduled.status).toBe(200);
  return scheduled.body;
}

const sheet = (excel: FakeExcel) => excel.sheet(PAYMENTS_SHEET);
/** The bid's six sheet rows: instalments 1–3 × (West Mercia, Warwickshire). */
const rowsOf = (excel: FakeExcel, bidId: string): [number, number, number, number, number, number] => {
  const rows: number[] = [];
  for (let r = 1; r < 1000; r++) {
    const id = sheet(excel).get(r, 0)?.value;
    if (id === undefined) break;
    if (id === bidId) rows.push(r + 1);
  }
  expect(rows).toHaveLength(6);
  return rows as [number, number, number, number, number, number];
};
const cell = (excel: FakeExcel, key: Parameters<typeof paymentLetter>[0], row: number) =>
  sheet(excel).content(`${paymentLetter(key)}${row}`);
const line = (excel: FakeExcel, row: number) =>
  (['instalment', 'due', 'funder', 'amount', 'paid', 'paidBy', 'requiresReturn'] as const).map((k) => cell(excel, k, row));

test('a pull writes one row per instalment per funder, and the Budget sheet’s paid and due columns', async () => {
  const bid = await scheduledBid('Payments sheet: pull');
  const released = await api.call<Bid>('westMerciaPcc', 'POST', `/bids/${bid.id}/payments/1/actions/release`, {
    headers: { 'if-match': `"${bid.version}"` },
  });
  expect(released.status).toBe(200);
  const excel = new FakeExcel();
  await pullBids(depsFor(excel, 'finance'), FY);
  const rows = rowsOf(excel, bid.id);
  expect(rows.map((r) => line(excel, r))).toEqual([
    [1, '2025-06-30', 'west-mercia', 0.01, 'yes', testActors.westMerciaPcc.sub, ''],
    [1, '2025-06-30', 'warwickshire', 0, 'no', '', ''],
    [2, '2025-09-30', 'west-mercia', 345, 'no', '', ''],
    [2, '2025-09-30', 'warwickshire', 155, 'no', '', ''],
    [3, '2026-03-31', 'west-mercia', 345, 'no', '', ''],
    [3, '2026-03-31', 'warwickshire', 155, 'no', '', ''],
  ]);
  expect(sheet(excel).content('A1')).toBe('Bid ID');
  expect(cell(excel, 'title', rows[0])).toBe('Payments sheet: pull');
  expect(String(cell(excel, 'paidAt', rows[0]))).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  // Finance has no Release drop-down.
  expect(excel.validations.filter((v) => v.sheet === PAYMENTS_SHEET && v.validation.rule?.list)).toEqual([]);
  // Budget J–M (the quarter of 2025-09-15 holds instalment 2): paid to date and due this quarter include this bid.
  const budget = excel.sheet('Budget');
  expect(budget.content('J4')).toBe('Paid to date £');
  expect(Number(budget.content('J5'))).toBeGreaterThanOrEqual(0.01);
  expect(Number(budget.content('K5'))).toBeGreaterThanOrEqual(345);
  expect(Number(budget.content('K6'))).toBeGreaterThanOrEqual(155);
});

test('a PCC releases its own part from the sheet; a part of the other funder is refused before sending, keeping its cell', async () => {
  const bid = await scheduledBid('Payments sheet: release');
  const excel = new FakeExcel();
  const deps = depsFor(excel, 'westMerciaPcc');
  await pullBids(deps, FY);
  const [, wk1, wm2, wk2, wm3] = rowsOf(excel, bid.id);
  // The drop-down is on West Mercia's unpaid, non-zero parts only.
  const lists = excel.validations.filter((v) => v.sheet === PAYMENTS_SHEET && v.validation.rule?.list?.source === 'release');
  const listed = lists.flatMap((v) => v.address.split(','));
  expect(listed.some((a) => a.includes(`${paymentLetter('release')}${wm2}`))).toBe(true);
  expect(listed.some((a) => a === `${paymentLetter('release')}${wk2}`)).toBe(false);

  excel.put(PAYMENTS_SHEET, `${paymentLetter('release')}${wm2}`, [['release']]);
  excel.put(PAYMENTS_SHEET, `${paymentLetter('release')}${wm3}`, [['release']]);
  excel.put(PAYMENTS_SHEET, `${paymentLetter('release')}${wk2}`, [['release']]);
  excel.put(PAYMENTS_SHEET, `${paymentLetter('release')}${wk1}`, [['pay it']]);
  const result = await releasePayments(deps, FY);
  expect(result).toMatchObject({ sent: 2, released: 2 });
  expect(result.refused.map((r) => r.message).sort()).toEqual([
    'Release: choose "release" or leave it blank',
    'Release: this part is warwickshire’s; you release only West Mercia’s',
  ]);
  // Released rows: paid, cell cleared; refused rows keep their cell and say why in Result.
  expect([cell(excel, 'paid', wm2), cell(excel, 'release', wm2), cell(excel, 'result', wm2)]).toEqual(['yes', '', 'released']);
  expect([cell(excel, 'paid', wm3), cell(excel, 'result', wm3)]).toEqual(['yes', 'released']);
  expect([cell(excel, 'paid', wk2), cell(excel, 'release', wk2)]).toEqual(['no', 'release']);
  expect(cell(excel, 'result', wk2)).toBe('Release: this part is warwickshire’s; you release only West Mercia’s');
  expect(cell(excel, 'release', wk1)).toBe('pay it');
  const server = (await api.call<Bid>('finance', 'GET', `/bids/${bid.id}`)).body;
  expect(server.payments?.map((i) => i.paid['west-mercia'] !== undefined)).toEqual([false, true, true]);
  expect(server.payments?.[1]?.paidBy?.['west-mercia']).toBe(testActors.westMerciaPcc.sub);
});

test('a release the server refuses keeps its cell with the server’s reason; another funder’s release meanwhile does not block it', async () => {
  const bid = await scheduledBid('Payments sheet: refused');
  const excel = new FakeExcel();
  const deps = depsFor(excel, 'warwickshirePcc');
  await pullBids(deps, FY);
  const [, wk1, , wk2] = rowsOf(excel, bid.id);
  // Warwickshire's part of instalment 1 is £0: no drop-down, and the server refuses it if typed.
  excel.put(PAYMENTS_SHEET, `${paymentLetter('release')}${wk1}`, [['release']]);
  // Meanwhile West Mercia releases on the server: the sheet's version is stale.
  const moved = await api.call<Bid>('westMerciaPcc', 'POST', `/bids/${bid.id}/payments/2/actions/release`, {
    headers: { 'if-match': `"${bid.version}"` },
  });
  expect(moved.status).toBe(200);
  excel.put(PAYMENTS_SHEET, `${paymentLetter('release')}${wk2}`, [['release']]);
  const result = await releasePayments(deps, FY);
  expect(result).toMatchObject({ sent: 2, released: 1 });
  expect(result.refused).toEqual([
    { bidId: bid.id, title: 'Payments sheet: refused', message: "Refused: Warwickshire's part of instalment 1 is nothing" },
  ]);
  expect([cell(excel, 'release', wk1), cell(excel, 'paid', wk1)]).toEqual(['release', 'no']);
  expect(cell(excel, 'result', wk1)).toBe("Refused: Warwickshire's part of instalment 1 is nothing");
  // Another funder's release moved the bid on, and funders' releases commute: this one still goes ahead.
  expect([cell(excel, 'result', wk2), cell(excel, 'paid', wk2)]).toEqual(['released', 'yes']);
});
