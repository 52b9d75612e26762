/** The Payments sheet's rows and the Budget sheet's payment columns, from the pulled bids (docs/design.md §3.1). */
import { defaultCostShare, type Budget } from '../../../domain';
import { summariseBudget } from '../../../addin/sheet/budget-summary';
import { paymentRows, paymentTotals, quarterOf } from '../../../addin/sheet/payment-rows';
import { makeBid } from '../support/bids';

const approved = makeBid({
  id: 'b-1',
  status: 'approved',
  recommendedPence: 100_001,
  version: 7,
  payments: [
    {
      due: '2026-06-30',
      amountPence: 50_001,
      parts: { 'west-mercia': 34_501, warwickshire: 15_500 },
      paid: { 'west-mercia': '2026-07-01T10:00:00.000Z' },
      paidBy: { 'west-mercia': 'pcc-wm' },
    },
    {
      due: '2026-12-31',
      amountPence: 50_000,
      parts: { 'west-mercia': 34_500, warwickshire: 15_500 },
      paid: {},
      requiresReturn: '2026-27-Q2',
    },
  ],
  returned: { warwickshire: 1_000 },
  clawbackDue: { 'west-mercia': 250 },
});
const unscheduled = makeBid({ id: 'a-0', status: 'approved' });

test('one row per instalment per funder, in bid, instalment and alliance order; unscheduled bids have none', () => {
  const rows = paymentRows([approved, unscheduled]);
  expect(rows.map((r) => [r.bidId, r.instalment, r.funder, r.partPence, r.paidAt, r.paidBy, r.requiresReturn, r.version])).toEqual([
    ['b-1', 1, 'west-mercia', 34_501, '2026-07-01T10:00:00.000Z', 'pcc-wm', null, 7],
    ['b-1', 1, 'warwickshire', 15_500, null, null, null, 7],
    ['b-1', 2, 'west-mercia', 34_500, null, null, '2026-27-Q2', 7],
    ['b-1', 2, 'warwickshire', 15_500, null, null, '2026-27-Q2', 7],
  ]);
  expect(rows[0]).toMatchObject({ title: 'Bid b-1', due: '2026-06-30', funderName: 'West Mercia' });
});

test('quarters are the calendar quarters (the financial year’s)', () => {
  expect(quarterOf(new Date('2026-12-04T16:00:00Z'))).toEqual({ from: '2026-10-01', to: '2026-12-31' });
  expect(quarterOf(new Date('2027-02-28T23:59:59Z'))).toEqual({ from: '2027-01-01', to: '2027-03-31' });
  expect(quarterOf(new Date('2026-04-01T00:00:00Z'))).toEqual({ from: '2026-04-01', to: '2026-06-30' });
});

test('per funder: paid to date, unpaid parts due this quarter, returned and clawback due', () => {
  const totals = paymentTotals([approved, unscheduled], new Date('2026-12-04T12:00:00Z'));
  expect(totals['west-mercia']).toEqual({ paidPence: 34_501, dueThisQuarterPence: 34_500, returnedPence: 0, clawbackDuePence: 250 });
  // Warwickshire's first part is overdue from an earlier quarter: not "due this quarter".
  expect(totals.warwickshire).toEqual({ paidPence: 0, dueThisQuarterPence: 15_500, returnedPence: 1_000, clawbackDuePence: 0 });
  const inJune = paymentTotals([approved], new Date('2026-06-01T00:00:00Z'));
  expect(inJune.warwickshire.dueThisQuarterPence).toBe(15_500);
  expect(inJune['west-mercia'].dueThisQuarterPence).toBe(0);
});

test('the Budget summary carries the payment columns per funder and in total (0 without bids)', () => {
  const budget: Budget = {
    fy: '2026/27',
    fundPence: 150_000_000,
    costShare: defaultCostShare(),
    funders: [
      {
        funder: 'west-mercia',
        potPence: 103_500_000,
        committedPence: 69_001,
        releasedPence: 0,
        pendingPence: 0,
        remainingPence: 103_430_999,
      },
      {
        funder: 'warwickshire',
        potPence: 46_500_000,
        committedPence: 31_000,
        releasedPence: 0,
        pendingPence: 0,
        remainingPence: 46_469_000,
      },
    ],
  };
  const summary = summariseBudget(budget, [], paymentTotals([approved], new Date('2026-12-04T12:00:00Z')));
  expect(summary.funders.map((f) => [f.paidPence, f.dueThisQuarterPence, f.returnedPence, f.clawbackDuePence])).toEqual([
    [34_501, 34_500, 0, 250],
    [0, 15_500, 1_000, 0],
  ]);
  expect(summary.totals).toMatchObject({ paidPence: 34_501, dueThisQuarterPence: 50_000, returnedPence: 1_000, clawbackDuePence: 250 });
  expect(summariseBudget(budget).totals).toMatchObject({ paidPence: 0, dueThisQuarterPence: 0, returnedPence: 0, clawbackDuePence: 0 });
});
