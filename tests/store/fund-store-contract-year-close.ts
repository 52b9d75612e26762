/**
 * The store contract for closing a year (docs/design.md §3.1): one close record per year, its
 * outturn fixed once; a closed ledger refuses commits, raised shares and pot changes but not
 * releases, payments or decreases; a carry-in grows pot and remaining once per closed year.
 */
import { defaultCostShare, type Outturn, type YearClose } from '../../domain';
import type { FundStore } from '../../functions/store/types';
import { allocation } from './contract-values';

const FY = '2050/51';
const NEXT = '2051/52';
const outturn = (carriedPence: number): Outturn => {
  const line = { potPence: 1_000, committedPence: 400, paidPence: 0, returnedPence: 0, uncommittedPence: 600, carriedPence };
  return { funders: [{ funder: 'west-mercia', ...line }], totals: line };
};
const closeOf = (requestId: string): YearClose => ({
  fy: FY,
  nextFy: NEXT,
  closedAt: '2051-04-10T09:00:00.000Z',
  closedBy: 'ada',
  role: 'admin',
  requestId,
  carryForward: { 'west-mercia': true },
  completed: false,
});

export function describeYearCloseContract(store: () => FundStore): void {
  describe('year close', () => {
    test('one close record per year; its outturn is fixed once, by its own request; completed after', async () => {
      expect(await store().getYearClose(FY)).toBeUndefined();
      expect(await store().recordYearClose(closeOf('close-1'))).toBe('recorded');
      expect(await store().recordYearClose(closeOf('close-2'))).toMatchObject({ requestId: 'close-1' });
      expect(await store().setYearCloseOutturn(FY, 'close-2', outturn(1))).not.toHaveProperty('outturn');
      await store().completeYearClose(FY, 'close-1');
      expect((await store().getYearClose(FY))?.completed).toBe(false);
      expect((await store().setYearCloseOutturn(FY, 'close-1', outturn(600)))?.outturn).toEqual(outturn(600));
      expect((await store().setYearCloseOutturn(FY, 'close-1', outturn(5)))?.outturn).toEqual(outturn(600));
      await store().completeYearClose(FY, 'close-1');
      expect(await store().getYearClose(FY)).toEqual({ ...closeOf('close-1'), outturn: outturn(600), completed: true });
    });

    test('a closed budget refuses a change of fund or cost share; returnDueDays goes on', async () => {
      const fy = '2052/53';
      const budget = { fy, fundPence: 1_000, costShare: defaultCostShare() };
      expect(await store().closeBudget(fy, 'close-1')).toBe(false);
      expect(await store().putBudget(budget)).toBe('set');
      expect(await store().closeBudget(fy, 'close-1')).toBe(true);
      expect(await store().closeBudget(fy, 'close-1')).toBe(true);
      expect(await store().closeBudget(fy, 'close-other')).toBe(false);
      expect(await store().putBudget({ ...budget, fundPence: 2_000 })).toBe('closed');
      expect(await store().putBudget({ ...budget, returnDueDays: 40 })).toBe('closed');
      expect(await store().setReturnDueDays(fy, 45)).toBe(true);
      expect(await store().setReturnDueDays('2053/54', 45)).toBe(false);
      expect(await store().getBudget(fy)).toEqual({ ...budget, returnDueDays: 45 });
      expect(await store().getBudget('2053/54')).toBeUndefined();
    });

    test('a closed ledger refuses commits, raised shares and pot changes; releases, payments and decreases go on', async () => {
      await store().createLedger(FY, 'west-mercia', 1_000);
      await store().commitShare(FY, 'west-mercia', 'C-1', allocation(400, 'approve'));
      await store().commitShare(FY, 'west-mercia', 'C-2', allocation(100, 'approve'));
      expect(await store().closeLedger(FY, 'west-mercia', 'close-1')).toBe(true);
      expect(await store().closeLedger(FY, 'west-mercia', 'close-1')).toBe(true);
      expect(await store().closeLedger(FY, 'west-mercia', 'close-other')).toBe(false);
      expect(await store().closeLedger(FY, 'warwickshire', 'close-1')).toBe(false);
      expect(await store().commitShare(FY, 'west-mercia', 'C-3', allocation(1, 'late'))).toEqual({ kind: 'closed' });
      expect(await store().adjustShare(FY, 'west-mercia', 'C-1', 400, 450, 'vary-up')).toEqual({ kind: 'closed' });
      expect(await store().setPot(FY, 'west-mercia', 1_000, 2_000)).toEqual({ kind: 'closed' });
      expect(await store().adjustShare(FY, 'west-mercia', 'C-1', 400, 300, 'vary-down')).toEqual({ kind: 'adjusted' });
      expect(await store().payInstalment(FY, 'west-mercia', 'C-1', 1, { partPence: 100, at: 'now', requestId: 'pay' })).toEqual({
        kind: 'paid',
      });
      expect(await store().releaseShare(FY, 'west-mercia', 'C-2')).toEqual({ kind: 'released' });
      const [ledger] = await store().getLedgers(FY);
      expect(ledger).toMatchObject({ potPence: 1_000, committedPence: 400, remainingPence: 600, closedBy: 'close-1' });
    });

    test('a carry-in grows pot and remaining once per closed year; a budget is created once', async () => {
      expect(await store().createBudget({ fy: NEXT, fundPence: 0, costShare: defaultCostShare() })).toBe('created');
      expect(await store().createBudget({ fy: NEXT, fundPence: 5, costShare: defaultCostShare() })).toBe('exists');
      expect(await store().getBudget(NEXT)).toEqual({ fy: NEXT, fundPence: 0, costShare: defaultCostShare() });
      expect(await store().years()).toContain(NEXT);
      const carry = { pence: 600, requestId: 'close-1', at: '2051-04-10T09:00:00.000Z' };
      expect(await store().carryIn(NEXT, 'west-mercia', FY, carry)).toBe('no-ledger');
      await store().createLedger(NEXT, 'west-mercia', 100);
      const outcomes = await Promise.all([1, 2, 3].map(() => store().carryIn(NEXT, 'west-mercia', FY, carry)));
      expect(outcomes.filter((o) => o === 'carried')).toHaveLength(1);
      expect(outcomes.filter((o) => o === 'already-carried')).toHaveLength(2);
      const [ledger] = await store().getLedgers(NEXT);
      expect(ledger).toMatchObject({ potPence: 700, remainingPence: 700, committedPence: 0, carriedIn: { [FY]: carry } });
      expect(ledger?.closedBy).toBeUndefined();
    });
  });
}
