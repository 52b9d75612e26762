/** The year's returnDueDays (docs/design.md §1.4, issue 15): check 7 and the year's report date returns by it. */
import { buildYearReport, checkFundTotal, defaultCostShare, returnDueOn, type Bid, type Budget } from '../../domain';
import { newBid } from './fixtures';

const approved = (): Bid => ({
  ...newBid(),
  status: 'approved',
  createdAt: '2025-05-01T09:00:00.000Z',
  recommendedPence: 100_001,
  shares: { 'west-mercia': 69_001, warwickshire: 31_000 },
  decisions: { 'west-mercia': 'approved', warwickshire: 'approved' },
});
const overdueOn = (today: string, dueDays?: number) =>
  buildYearReport({
    fy: '2025/26',
    costShare: defaultCostShare(),
    bids: [approved()],
    returns: [],
    events: [],
    today,
    ...(dueDays !== undefined ? { dueDays } : {}),
  }).returnFindings.map((f) => f.quarter);

test('the year report finds a Q1 return overdue after the year’s due days, 30 by default', () => {
  // Q1 ends 30 June 2025: due 30 July by default, 14 July with 14 days.
  expect(returnDueOn({ fy: '2025/26', number: 1 }, 14)).toBe('2025-07-14');
  expect(overdueOn('2025-07-20')).toEqual([]);
  expect(overdueOn('2025-07-20', 14)).toEqual(['2025-26-Q1']);
  expect(overdueOn('2025-07-31')).toEqual(['2025-26-Q1']);
  expect(overdueOn('2025-07-20', 60)).toEqual([]);
});

test('check 2 counts money carried in from a closed year beside the fund', () => {
  const budget = (carriedInPence?: number): Budget => ({
    fy: '2027/28',
    fundPence: 1_000,
    costShare: defaultCostShare(),
    funders: [
      {
        funder: 'west-mercia',
        potPence: 1_500,
        committedPence: 1_400,
        releasedPence: 0,
        pendingPence: 0,
        remainingPence: 100,
        ...(carriedInPence !== undefined ? { carriedInPence } : {}),
      },
    ],
  });
  expect(checkFundTotal(budget())).toHaveLength(1);
  expect(checkFundTotal(budget(500))).toEqual([]);
  expect(checkFundTotal(budget(300))[0]).toMatchObject({ amounts: { fundPence: 1_000, carriedInPence: 300, excessPence: 100 } });
});
