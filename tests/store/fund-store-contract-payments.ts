/**
 * The store contract for paying instalments (docs/design.md §3.1): one conditional update per
 * part, paidPence + part ≤ sharePence, each instalment once, even under concurrency.
 */
import type { FundStore } from '../../functions/store/types';
import { allocation } from './contract-values';

const FY = '2031/32';
const payment = (partPence: number, requestId: string) => ({ partPence, at: '2031-06-01T00:00:00.000Z', requestId });

export function describePaymentContract(store: () => FundStore): void {
  describe('instalment payments', () => {
    test('a part is paid once, recorded on the entry; undo only by its own request', async () => {
      await store().createLedger(FY, 'west-mercia', 1_000_000);
      await store().commitShare(FY, 'west-mercia', 'P-1', allocation(1_000, 'approve'));
      expect(await store().payInstalment(FY, 'west-mercia', 'P-1', 1, payment(400, 'r1'))).toEqual({ kind: 'paid' });
      expect(await store().payInstalment(FY, 'west-mercia', 'P-1', 1, payment(400, 'r2'))).toEqual({
        kind: 'already-paid',
        requestId: 'r1',
        partPence: 400,
      });
      expect(await store().payInstalment(FY, 'west-mercia', 'P-1', 2, payment(601, 'r3'))).toEqual({
        kind: 'over-share',
        paidPence: 400,
        sharePence: 1_000,
      });
      expect(await store().payInstalment(FY, 'west-mercia', 'P-none', 1, payment(1, 'r4'))).toEqual({ kind: 'absent' });
      expect(await store().payInstalment('2099/00', 'west-mercia', 'P-1', 1, payment(1, 'r4'))).toEqual({ kind: 'absent' });
      expect(await store().unpayInstalment(FY, 'west-mercia', 'P-1', 1, 'r2')).toBe(false);
      expect(await store().unpayInstalment(FY, 'west-mercia', 'P-1', 1, 'r1')).toBe(true);
      expect(await store().unpayInstalment(FY, 'west-mercia', 'P-1', 1, 'r1')).toBe(false);
      expect(await store().payInstalment(FY, 'west-mercia', 'P-1', 1, payment(400, 'r5'))).toEqual({ kind: 'paid' });
      expect(await store().payInstalment(FY, 'west-mercia', 'P-1', 2, payment(600, 'r6'))).toEqual({ kind: 'paid' });
      const entry = (await store().getLedgers(FY)).find((l) => l.funder === 'west-mercia')?.allocations['P-1'];
      expect(entry).toMatchObject({ sharePence: 1_000, paidPence: 1_000, state: 'committed' });
      expect(entry?.payments).toEqual({ '1': payment(400, 'r5'), '2': payment(600, 'r6') });
      // Released (all paid) entries take no further payment and cannot be given back.
      expect(await store().releaseShare(FY, 'west-mercia', 'P-1')).toEqual({ kind: 'released' });
      expect(await store().payInstalment(FY, 'west-mercia', 'P-1', 3, payment(0, 'r7'))).toEqual({ kind: 'absent' });
    });

    test('30 concurrent releases of 100p parts against a 1,000p share: exactly 10 are paid, never more than the share', async () => {
      await store().commitShare(FY, 'west-mercia', 'P-race', allocation(1_000, 'approve'));
      const outcomes = await Promise.all(
        Array.from({ length: 30 }, (_, i) => store().payInstalment(FY, 'west-mercia', 'P-race', i + 1, payment(100, `race-${i}`))),
      );
      expect(outcomes.filter((o) => o.kind === 'paid')).toHaveLength(10);
      expect(outcomes.filter((o) => o.kind === 'over-share')).toHaveLength(20);
      const entry = (await store().getLedgers(FY)).find((l) => l.funder === 'west-mercia')?.allocations['P-race'];
      expect(entry?.paidPence).toBe(1_000);
      expect(Object.keys(entry?.payments ?? {})).toHaveLength(10);
    });

    test('the same instalment released concurrently is paid exactly once', async () => {
      await store().commitShare(FY, 'west-mercia', 'P-same', allocation(1_000, 'approve'));
      const outcomes = await Promise.all(
        Array.from({ length: 10 }, (_, i) => store().payInstalment(FY, 'west-mercia', 'P-same', 1, payment(300, `same-${i}`))),
      );
      expect(outcomes.filter((o) => o.kind === 'paid')).toHaveLength(1);
      expect(outcomes.filter((o) => o.kind === 'already-paid')).toHaveLength(9);
      const entry = (await store().getLedgers(FY)).find((l) => l.funder === 'west-mercia')?.allocations['P-same'];
      expect(entry?.paidPence).toBe(300);
    });

    test('adjustShare changes a committed share once; an increase must fit in the pot', async () => {
      const fy = '2032/33';
      await store().createLedger(fy, 'warwickshire', 10_000);
      await store().commitShare(fy, 'warwickshire', 'V-1', allocation(6_000, 'approve'));
      expect(await store().adjustShare(fy, 'warwickshire', 'V-1', 6_000, 11_000, 'up')).toEqual({
        kind: 'over-budget',
        remainingPence: 4_000,
        potPence: 10_000,
      });
      expect(await store().adjustShare(fy, 'warwickshire', 'V-1', 6_000, 9_000, 'up')).toEqual({ kind: 'adjusted' });
      expect(await store().adjustShare(fy, 'warwickshire', 'V-1', 6_000, 9_000, 'again')).toEqual({
        kind: 'already-adjusted',
        requestId: 'up',
      });
      expect(await store().adjustShare(fy, 'warwickshire', 'V-1', 5_000, 4_000, 'stale')).toEqual({ kind: 'absent' });
      expect(await store().adjustShare(fy, 'warwickshire', 'V-none', 1, 2, 'x')).toEqual({ kind: 'absent' });
      expect(await store().adjustShare(fy, 'warwickshire', 'V-1', 9_000, 2_000, 'down')).toEqual({ kind: 'adjusted' });
      const ledger = (await store().getLedgers(fy)).find((l) => l.funder === 'warwickshire');
      expect(ledger).toMatchObject({ committedPence: 2_000, remainingPence: 8_000 });
      expect(ledger?.allocations['V-1']).toMatchObject({ sharePence: 2_000, adjustedBy: 'down', state: 'committed' });
    });

    test('returnUnderspend gives a returned amount back to the pot once, on a committed or released entry, never above the share', async () => {
      const fy = '2033/34';
      await store().createLedger(fy, 'west-mercia', 10_000);
      await store().commitShare(fy, 'west-mercia', 'U-1', allocation(6_000, 'approve'));
      expect(await store().returnUnderspend(fy, 'west-mercia', 'U-1', 0, 1_000)).toEqual({ kind: 'returned' });
      // A retry finds it done; a stale from that is below the entry's is done too (returns only grow).
      expect(await store().returnUnderspend(fy, 'west-mercia', 'U-1', 0, 1_000)).toEqual({
        kind: 'already-returned',
        returnedPence: 1_000,
      });
      expect(await store().returnUnderspend(fy, 'west-mercia', 'U-1', 500, 1_500)).toEqual({ kind: 'absent' });
      expect(await store().returnUnderspend(fy, 'west-mercia', 'U-1', 1_000, 6_001)).toEqual({ kind: 'absent' });
      expect(await store().returnUnderspend(fy, 'west-mercia', 'U-none', 0, 1)).toEqual({ kind: 'absent' });
      expect(await store().releaseShare(fy, 'west-mercia', 'U-1')).toEqual({ kind: 'released' });
      expect(await store().returnUnderspend(fy, 'west-mercia', 'U-1', 1_000, 2_500)).toEqual({ kind: 'returned' });
      const ledger = (await store().getLedgers(fy)).find((l) => l.funder === 'west-mercia');
      // committed = share − returned; released stays the share paid out.
      expect(ledger).toMatchObject({ committedPence: 3_500, remainingPence: 6_500, releasedPence: 6_000 });
      expect(ledger?.allocations['U-1']).toMatchObject({ sharePence: 6_000, returnedPence: 2_500, state: 'released' });
    });

    test('concurrent returns from the same amount: exactly one lands, no lost update', async () => {
      const fy = '2033/34';
      await store().createLedger(fy, 'warwickshire', 10_000);
      await store().commitShare(fy, 'warwickshire', 'U-race', allocation(5_000, 'approve'));
      const outcomes = await Promise.all(
        Array.from({ length: 8 }, (_, i) => store().returnUnderspend(fy, 'warwickshire', 'U-race', 0, 100 * (i + 1))),
      );
      expect(outcomes.filter((o) => o.kind === 'returned')).toHaveLength(1);
      const ledger = (await store().getLedgers(fy)).find((l) => l.funder === 'warwickshire');
      const returned = ledger?.allocations['U-race']?.returnedPence ?? 0;
      expect(ledger).toMatchObject({ committedPence: 5_000 - returned, remainingPence: 5_000 + returned });
    });

    test('concurrent increases of different bids never overspend the pot', async () => {
      const fy = '2032/33';
      await store().createLedger(fy, 'west-mercia', 10_000);
      for (let i = 0; i < 10; i++) await store().commitShare(fy, 'west-mercia', `V-c${i}`, allocation(100, 'approve'));
      const outcomes = await Promise.all(
        Array.from({ length: 10 }, (_, i) => store().adjustShare(fy, 'west-mercia', `V-c${i}`, 100, 3_000, `up-${i}`)),
      );
      expect(outcomes.filter((o) => o.kind === 'adjusted')).toHaveLength(3);
      const ledger = (await store().getLedgers(fy)).find((l) => l.funder === 'west-mercia');
      expect(ledger).toMatchObject({ committedPence: 9_700, remainingPence: 300 });
    });
  });
}
