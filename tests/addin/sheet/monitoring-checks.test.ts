/** Checks 7–8 as the Bids sheet's Check column shows them (docs/design.md §1.3). */
import { monitoringMessages } from '../../../addin/sheet/monitoring-checks';
import { withChecks } from '../../../addin/sheet/sync-plan';
import { defaultCostShare, type Bid, type MonitoringReturn } from '../../../domain';
import { bidToRowData } from '../../../addin/sheet/bid-rows';
import { makeBid } from '../support/bids';

const returned = (bidId: string, quarter: string, spendToDatePence: number): MonitoringReturn => ({
  bidId,
  fy: '2026/27',
  quarter,
  status: 'accepted',
  spendToDatePence,
  actuals: [],
  rag: 'green',
  narrative: 'n',
  dueOn: '2026-07-30',
  version: 1,
  filedAt: '2026-07-01T00:00:00.000Z',
  filedBy: 'x',
  updatedAt: '2026-07-01T00:00:00.000Z',
  history: [],
});

test('check 8 from the paid instalments and check 7 per quarter land in the bid’s Check cell, after checks 3–5', () => {
  const bid: Bid = makeBid({
    id: 'FS-000042',
    fy: '2026/27',
    createdAt: '2026-04-02T00:00:00.000Z',
    recommendedPence: 100_000,
    status: 'approved',
    shares: { 'west-mercia': 69_000, warwickshire: 31_000 },
    decisions: { 'west-mercia': 'approved', warwickshire: 'approved' },
    payments: [
      {
        due: '2026-05-01',
        amountPence: 50_000,
        parts: { 'west-mercia': 34_500, warwickshire: 15_500 },
        paid: { 'west-mercia': '2026-05-02T00:00:00.000Z' },
      },
      { due: '2026-09-01', amountPence: 50_000, parts: { 'west-mercia': 34_500, warwickshire: 15_500 }, paid: {} },
    ],
  });
  const messages = monitoringMessages([bid], [returned(bid.id, '2026-27-Q1', 10_000)], new Date('2026-11-02T12:00:00Z'));
  expect(messages.get(bid.id)).toEqual([
    'Check 7: the 2026-27-Q2 monitoring return for FS-000042 was due on 2026-10-30 and has not been filed',
    'Check 8: FS-000042 reports £100.00 spent to 2026-27-Q1, £245.00 behind the £345.00 paid (more than 25 %)',
  ]);
  const [row] = withChecks([bidToRowData(bid)], new Map([[bid.id, bid]]), defaultCostShare(), new Map(), messages);
  expect(row!.check.endsWith(messages.get(bid.id)!.join('; '))).toBe(true);
  expect(
    monitoringMessages(
      [bid],
      [returned(bid.id, '2026-27-Q1', 10_000), returned(bid.id, '2026-27-Q2', 30_000)],
      new Date('2026-11-02T12:00:00Z'),
    ).size,
  ).toBe(0);
});

test('check 7 in the sheet follows the year’s return due days (the budget’s returnDueDays)', () => {
  const bid: Bid = makeBid({ id: 'FS-000043', fy: '2026/27', createdAt: '2026-04-02T00:00:00.000Z', status: 'approved' });
  const q2 = [returned(bid.id, '2026-27-Q1', 0)];
  // Q2 ends 2026-09-30: due 2026-10-30 by default, 2026-11-29 with 60 days.
  const today = new Date('2026-11-02T12:00:00Z');
  expect(monitoringMessages([bid], q2, today).get(bid.id)?.[0]).toMatch(/^Check 7: .*2026-27-Q2 .* due on 2026-10-30/);
  expect(monitoringMessages([bid], q2, today, 60).get(bid.id)).toBeUndefined();
  expect(monitoringMessages([bid], q2, new Date('2026-11-30T12:00:00Z'), 60).get(bid.id)?.[0]).toMatch(/due on 2026-11-29/);
});
