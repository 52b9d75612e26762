import fc from 'fast-check';
import {
  bigLargestRemainderSplit,
  instalmentParts,
  largestRemainderSplit,
  MAX_PENCE,
  SCOPES,
  splitAmount,
  type CostShare,
  type ScheduledAmount,
} from '../../domain';

const costShareArb: fc.Arbitrary<CostShare> = fc
  .integer({ min: 0, max: 10_000 })
  .map((wm) => ({ 'west-mercia': wm, warwickshire: 10_000 - wm }));

/** An amount cut into `count` positive instalments (cut points strictly inside it). */
const scheduleArb = (amount: number, maxCount: number): fc.Arbitrary<ScheduledAmount[]> =>
  fc.uniqueArray(fc.integer({ min: 1, max: Math.max(1, amount - 1) }), { maxLength: Math.min(maxCount - 1, amount - 1) }).map((cuts) => {
    const points = [0, ...cuts.filter((c) => c < amount).sort((a, b) => a - b), amount];
    return points
      .slice(1)
      .map((p, i) => ({ due: `2026-${String((i % 12) + 1).padStart(2, '0')}-01`, amountPence: p - (points[i] as number) }));
  });

describe('instalmentParts: the running-total split (docs/design.md §3.1)', () => {
  test('every funder’s parts sum exactly to its share; every instalment’s parts sum exactly to it', () => {
    fc.assert(
      fc.property(
        fc
          .record({
            amount: fc.integer({ min: 1, max: MAX_PENCE }),
            scope: fc.constantFrom(...SCOPES),
            costShare: costShareArb,
            maxCount: fc.integer({ min: 1, max: 60 }),
          })
          .chain((c) => scheduleArb(c.amount, c.maxCount).map((schedule) => ({ ...c, schedule }))),
        ({ amount, scope, costShare, schedule }) => {
          const shares = splitAmount(amount, scope, costShare);
          fc.pre(shares.ok);
          if (!shares.ok) return;
          const split = instalmentParts(shares.value, schedule);
          for (const instalment of split) {
            const parts = Object.values(instalment.parts);
            expect(parts.reduce((a, b) => a + b, 0)).toBe(instalment.amountPence);
            // Two funders at most per bid: the running-total parts are never negative.
            for (const part of parts) expect(part).toBeGreaterThanOrEqual(0);
          }
          for (const [funder, share] of Object.entries(shares.value)) {
            const sum = split.reduce((a, i) => a + (i.parts[funder as keyof typeof i.parts] ?? 0), 0);
            expect(sum).toBe(share);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  test('a single instalment is the shares; the £1,000.01 example splits 69,001p / 31,000p', () => {
    const shares = { 'west-mercia': 69_001, warwickshire: 31_000 };
    expect(instalmentParts(shares, [{ due: '2026-05-01', amountPence: 100_001 }])[0]?.parts).toEqual(shares);
    const three = instalmentParts(shares, [
      { due: '2026-05-01', amountPence: 1 },
      { due: '2026-06-01', amountPence: 1 },
      { due: '2026-07-01', amountPence: 99_999 },
    ]);
    expect(three.map((i) => i.parts)).toEqual([
      { 'west-mercia': 1, warwickshire: 0 },
      { 'west-mercia': 0, warwickshire: 1 },
      { 'west-mercia': 69_000, warwickshire: 30_999 },
    ]);
  });

  test('the BigInt split agrees with split.ts wherever split.ts can answer, and goes past 2^53', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.array(fc.integer({ min: 0, max: 10_000 }), { minLength: 1, maxLength: 5 }),
        (pence, weights) => {
          fc.pre(weights.some((w) => w > 0));
          expect(bigLargestRemainderSplit(pence, weights)).toEqual(largestRemainderSplit(pence, weights));
        },
      ),
      { numRuns: 300 },
    );
    // 10^10 × 10^10 is far beyond 2^53: split.ts refuses, the BigInt split answers exactly.
    expect(() => largestRemainderSplit(MAX_PENCE, [MAX_PENCE - 1, 1])).toThrow(RangeError);
    expect(bigLargestRemainderSplit(MAX_PENCE - 1, [MAX_PENCE - 1, 1])).toEqual([MAX_PENCE - 2, 1]);
  });
});
