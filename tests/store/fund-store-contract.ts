/**
 * The store port's contract: what every FundStore (DynamoDB on dynalite, in memory) must do. The
 * money cases run in order on one store, as the ledger they build up is shared between them.
 */
import { pendingShares, type AuditEvent, type Bid } from '../../domain';
import type { FundStore } from '../../functions/store/types';
import { allocation, contractBid, contractEvent } from './contract-values';
import { describeBidContract } from './fund-store-contract-bids';
import { describeIdempotencyContract } from './fund-store-contract-idempotency';
import { describePaymentContract } from './fund-store-contract-payments';
import { describeYearCloseContract } from './fund-store-contract-year-close';

export interface ContractStore {
  store: FundStore;
  close?: () => Promise<void>;
}

const FY = '2025/26';

export function describeFundStoreContract(name: string, open: () => Promise<ContractStore>): void {
  describe(`FundStore contract: ${name}`, () => {
    let opened: ContractStore;
    let store: FundStore;
    beforeAll(async () => {
      opened = await open();
      store = opened.store;
    });
    afterAll(async () => {
      await opened.close?.();
    });

    test('40 concurrent commits of 10,000p against a 100,000p pot: exactly 10 land, never overspent', async () => {
      expect(await store.createLedger(FY, 'west-mercia', 100_000)).toBe('created');
      expect(await store.createLedger(FY, 'west-mercia', 1)).toBe('exists');
      const outcomes = await Promise.all(
        Array.from({ length: 40 }, (_, i) => store.commitShare(FY, 'west-mercia', `B-${i}`, allocation(10_000, `r${i}`))),
      );
      expect(outcomes.filter((o) => o.kind === 'committed')).toHaveLength(10);
      expect(outcomes.filter((o) => o.kind === 'over-budget')).toHaveLength(30);
      expect(outcomes.find((o) => o.kind === 'over-budget')).toEqual({ kind: 'over-budget', remainingPence: 0, potPence: 100_000 });
      const [ledger] = await store.getLedgers(FY);
      expect(ledger).toMatchObject({ potPence: 100_000, committedPence: 100_000, remainingPence: 0 });
      expect(Object.keys(ledger?.allocations ?? {})).toHaveLength(10);
    });

    test('a share is never committed twice for one bid; the second attempt sees who holds it', async () => {
      await store.createLedger(FY, 'warwickshire', 50_000);
      expect(await store.commitShare(FY, 'warwickshire', 'B-x', allocation(1_000, 'first'))).toEqual({ kind: 'committed' });
      expect(await store.commitShare(FY, 'warwickshire', 'B-x', allocation(1_000, 'second'))).toMatchObject({
        kind: 'exists',
        allocation: { requestId: 'first' },
      });
      expect(await store.commitShare('2099/00', 'warwickshire', 'B-x', allocation(1, 'r'))).toEqual({ kind: 'no-ledger' });
      expect((await store.getLedgers(FY)).map((l) => l.funder)).toEqual(['warwickshire', 'west-mercia']);
    });

    test('uncommit gives the share back, only to the named request when asked, once', async () => {
      await store.commitShare(FY, 'warwickshire', 'B-y', allocation(2_000, 'mine'));
      expect(await store.uncommitShare(FY, 'warwickshire', 'B-y', 'someone-else')).toEqual({ kind: 'absent' });
      expect(await store.uncommitShare(FY, 'warwickshire', 'B-y', 'mine')).toEqual({ kind: 'uncommitted', sharePence: 2_000 });
      expect(await store.uncommitShare(FY, 'warwickshire', 'B-y')).toEqual({ kind: 'absent' });
      expect(await store.uncommitShare('2099/00', 'warwickshire', 'B-y')).toEqual({ kind: 'absent' });
      const ledger = (await store.getLedgers(FY)).find((l) => l.funder === 'warwickshire');
      expect(ledger).toMatchObject({ committedPence: 1_000, remainingPence: 49_000 });
    });

    test('release marks the share paid out once; released shares cannot be given back', async () => {
      expect(await store.releaseShare(FY, 'warwickshire', 'B-x')).toEqual({ kind: 'released' });
      expect(await store.releaseShare(FY, 'warwickshire', 'B-x')).toEqual({ kind: 'already-released' });
      expect(await store.uncommitShare(FY, 'warwickshire', 'B-x')).toEqual({ kind: 'absent' });
      expect(await store.releaseShare(FY, 'warwickshire', 'B-none')).toEqual({ kind: 'absent' });
      expect(await store.takeAllocation(FY, 'warwickshire', 'B-x', 'first', 'other')).toBe(false);
      const ledger = (await store.getLedgers(FY)).find((l) => l.funder === 'warwickshire');
      expect(ledger).toMatchObject({ committedPence: 1_000, releasedPence: 1_000, remainingPence: 49_000 });
      expect(ledger?.allocations['B-x']).toEqual({ ...allocation(1_000, 'first'), state: 'released' });
    });

    test('takeAllocation hands a committed share to another request only from its current owner', async () => {
      await store.commitShare(FY, 'warwickshire', 'B-z', allocation(500, 'stale'));
      expect(await store.takeAllocation(FY, 'warwickshire', 'B-z', 'wrong', 'repair')).toBe(false);
      expect(await store.takeAllocation(FY, 'warwickshire', 'B-z', 'stale', 'repair')).toBe(true);
      expect(await store.takeAllocation(FY, 'warwickshire', 'B-absent', 'stale', 'repair')).toBe(false);
      expect(await store.takeAllocation('2099/00', 'warwickshire', 'B-z', 'repair', 'x')).toBe(false);
      expect(await store.uncommitShare(FY, 'warwickshire', 'B-z', 'stale')).toEqual({ kind: 'absent' });
      expect(await store.uncommitShare(FY, 'warwickshire', 'B-z', 'repair')).toEqual({ kind: 'uncommitted', sharePence: 500 });
    });

    test('a pot never falls below what is committed; a stale "from" is refused', async () => {
      expect(await store.setPot(FY, 'west-mercia', 100_000, 90_000)).toEqual({ kind: 'below-committed', committedPence: 100_000 });
      expect(await store.setPot(FY, 'west-mercia', 1, 200_000)).toEqual({ kind: 'changed' });
      expect(await store.setPot('2099/00', 'west-mercia', 0, 1)).toEqual({ kind: 'changed' });
      expect(await store.setPot(FY, 'west-mercia', 100_000, 150_000)).toEqual({ kind: 'set' });
      const ledger = (await store.getLedgers(FY)).find((l) => l.funder === 'west-mercia');
      expect(ledger).toMatchObject({ potPence: 150_000, committedPence: 100_000, remainingPence: 50_000 });
    });

    test('repairLedgerTotals writes only over the totals it read', async () => {
      const ledger = (await store.getLedgers(FY)).find((l) => l.funder === 'west-mercia');
      if (!ledger) throw new Error('setup');
      const zero = { committedPence: 0, releasedPence: 0, remainingPence: 0 };
      expect(await store.repairLedgerTotals({ ...ledger, committedPence: 1 }, zero)).toBe('changed');
      expect(await store.repairLedgerTotals({ ...ledger, fy: '2099/00' }, zero)).toBe('changed');
      const totals = { committedPence: ledger.committedPence, releasedPence: 7, remainingPence: ledger.remainingPence };
      expect(await store.repairLedgerTotals(ledger, totals)).toBe('repaired');
      expect((await store.getLedgers(FY)).find((l) => l.funder === 'west-mercia')).toMatchObject(totals);
      expect(await store.repairLedgerTotals(ledger, totals)).toBe('changed');
    });

    test('bid ids count up and stay readable', async () => {
      const first = await store.nextBidId();
      const second = await store.nextBidId();
      expect(first).toMatch(/^FS-\d{6}$/);
      expect(Number(second.slice(3))).toBe(Number(first.slice(3)) + 1);
      const block = await store.reserveBidIds(3);
      expect(block.map((id) => Number(id.slice(3)))).toEqual([1, 2, 3].map((i) => Number(second.slice(3)) + i));
      expect(Number((await store.nextBidId()).slice(3))).toBe(Number(second.slice(3)) + 4);
    });

    test('recommendedSharesOfYear gives exactly the pending totals that whole bids give, from a projection', async () => {
      const fy = '2033/34';
      // Every status, alliance and single-area scopes, decisions pending or made.
      const cases: [Bid['status'], Bid['scope'], Bid['decisions']][] = [
        ['draft', 'alliance', {}],
        ['submitted', 'west-mercia', {}],
        ['info-requested', 'alliance', {}],
        ['recommended', 'alliance', { 'west-mercia': 'pending', warwickshire: 'pending' }],
        ['recommended', 'alliance', { 'west-mercia': 'approved', warwickshire: 'pending' }],
        ['recommended', 'warwickshire', { warwickshire: 'pending' }],
        ['recommended', 'west-mercia', { 'west-mercia': 'pending' }],
        ['approved', 'alliance', { 'west-mercia': 'approved', warwickshire: 'approved' }],
        ['declined', 'west-mercia', { 'west-mercia': 'declined' }],
        ['not-recommended', 'alliance', {}],
        ['withdrawn', 'warwickshire', {}],
        ['released', 'west-mercia', { 'west-mercia': 'approved' }],
      ];
      for (const [i, [status, scope, decisions]] of cases.entries()) {
        const amount = 10_000 * (i + 1) + i;
        const shares =
          scope === 'alliance'
            ? { 'west-mercia': Math.round(amount * 0.69), warwickshire: amount - Math.round(amount * 0.69) }
            : { [scope]: amount };
        const bid = contractBid(`PEND-${i}`, fy, {
          leadOrganisation: scope === 'warwickshire' ? 'warwickshire' : 'shropshire',
          scope,
          requestedPence: amount,
          status,
          recommendedPence: ['draft', 'submitted', 'info-requested', 'not-recommended', 'withdrawn'].includes(status) ? null : amount,
          shares,
          decisions,
        });
        const event: AuditEvent = { ...contractEvent(bid.id, 1), to: status, requestId: `pend-${i}` };
        expect(await store.insertBid(bid, event, event.requestId)).toBe('created');
      }
      const projected = await store.recommendedSharesOfYear(fy);
      expect(projected.every((b) => b.status === 'recommended')).toBe(true);
      expect(projected).toHaveLength(4);
      expect(pendingShares(projected)).toEqual(pendingShares(await store.bidsOfYear(fy)));
      // Cases 3 (both funders), 4 (Warwickshire only: West Mercia has decided), 5 and 6 (single area).
      const alliance = (n: number) => 10_000 * (n + 1) + n;
      expect(pendingShares(projected)).toEqual({
        'west-mercia': Math.round(alliance(3) * 0.69) + alliance(6),
        warwickshire: alliance(3) - Math.round(alliance(3) * 0.69) + (alliance(4) - Math.round(alliance(4) * 0.69)) + alliance(5),
      });
      expect(await store.recommendedSharesOfYear('2034/35')).toEqual([]);
    });

    test('versionsWithoutAudit: of 250 bid versions, exactly those whose audit item is missing', async () => {
      // Bid i has audit items for versions 1..(i % 4); it is asked about version 2.
      const refs = Array.from({ length: 250 }, (_, i) => ({ bidId: `AUD-${String(i).padStart(3, '0')}`, version: 2 }));
      for (const [i, ref] of refs.entries()) {
        const recorded = Array.from({ length: i % 4 }, (_, v) => contractEvent(ref.bidId, v + 1));
        if (recorded.length > 0) await store.recordEvents(recorded);
      }
      expect(await store.versionsWithoutAudit(refs)).toEqual(refs.filter((_, i) => i % 4 < 2));
      expect(await store.versionsWithoutAudit([])).toEqual([]);
    });

    describeBidContract(() => store);
    describeIdempotencyContract(() => store);
    describePaymentContract(() => store);
    describeYearCloseContract(() => store);
  });
}
