import { allocate, dinero, toSnapshot } from 'dinero.js';
import { GBP } from 'dinero.js/currencies';
import fc from 'fast-check';
import {
  defaultCostShare,
  defaultPots,
  largestRemainderSplit,
  MAX_PENCE,
  SCOPES,
  splitAmount,
  splitter,
  type CostShare,
  type Shares,
} from '../../domain';

const alliance = defaultCostShare();

/** Exact deviation of each part from its true share, scaled by the weight total (integers only). */
const scaledDeviations = (amount: number, weights: number[], parts: number[]) => {
  const total = weights.reduce((a, b) => a + b, 0);
  return parts.map((part, i) => Math.abs(part * total - amount * (weights[i] as number)));
};

/** An independent largest-remainder implementation over BigInt rationals, as an oracle. */
function referenceSplit(amount: number, weights: number[]): number[] {
  const total = BigInt(weights.reduce((a, b) => a + b, 0));
  const exact = weights.map((w) => BigInt(amount) * BigInt(w));
  const floors = exact.map((e) => e / total);
  let left = BigInt(amount) - floors.reduce((a, b) => a + b, 0n);
  const ranked = exact.map((e, i) => ({ i, rem: e % total })).sort((a, b) => (b.rem === a.rem ? a.i - b.i : b.rem > a.rem ? 1 : -1));
  const parts = floors.map(Number);
  for (const { i } of ranked) {
    if (left === 0n) break;
    parts[i] = (parts[i] as number) + 1;
    left -= 1n;
  }
  return parts;
}

const dineroAllocate = (amount: number, weights: number[]) =>
  allocate(dinero({ amount, currency: GBP }), weights).map((d) => toSnapshot(d).amount);

const amounts = fc.integer({ min: 0, max: MAX_PENCE });
const weightLists = fc.array(fc.integer({ min: 0, max: 10_000 }), { minLength: 1, maxLength: 5 }).filter((ws) => ws.some((w) => w > 0));

describe('largestRemainderSplit', () => {
  test('£1,000.01 alliance → 69,001p West Mercia, 31,000p Warwickshire', () => {
    expect(splitAmount(100_001, 'alliance', alliance)).toEqual({ ok: true, value: { 'west-mercia': 69_001, warwickshire: 31_000 } });
  });

  test('the leftover penny goes to the largest fractional part, not the largest weight', () => {
    // 2p at 69/31: exact 1.38 / 0.62; Warwickshire's .62 beats West Mercia's .38.
    expect(largestRemainderSplit(2, [6900, 3100])).toEqual([1, 1]);
  });

  test('ties go to the funder listed first', () => {
    // 50p at 69/31: exact 34.5 / 15.5.
    expect(largestRemainderSplit(50, [6900, 3100])).toEqual([35, 15]);
    expect(largestRemainderSplit(1, [1, 1])).toEqual([1, 0]);
    expect(largestRemainderSplit(2, [1, 1, 1])).toEqual([1, 1, 0]);
  });

  test('zero weights take nothing; all-zero weights and bad amounts are refused', () => {
    expect(largestRemainderSplit(101, [0, 1])).toEqual([0, 101]);
    expect(() => largestRemainderSplit(5, [0, 0])).toThrow(RangeError);
    expect(() => largestRemainderSplit(-1, [1])).toThrow(RangeError);
    expect(() => largestRemainderSplit(1.5, [1])).toThrow(RangeError);
    expect(() => largestRemainderSplit(5, [1.5])).toThrow(RangeError);
  });

  test('property: parts sum to the amount, are non-negative and each within 1p of the exact share', () => {
    fc.assert(
      fc.property(amounts, weightLists, (amount, weights) => {
        const parts = largestRemainderSplit(amount, weights);
        const total = weights.reduce((a, b) => a + b, 0);
        expect(parts.reduce((a, b) => a + b, 0)).toBe(amount);
        for (const part of parts) expect(part).toBeGreaterThanOrEqual(0);
        // |part − exact| < 1p  ⇔  |part·total − amount·weight| < total
        for (const deviation of scaledDeviations(amount, weights, parts)) expect(deviation).toBeLessThan(total);
      }),
      { numRuns: 2000 },
    );
  });

  test('property: equals an independent BigInt largest-remainder implementation', () => {
    fc.assert(
      fc.property(amounts, weightLists, (amount, weights) => {
        expect(largestRemainderSplit(amount, weights)).toEqual(referenceSplit(amount, weights));
      }),
      { numRuns: 2000 },
    );
  });

  /*
   * dinero.js as an oracle. Its allocate() hands leftover pence to the largest *ratio*, where
   * docs/design.md §1 asks for the largest *fractional part*. So: every result of ours is at least as
   * close to the exact shares as dinero's, and identical to it wherever dinero's penny also
   * lands on a largest remainder.
   */
  test('property: matches dinero.js allocate wherever dinero gives the leftover to a largest remainder, and is never further from exact', () => {
    let identical = 0;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000_000 }), weightLists, (amount, weights) => {
        const ours = largestRemainderSplit(amount, weights);
        const theirs = dineroAllocate(amount, weights);
        expect(theirs.reduce((a, b) => a + b, 0)).toBe(amount);
        const oursOff = scaledDeviations(amount, weights, ours).reduce((a, b) => a + b, 0);
        const theirsOff = scaledDeviations(amount, weights, theirs).reduce((a, b) => a + b, 0);
        expect(oursOff).toBeLessThanOrEqual(theirsOff);
        const total = weights.reduce((a, b) => a + b, 0);
        const remainders = weights.map((w) => (amount * w) % total);
        const tied = new Set(remainders.filter((r) => r > 0)).size !== remainders.filter((r) => r > 0).length;
        if (oursOff === theirsOff && !tied) {
          expect(ours).toEqual(theirs);
          identical++;
        }
      }),
      { numRuns: 3000 },
    );
    expect(identical).toBeGreaterThan(500);
  });

  test('for the 69/31 alliance split, every exact multiple and every amount whose remainder favours West Mercia matches dinero.js', () => {
    for (let amount = 0; amount <= 20_000; amount++) {
      const ours = largestRemainderSplit(amount, [6900, 3100]);
      const theirs = dineroAllocate(amount, [6900, 3100]);
      if ((amount * 6900) % 10_000 >= 5000 || (amount * 6900) % 10_000 === 0) expect(ours).toEqual(theirs);
      else expect([ours[0], ours[1]]).toEqual([(theirs[0] as number) - 1, (theirs[1] as number) + 1]);
    }
  });
});

describe('splitAmount', () => {
  test('a single-area scope gives 100 % to that funder', () => {
    expect(splitAmount(12_345, 'warwickshire', alliance)).toEqual({ ok: true, value: { warwickshire: 12_345 } });
    expect(splitAmount(12_345, 'west-mercia', alliance)).toEqual({ ok: true, value: { 'west-mercia': 12_345 } });
  });

  test('a single-area scope stays 100 % even when that funder has no alliance weight', () => {
    const lopsided: CostShare = { 'west-mercia': 10_000, warwickshire: 0 };
    expect(splitAmount(500, 'warwickshire', lopsided)).toEqual({ ok: true, value: { warwickshire: 500 } });
    expect(splitAmount(500, 'alliance', lopsided)).toEqual({ ok: true, value: { 'west-mercia': 500 } });
  });

  test('refuses fractions of a penny and negatives', () => {
    expect(splitAmount(1.5, 'alliance', alliance).ok).toBe(false);
    expect(splitAmount(-1, 'alliance', alliance).ok).toBe(false);
  });

  test('property: the alliance split sums to the amount and follows the weights', () => {
    fc.assert(
      fc.property(amounts, fc.integer({ min: 1, max: 9_999 }), (amount, westMercia) => {
        const model: CostShare = { 'west-mercia': westMercia, warwickshire: 10_000 - westMercia };
        const result = splitAmount(amount, 'alliance', model);
        if (!result.ok) throw new Error(result.error.message);
        expect((result.value['west-mercia'] ?? 0) + (result.value.warwickshire ?? 0)).toBe(amount);
        expect(result.value['west-mercia']).toEqual(largestRemainderSplit(amount, [westMercia, 10_000 - westMercia])[0]);
      }),
    );
  });
});

describe('splitter', () => {
  const costShares = fc
    .tuple(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 0, max: 10_000 }))
    .map(([westMercia, warwickshire]): CostShare => ({ 'west-mercia': westMercia, warwickshire }));

  test('property: resolved once, it gives every amount what splitAmount gives it, for every scope and model', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SCOPES), costShares, fc.array(amounts, { minLength: 1, maxLength: 20 }), (scope, model, many) => {
        const resolved = splitter(scope, model);
        const one = splitAmount(many[0] as number, scope, model);
        if (!resolved.ok) {
          expect(one).toEqual(resolved);
          return;
        }
        for (const amount of many) {
          const parts = resolved.value.parts(amount);
          const shares: Shares = Object.fromEntries(resolved.value.funders.map((f, i) => [f, parts[i]]));
          expect(splitAmount(amount, scope, model)).toEqual({ ok: true, value: shares });
          const weights = resolved.value.funders.length === 1 ? [1] : resolved.value.funders.map((f) => model[f]);
          expect(parts).toEqual(referenceSplit(amount, weights));
        }
      }),
      { numRuns: 2000 },
    );
  });

  test('a scope with no weighted funder is refused once, up front; bad amounts throw as largestRemainderSplit does', () => {
    const none: CostShare = { 'west-mercia': 0, warwickshire: 0 };
    expect(splitter('alliance', none)).toEqual({
      ok: false,
      error: { kind: 'invalid-split', message: 'no funder in alliance has a cost share above zero' },
    });
    const alliance69 = splitter('alliance', alliance);
    if (!alliance69.ok) throw new Error(alliance69.error.message);
    expect(alliance69.value.funders).toEqual(['west-mercia', 'warwickshire']);
    expect(alliance69.value.parts(100_001)).toEqual([69_001, 31_000]);
    expect(alliance69.value.parts(2)).toEqual([1, 1]);
    expect(alliance69.value.parts(50)).toEqual([35, 15]);
    expect(() => alliance69.value.parts(1.5)).toThrow(RangeError);
    expect(() => alliance69.value.parts(-1)).toThrow(RangeError);
    expect(() => alliance69.value.parts(Number.MAX_SAFE_INTEGER)).toThrow('amount too large to split exactly');
  });
});

describe('defaultPots', () => {
  test('£1.5M at 69/31 → £1,035,000 / £465,000', () => {
    expect(defaultPots(150_000_000, alliance)).toEqual({ 'west-mercia': 103_500_000, warwickshire: 46_500_000 });
  });
  test('pots always add back to the fund', () => {
    fc.assert(
      fc.property(amounts, fc.integer({ min: 0, max: 10_000 }), (fund, westMercia) => {
        const pots = defaultPots(fund, { 'west-mercia': westMercia, warwickshire: 10_000 - westMercia });
        expect(pots['west-mercia'] + pots.warwickshire).toBe(fund);
      }),
    );
  });
});
