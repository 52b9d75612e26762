/**
 * Finance pushes payment schedules from the Schedule sheet (docs/design.md §3.1, §6): the real
 * local API (dynalite) and the Excel adapters over a mocked workbook.
 */
import type { Bid } from '../../../domain';
import { PAYMENTS_SHEET, paymentLetter } from '../../../addin/sheet/payments-plan';
import { SCHEDULE_SHEET, scheduleLetter } from '../../../addin/sheet/schedule-plan';
import { pushSchedules } from '../../../addin/workflows/schedule';
import { pullBids, WorkflowError, type WorkflowDeps } from '../../../addin/workflows/workflows';
import { approvedBid, FY, setPots } from '../../support/fund';
import { startTestApi, type TestActorName, type TestApi } from '../../support/stack';
import { FakeExcel } from '../support/fake-excel';
import { workflowDepsFor } from '../support/workflow-deps';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
  await setPots(api, { 'west-mercia': 103_500_000, warwickshire: 46_500_000 });
});
afterAll(() => api?.stop());

const depsFor = (excel: FakeExcel, who: TestActorName): WorkflowDeps => workflowDepsFor(api, excel, who, new Date('2025-09-15T12:00:00Z'));

const schedule = (excel: FakeExcel) => excel.sheet(SCHEDULE_SHEET);
const payments = (excel: FakeExcel) => excel.sheet(PAYMENTS_SHEET);
/** The Payments sheet's (instalment, due, funder, amount, requires return) rows of a bid. */
function paymentLines(excel: FakeExcel, bidId: string): (string | number | boolean)[][] {
  const lines: (string | number | boolean)[][] = [];
  for (let r = 2; r < 1000 && payments(excel).get(r - 1, 0)?.value !== undefined; r++) {
    if (payments(excel).content(`A${r}`) !== bidId) continue;
    lines.push(
      (['instalment', 'due', 'funder', 'amount', 'requiresReturn'] as const).map((k) => payments(excel).content(`${paymentLetter(k)}${r}`)),
    );
  }
  return lines;
}

test('finance pushes a schedule; the Payments sheet shows each instalment’s per-funder parts and the rows leave the Schedule sheet', async () => {
  const bid = await approvedBid(api, 100_001, { title: 'Schedule: pushed' });
  const excel = new FakeExcel();
  const deps = depsFor(excel, 'finance');
  await pullBids(deps, FY);
  expect(paymentLines(excel, bid.id)).toEqual([]);
  excel.put(SCHEDULE_SHEET, 'A1', [
    ['Bid ID', 'Due', 'Amount £', 'Requires return', 'Result'],
    [bid.id, '2025-09-30', 500, '', ''],
    [bid.id, '2026-03-31', '500.01', '2025-26-Q3', ''],
  ]);
  const result = await pushSchedules(deps, FY);
  expect(result).toMatchObject({ sent: 1, scheduled: 1, refused: [] });
  expect(paymentLines(excel, bid.id)).toEqual([
    [1, '2025-09-30', 'west-mercia', 345, ''],
    [1, '2025-09-30', 'warwickshire', 155, ''],
    [2, '2026-03-31', 'west-mercia', 345.01, '2025-26-Q3'],
    [2, '2026-03-31', 'warwickshire', 155, '2025-26-Q3'],
  ]);
  expect(schedule(excel).content('A1')).toBe('Bid ID');
  expect(schedule(excel).content('A2')).toBe('');
  const server = (await api.call<Bid>('finance', 'GET', `/bids/${bid.id}`)).body;
  expect(server.payments?.map((i) => [i.due, i.parts])).toEqual([
    ['2025-09-30', { 'west-mercia': 34_500, warwickshire: 15_500 }],
    ['2026-03-31', { 'west-mercia': 34_501, warwickshire: 15_500 }],
  ]);
});

test('a bad row is refused before sending naming its column; a server refusal keeps the cells with its reason', async () => {
  const good = await approvedBid(api, 100_001, { title: 'Schedule: local refusal' });
  const short = await approvedBid(api, 100_001, { title: 'Schedule: server refusal' });
  const excel = new FakeExcel();
  const deps = depsFor(excel, 'finance');
  await pullBids(deps, FY);
  excel.put(SCHEDULE_SHEET, 'A1', [
    ['Bid ID', 'Due', 'Amount £', 'Requires return', 'Result'],
    [good.id, '30/09/2025', 1000.01, '', ''],
    [short.id, '2025-09-30', 900, '', ''],
  ]);
  const result = await pushSchedules(deps, FY);
  expect(result).toMatchObject({ sent: 1, scheduled: 0 });
  const rows = [2, 3].map((r) =>
    (['bidId', 'due', 'amount', 'result'] as const).map((k) => schedule(excel).content(`${scheduleLetter(k)}${r}`)),
  );
  expect(rows).toEqual([
    [good.id, '30/09/2025', 1000.01, 'Due: must be a date like 2026-09-30 (typed as text)'],
    [short.id, '2025-09-30', 900, 'Refused: instalments: the instalments sum to £900.00, not the funded amount: £1,000.01'],
  ]);
  expect(result.refused.map((r) => r.title).sort()).toEqual(['Schedule: local refusal', 'Schedule: server refusal']);
  for (const bid of [good, short]) expect((await api.call<Bid>('finance', 'GET', `/bids/${bid.id}`)).body.payments ?? []).toEqual([]);
});

test('only finance pushes schedules', async () => {
  const excel = new FakeExcel();
  await expect(pushSchedules(depsFor(excel, 'westMerciaPcc'), FY)).rejects.toThrow(WorkflowError);
});

test('a bid that changed since the pull is a conflict: its rows keep their cells, with the server’s reason', async () => {
  const bid = await approvedBid(api, 100_001, { title: 'Schedule: conflict' });
  const excel = new FakeExcel();
  const deps = depsFor(excel, 'finance');
  await pullBids(deps, FY);
  // Meanwhile the bid is scheduled over the API: the pulled version is stale.
  const moved = await api.call<Bid>('finance', 'PUT', `/bids/${bid.id}/payments`, {
    body: { instalments: [{ due: '2025-09-30', amountPence: 100_001 }] },
    headers: { 'if-match': `"${bid.version}"` },
  });
  expect(moved.status).toBe(200);
  excel.put(SCHEDULE_SHEET, 'A1', [
    ['Bid ID', 'Due', 'Amount £', 'Requires return', 'Result'],
    [bid.id, '2025-10-31', 1000.01, '', ''],
  ]);
  const result = await pushSchedules(deps, FY);
  expect(result).toMatchObject({ sent: 1, scheduled: 0 });
  expect(String(schedule(excel).content(`${scheduleLetter('result')}2`))).toMatch(/^Conflict: /);
  expect([schedule(excel).content('A2'), schedule(excel).content('B2'), schedule(excel).content('C2')]).toEqual([
    bid.id,
    '2025-10-31',
    1000.01,
  ]);
  expect((await api.call<Bid>('finance', 'GET', `/bids/${bid.id}`)).body.payments?.map((i) => i.due)).toEqual(['2025-09-30']);
});

test('the first push, with no Schedule sheet, creates it with its headers and sends nothing', async () => {
  await approvedBid(api, 100_001, { title: 'Schedule: first press' });
  const excel = new FakeExcel();
  const deps = depsFor(excel, 'finance');
  await pullBids(deps, FY);
  await expect(pushSchedules(deps, FY)).resolves.toMatchObject({ sent: 0, scheduled: 0, refused: [] });
  expect(['A1', 'B1', 'C1', 'D1', 'E1'].map((a) => schedule(excel).content(a))).toEqual([
    'Bid ID',
    'Due',
    'Amount £',
    'Requires return',
    'Result',
  ]);
  expect(schedule(excel).content('A2')).toBe('');
});
