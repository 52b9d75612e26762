/** Budget checks 7 (overdue returns) and 8 (spend trailing payment), docs/design.md §1.3 and §1.4. */
import fc from 'fast-check';
import {
  CHECK_NUMBERS,
  checkOverdueReturns,
  checkSpendTrailing,
  paidPence,
  paidSoFar,
  quartersOwed,
  returnDueOn,
  runBudgetChecks,
  type CheckedReturn,
  type ReportingBid,
} from '../../domain';

const bid = (overrides: Partial<ReportingBid> = {}): ReportingBid => ({
  id: 'FS-000001',
  fy: '2026/27',
  status: 'approved',
  createdAt: '2026-05-10T09:00:00.000Z',
  shares: { 'west-mercia': 69_000, warwickshire: 31_000 },
  decisions: { 'west-mercia': 'approved', warwickshire: 'approved' },
  ...overrides,
});
const filed = (quarter: string, overrides: Partial<CheckedReturn> = {}): CheckedReturn => ({
  bidId: 'FS-000001',
  quarter,
  status: 'submitted',
  spendToDatePence: 0,
  ...overrides,
});

test('due dates: 30 days after the quarter ends (Q1 April–June … Q4 to 31 March), or the days given', () => {
  expect(returnDueOn({ fy: '2026/27', number: 1 })).toBe('2026-07-30');
  expect(returnDueOn({ fy: '2026/27', number: 2 })).toBe('2026-10-30');
  expect(returnDueOn({ fy: '2026/27', number: 3 })).toBe('2027-01-30');
  expect(returnDueOn({ fy: '2026/27', number: 4 })).toBe('2027-04-30');
  expect(returnDueOn({ fy: '2026/27', number: 4 }, 14)).toBe('2027-04-14');
  // A bid owes the quarters of its year ending on or after its creation, once approved or released.
  expect(quartersOwed(bid()).map((q) => q.number)).toEqual([1, 2, 3, 4]);
  expect(quartersOwed(bid({ createdAt: '2026-10-01T00:00:00.000Z' })).map((q) => q.number)).toEqual([3, 4]);
  expect(quartersOwed(bid({ status: 'recommended' }))).toEqual([]);
});

describe('check 7: overdue returns', () => {
  test('a quarter past its due date with no submitted or accepted return is a warning naming the bid and quarter', () => {
    const findings = checkOverdueReturns({ bids: [bid()], returns: [filed('2026-27-Q1', { status: 'accepted' })], today: '2026-11-02' });
    expect(findings).toEqual([
      {
        check: 'overdue-return',
        severity: 'warning',
        bidId: 'FS-000001',
        quarter: '2026-27-Q2',
        message: 'the 2026-27-Q2 monitoring return for FS-000001 was due on 2026-10-30 and has not been filed',
        amounts: {},
      },
    ]);
    expect(CHECK_NUMBERS['overdue-return']).toBe(7);
  });

  test('on the due date it is not yet overdue; a sent-back return is owed again; undecided bids owe nothing', () => {
    expect(checkOverdueReturns({ bids: [bid()], returns: [filed('2026-27-Q1')], today: '2026-10-30' })).toEqual([]);
    const sentBack = checkOverdueReturns({ bids: [bid()], returns: [filed('2026-27-Q1', { status: 'returned' })], today: '2026-08-01' });
    expect(sentBack.map((f) => f.quarter)).toEqual(['2026-27-Q1']);
    expect(checkOverdueReturns({ bids: [bid({ status: 'recommended' })], returns: [], today: '2027-12-01' })).toEqual([]);
    // A shorter due period of the year brings the date forward.
    expect(checkOverdueReturns({ bids: [bid()], returns: [], today: '2026-07-20', dueDays: 14 }).map((f) => f.quarter)).toEqual([
      '2026-27-Q1',
    ]);
  });
});

describe('check 8: spend trailing payment', () => {
  const released = bid({ status: 'released', decisions: { 'west-mercia': 'released', warwickshire: 'released' } });

  test('spend more than 25 % below what was paid is a warning with the amounts; exactly 25 % is not', () => {
    expect(paidPence(released)).toBe(100_000);
    expect(checkSpendTrailing({ bids: [released], returns: [filed('2026-27-Q2', { spendToDatePence: 75_000 })] })).toEqual([]);
    expect(checkSpendTrailing({ bids: [released], returns: [filed('2026-27-Q2', { spendToDatePence: 74_999 })] })).toEqual([
      {
        check: 'spend-trailing',
        severity: 'warning',
        bidId: 'FS-000001',
        quarter: '2026-27-Q2',
        message: 'FS-000001 reports £749.99 spent to 2026-27-Q2, £250.01 behind the £1,000.00 paid (more than 25 %)',
        amounts: { paidPence: 100_000, spendToDatePence: 74_999, shortfallPence: 25_001 },
      },
    ]);
    expect(CHECK_NUMBERS['spend-trailing']).toBe(8);
  });

  test('the latest filed return counts; sent-back returns and bids with nothing paid are skipped', () => {
    const returns = [filed('2026-27-Q3', { spendToDatePence: 90_000 }), filed('2026-27-Q1', { spendToDatePence: 1 })];
    expect(checkSpendTrailing({ bids: [released], returns })).toEqual([]);
    expect(checkSpendTrailing({ bids: [released], returns: [filed('2026-27-Q3', { spendToDatePence: 1, status: 'returned' })] })).toEqual(
      [],
    );
    // Only one funder has released: paid is its share alone.
    const half = bid({ decisions: { 'west-mercia': 'released', warwickshire: 'approved' } });
    expect(checkSpendTrailing({ bids: [half], returns: [filed('2026-27-Q2', { spendToDatePence: 52_000 })] })).toEqual([]);
    expect(checkSpendTrailing({ bids: [bid()], returns: [filed('2026-27-Q2', { spendToDatePence: 0 })] })).toEqual([]);
  });

  test('paid is what the instalments paid, per funder; a funder released without a schedule paid its whole share', () => {
    const instalment = (parts: Record<string, number>, paid: string[]) => ({
      due: '2026-06-01',
      amountPence: Object.values(parts).reduce((a, b) => a + b, 0),
      parts,
      paid: Object.fromEntries(paid.map((f) => [f, '2026-06-02T00:00:00.000Z'])),
    });
    // Approved, first instalment paid by west-mercia only: paid is that part, not the share.
    const scheduled = bid({
      payments: [
        instalment({ 'west-mercia': 34_500, warwickshire: 15_500 }, ['west-mercia']),
        instalment({ 'west-mercia': 34_500, warwickshire: 15_500 }, []),
      ],
    });
    expect(paidSoFar(scheduled)).toEqual({ 'west-mercia': 34_500, warwickshire: 0 });
    expect(paidPence(scheduled)).toBe(34_500);
    // Spend £200 against £345 paid: more than 25 % behind (the released-shares reading saw nothing paid).
    expect(checkSpendTrailing({ bids: [scheduled], returns: [filed('2026-27-Q1', { spendToDatePence: 20_000 })] })).toMatchObject([
      { check: 'spend-trailing', amounts: { paidPence: 34_500, spendToDatePence: 20_000, shortfallPence: 14_500 } },
    ]);
    // warwickshire released whole before the schedule (no part of its own); west-mercia paid one instalment.
    const mixed = bid({
      decisions: { 'west-mercia': 'approved', warwickshire: 'released' },
      payments: [
        instalment({ 'west-mercia': 30_000, warwickshire: 0 }, ['west-mercia']),
        instalment({ 'west-mercia': 39_000, warwickshire: 0 }, []),
      ],
    });
    expect(paidSoFar(mixed)).toEqual({ 'west-mercia': 30_000, warwickshire: 31_000 });
    // Released through its schedule: the parts, which sum to the share (not counted twice).
    const done = bid({
      status: 'released',
      decisions: { 'west-mercia': 'released', warwickshire: 'released' },
      payments: [instalment({ 'west-mercia': 69_000, warwickshire: 31_000 }, ['west-mercia', 'warwickshire'])],
    });
    expect(paidPence(done)).toBe(100_000);
  });

  test('property: warns exactly when 4 × spend < 3 × paid', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 0, max: 10_000_000 }), (wm, spend) => {
        const b = bid({ shares: { 'west-mercia': wm }, decisions: { 'west-mercia': 'released' } });
        const warned = checkSpendTrailing({ bids: [b], returns: [filed('2026-27-Q2', { spendToDatePence: spend })] }).length === 1;
        return warned === (wm > 0 && spend * 4 < wm * 3);
      }),
    );
  });
});

test('runBudgetChecks adds checks 7–8 when given the monitoring input (single-pass iterables too), and none without it', () => {
  const budget = {
    fy: '2026/27',
    fundPence: 150_000_000,
    costShare: { 'west-mercia': 6900, warwickshire: 3100 },
    funders: [],
  };
  function* once<T>(items: T[]): Generator<T> {
    yield* items;
  }
  const findings = runBudgetChecks({
    budget,
    bids: [],
    monitoring: {
      bids: once([bid({ decisions: { 'west-mercia': 'released' } })]),
      returns: once([filed('2026-27-Q1')]),
      today: '2026-11-02',
    },
  });
  expect(findings.map((f) => `${f.check} ${f.quarter}`)).toEqual(['overdue-return 2026-27-Q2', 'spend-trailing 2026-27-Q1']);
  expect(runBudgetChecks({ budget, bids: [] })).toEqual([]);
});
