/**
 * Underspend returns (docs/design.md §3.1) as a property: random amounts, scopes, cost shares,
 * paid states and sequences of returns. Each return's parts sum to it, no funder gets back more
 * than it paid, and a ledger that applies the 'return' effects stays equal to its entries.
 */
import fc from 'fast-check';
import {
  FUNDER_IDS,
  instalmentParts,
  ledgerTotals,
  paidShares,
  returnUnderspend,
  SCOPES,
  splitAmount,
  type Bid,
  type CostShare,
  type FunderId,
  type Ledger,
} from '../../domain';
import { actors, ctx, newBid } from './fixtures';

const costShareArbitrary = fc
  .array(fc.integer({ min: 1, max: 100 }), { minLength: FUNDER_IDS.length, maxLength: FUNDER_IDS.length })
  .map((raw): CostShare => {
    const total = raw.reduce((a, b) => a + b, 0);
    const bp = raw.map((r) => Math.floor((r * 10_000) / total));
    bp[0] = (bp[0] ?? 0) + 10_000 - bp.reduce((a, b) => a + b, 0);
    return Object.fromEntries(FUNDER_IDS.map((f, i) => [f, bp[i]])) as CostShare;
  });

/** An approved bid: its shares split by the cost share, a schedule of `cuts` instalments, each funder paid its first `paid[f]` instalments (or released whole). */
function paidBid(
  amount: number,
  scope: Bid['scope'],
  costShare: CostShare,
  cuts: number,
  paidCounts: number[],
  wholes: boolean[],
): Bid | undefined {
  const split = splitAmount(amount, scope, costShare);
  if (!split.ok) return undefined;
  const shares = split.value;
  const funders = FUNDER_IDS.filter((f) => shares[f] !== undefined);
  const base = Math.floor(amount / cuts);
  const schedule = Array.from({ length: cuts }, (_, k) => ({
    due: '2026-06-30',
    amountPence: k === cuts - 1 ? amount - base * (cuts - 1) : base,
  }));
  const decisions: Bid['decisions'] = {};
  const payments = instalmentParts(shares, schedule).map((i, k) => ({
    ...i,
    paid: Object.fromEntries(funders.filter((f, j) => !wholes[j] && k < (paidCounts[j] ?? 0)).map((f) => [f, ctx.now])),
  }));
  funders.forEach((f, j) => (decisions[f] = wholes[j] ? 'released' : 'approved'));
  const anyWhole = funders.some((_, j) => wholes[j]);
  return { ...newBid(), status: 'approved', recommendedPence: amount, shares, decisions, ...(anyWhole ? {} : { payments }) };
}

test('property: each return’s parts sum to it; no funder is given back more than it paid; the ledger equals its entries', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 5_000_000_000 }),
      fc.constantFrom(...SCOPES),
      costShareArbitrary,
      fc.integer({ min: 1, max: 6 }),
      fc.array(fc.integer({ min: 0, max: 6 }), { minLength: FUNDER_IDS.length, maxLength: FUNDER_IDS.length }),
      fc.array(fc.boolean(), { minLength: FUNDER_IDS.length, maxLength: FUNDER_IDS.length }),
      fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 6 }),
      (amount, scope, costShare, cuts, paidCounts, wholes, fractions) => {
        let bid = paidBid(amount, scope, costShare, cuts, paidCounts, wholes);
        if (!bid) return;
        const paid = paidShares(bid);
        const ledgers = new Map<FunderId, Ledger>();
        for (const f of FUNDER_IDS) {
          if (bid.shares[f] === undefined) continue;
          const allocations = {
            [bid.id]: { sharePence: bid.shares[f] ?? 0, state: 'committed' as const, by: 'x', at: ctx.now, requestId: 'r' },
          };
          ledgers.set(f, {
            fy: bid.fy,
            funder: f,
            potPence: 10_000_000_000,
            allocations,
            ...ledgerTotals({ potPence: 10_000_000_000, allocations }),
          });
        }
        for (const fraction of fractions) {
          const returnable =
            Object.values(paid).reduce((s, p) => s + (p ?? 0), 0) - Object.values(bid.returned ?? {}).reduce((s, p) => s + (p ?? 0), 0);
          const amountPence = Math.max(1, Math.floor(returnable * fraction));
          const result = returnUnderspend(bid, { amountPence, reason: 'underspent' }, actors.finance, 'finance', ctx);
          if (!result.ok) {
            // Only too much (nothing left) or, with three or more funders, an uneven split.
            expect(result.error.issues?.[0]?.path).toBe('amountPence');
            if (amountPence <= returnable) expect(result.error.message).toContain('unevenly');
            continue;
          }
          const parts = result.value.event.returnedParts ?? {};
          expect(Object.values(parts).reduce((s, p) => s + (p ?? 0), 0)).toBe(amountPence);
          for (const effect of result.value.effects) {
            expect(effect.kind).toBe('return');
            const ledger = ledgers.get(effect.funder)!;
            const entry = ledger.allocations[bid.id]!;
            expect(entry.returnedPence ?? 0).toBe(effect.fromPence);
            const delta = effect.sharePence - (effect.fromPence ?? 0);
            entry.returnedPence = effect.sharePence;
            ledger.committedPence -= delta;
            ledger.remainingPence += delta;
          }
          bid = result.value.bid;
          for (const f of FUNDER_IDS) {
            expect(bid.returned?.[f] ?? 0).toBeLessThanOrEqual(paid[f] ?? 0);
            const ledger = ledgers.get(f);
            if (!ledger) continue;
            expect(ledger.allocations[bid.id]?.returnedPence ?? 0).toBe(bid.returned?.[f] ?? 0);
            expect(ledgerTotals(ledger)).toEqual({
              committedPence: ledger.committedPence,
              releasedPence: ledger.releasedPence,
              remainingPence: ledger.remainingPence,
            });
          }
        }
      },
    ),
    { numRuns: 300 },
  );
});

test('with the paid amounts unchanged, the parts follow the running-total rule: split(C_k) − split(C_{k−1})', () => {
  const bid = {
    ...newBid(),
    status: 'approved' as const,
    recommendedPence: 100_001,
    shares: { 'west-mercia': 69_001, warwickshire: 31_000 },
  } as Bid;
  const released: Bid = { ...bid, decisions: { 'west-mercia': 'released', warwickshire: 'released' } };
  const first = returnUnderspend(released, { amountPence: 1, reason: 'r' }, actors.finance, 'finance', ctx);
  if (!first.ok) throw new Error(first.error.message);
  const second = returnUnderspend(first.value.bid, { amountPence: 1, reason: 'r' }, actors.finance, 'finance', ctx);
  if (!second.ok) throw new Error(second.error.message);
  // split(1) gives west-mercia the penny; split(2) gives one each.
  expect(first.value.event.returnedParts).toEqual({ 'west-mercia': 1, warwickshire: 0 });
  expect(second.value.event.returnedParts).toEqual({ 'west-mercia': 0, warwickshire: 1 });
  expect(second.value.bid.returned).toEqual({ 'west-mercia': 1, warwickshire: 1 });
});
