/**
 * Ending a variation without applying it (docs/design.md §3.1): finance withdraws it or a PCC
 * still to decide declines it; a funder that already approved gets its ledger share back.
 */
import fc from 'fast-check';
import {
  applyBidAction,
  expectedShare,
  FUNDER_IDS,
  type Actor,
  type Bid,
  type BidAction,
  type DomainError,
  type FunderId,
  type LedgerEffect,
} from '../../domain';
import { actors, ctx, newBid } from './fixtures';
import { withConfirmation } from '../support/confirmation';

type Change = { bid: Bid; effects: LedgerEffect[]; event: { action: string; reason?: string; funder?: string } };

function act(bid: Bid, action: BidAction, actor: Actor, body = {}): Change {
  const result = applyBidAction(bid, action, actor, withConfirmation(action, body), ctx);
  if (!result.ok) throw new Error(`${action}: ${result.error.message}`);
  return result.value as Change;
}

function refused(bid: Bid, action: BidAction, actor: Actor, body = {}): DomainError {
  const result = applyBidAction(bid, action, actor, withConfirmation(action, body), ctx);
  if (result.ok) throw new Error(`${action} should have been refused`);
  return result.error;
}

function approved(amountPence = 100_000, overrides = {}): Bid {
  let bid = act(newBid({ requestedPence: amountPence, ...overrides }), 'submit', actors.shropshire).bid;
  bid = act(bid, 'recommend', actors.board, { amountPence }).bid;
  for (const pcc of [actors.westMerciaPcc, actors.warwickshirePcc]) if (bid.status !== 'approved') bid = act(bid, 'approve', pcc).bid;
  expect(bid.status).toBe('approved');
  return bid;
}

const vary = (bid: Bid, amountPence: number) => act(bid, 'vary', actors.finance, { amountPence, reason: 'costs changed' }).bid;

test('withdrawn before any funder approved: nothing moves, the bid keeps its amount, the reason is recorded', () => {
  const bid = approved();
  const ended = act(vary(bid, 150_000), 'withdraw-variation', actors.finance, { reason: 'asked for in error' });
  expect(ended.effects).toEqual([]);
  expect(ended.bid).toMatchObject({ status: 'approved', recommendedPence: 100_000, shares: bid.shares });
  expect(ended.bid.variation).toBeUndefined();
  expect(ended.event).toMatchObject({ action: 'withdraw-variation', reason: 'asked for in error' });
});

test('declined after the other funder approved: that funder’s entry goes back to its share exactly', () => {
  const bid = approved();
  const wm = act(vary(bid, 200_000), 'approve-variation', actors.westMerciaPcc);
  expect(wm.effects).toEqual([{ kind: 'adjust', funder: 'west-mercia', sharePence: 138_000, fromPence: 69_000 }]);
  const ended = act(wm.bid, 'decline-variation', actors.warwickshirePcc, { reason: 'not in our plan' });
  expect(ended.effects).toEqual([{ kind: 'adjust', funder: 'west-mercia', sharePence: 69_000, fromPence: 138_000 }]);
  expect(ended.bid).toMatchObject({ recommendedPence: 100_000, shares: bid.shares });
  expect(ended.event).toMatchObject({ action: 'decline-variation', funder: 'warwickshire', reason: 'not in our plan' });
  for (const f of FUNDER_IDS) expect(expectedShare(ended.bid, f)).toBe(bid.shares[f]);
});

test('refusals: no reason, no variation, a funder that already approved, a PCC with no share', () => {
  const bid = approved();
  expect(refused(bid, 'withdraw-variation', actors.finance, { reason: 'x' }).kind).toBe('invalid-transition');
  expect(refused(bid, 'decline-variation', actors.westMerciaPcc, { reason: 'x' }).kind).toBe('invalid-transition');
  const varied = vary(bid, 120_000);
  expect(refused(varied, 'withdraw-variation', actors.finance)).toMatchObject({ kind: 'invalid', issues: [{ path: 'reason' }] });
  expect(refused(varied, 'decline-variation', actors.westMerciaPcc)).toMatchObject({ kind: 'invalid', issues: [{ path: 'reason' }] });
  expect(refused(varied, 'withdraw-variation', actors.board, { reason: 'x' }).kind).toBe('forbidden');
  expect(refused(varied, 'decline-variation', actors.finance, { reason: 'x' }).kind).toBe('forbidden');
  const wm = act(varied, 'approve-variation', actors.westMerciaPcc).bid;
  expect(refused(wm, 'decline-variation', actors.westMerciaPcc, { reason: 'x' })).toMatchObject({
    kind: 'invalid-transition',
    funder: 'west-mercia',
  });
  const local = vary(approved(50_000, { scope: 'west-mercia' }), 40_000);
  expect(refused(local, 'decline-variation', actors.warwickshirePcc, { reason: 'x' }).kind).toBe('forbidden-funder');
});

describe('property', () => {
  const END_ACTORS: [BidAction, Actor][] = [
    ['approve-variation', actors.westMerciaPcc],
    ['approve-variation', actors.warwickshirePcc],
    ['decline-variation', actors.westMerciaPcc],
    ['decline-variation', actors.warwickshirePcc],
    ['withdraw-variation', actors.finance],
  ];
  const step = fc.record({
    bid: fc.nat({ max: 2 }),
    vary: fc.option(fc.integer({ min: 1, max: 300_000 }), { nil: undefined, freq: 3 }),
    end: fc.constantFrom(...END_ACTORS),
  });

  test('for random variations and orders of approve/decline/withdraw, each ledger holds Σ of its bids’ expected shares', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 40 }), (steps) => {
        const bids = [approved(100_000), approved(75_001), approved(40_000, { scope: 'west-mercia' })];
        const committed: Record<FunderId, number> = Object.fromEntries(
          FUNDER_IDS.map((f) => [f, bids.reduce((s, b) => s + (b.shares[f] ?? 0), 0)]),
        ) as Record<FunderId, number>;
        for (const s of steps) {
          const bid = bids[s.bid] as Bid;
          const [action, actor] = s.end;
          const result =
            s.vary !== undefined && !bid.variation
              ? applyBidAction(bid, 'vary', actors.finance, { amountPence: s.vary, reason: 'costs changed' }, ctx)
              : applyBidAction(bid, action, actor, withConfirmation(action, { reason: 'not now' }), ctx);
          if (!result.ok) continue;
          for (const effect of result.value.effects) {
            if (effect.kind !== 'adjust') continue;
            expect(expectedShare(bid, effect.funder)).toBe(effect.fromPence);
            committed[effect.funder] += effect.sharePence - (effect.fromPence ?? 0);
          }
          bids[s.bid] = result.value.bid;
          if (!result.value.bid.variation) expect(result.value.bid.clawbackDue).toBeUndefined();
        }
        for (const f of FUNDER_IDS) expect(committed[f]).toBe(bids.reduce((sum, b) => sum + (expectedShare(b, f) ?? 0), 0));
      }),
    );
  });
});
