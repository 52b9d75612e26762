/**
 * Splitting an amount among funders by the largest-remainder method: each funder first gets
 * the whole pence of its exact share; the pence left over go one each to the largest
 * fractional parts, ties to the funder listed first. The parts always sum to the amount and
 * each is within 1p of its exact share.
 */
import type { FunderId, Scope } from './alliance';
import { FUNDER_IDS } from './alliance';
import type { CostShare } from './cost-share';
import { fundersCoveredBy } from './funders';
import type { Pence } from './money';
import { err, ok, type Result } from './result';

/**
 * Largest-remainder split of non-negative integer pence by non-negative integer weights.
 * Parts come back in the order of the weights. Throws on bad input: callers validate first.
 */
export function largestRemainderSplit(pence: Pence, weights: readonly number[]): Pence[] {
  if (!Number.isSafeInteger(pence) || pence < 0) throw new RangeError(`cannot split ${pence}: need non-negative integer pence`);
  let total = 0;
  for (const w of weights) {
    if (!Number.isSafeInteger(w) || w < 0) throw new RangeError(`weights must be non-negative integers, got ${w}`);
    total += w;
  }
  if (total <= 0) throw new RangeError('weights must not all be zero');
  if (!Number.isSafeInteger(pence * total)) throw new RangeError('amount too large to split exactly');

  const parts: Pence[] = new Array<number>(weights.length);
  const remainders: number[] = new Array<number>(weights.length);
  let allotted = 0;
  for (let i = 0; i < weights.length; i++) {
    // Integer floor division via the exact remainder: never a rounded float quotient.
    const numerator = pence * (weights[i] as number);
    const remainder = numerator % total;
    parts[i] = (numerator - remainder) / total;
    remainders[i] = remainder;
    allotted += parts[i] as number;
  }
  let leftover = pence - allotted; // always < weights.length
  if (leftover > 0) {
    const order = weights.map((_, i) => i);
    // Stable sort: equal remainders keep the configured funder order.
    order.sort((a, b) => (remainders[b] as number) - (remainders[a] as number));
    for (const i of order) {
      if (leftover === 0) break;
      parts[i] = (parts[i] as number) + 1;
      leftover--;
    }
  }
  return parts;
}

/** Each funder's share of a bid's amount; only funders the scope covers appear. */
export type Shares = Partial<Record<FunderId, Pence>>;

export interface SplitError {
  kind: 'invalid-split';
  message: string;
}

/**
 * Split an amount for a scope under a cost-share model. A single-area scope gives the whole
 * amount to that area's funder; the alliance scope splits pro rata to the weights. A funder
 * with zero weight in the model takes no part in an alliance bid.
 */
export function splitAmount(pence: Pence, scope: Scope, costShare: CostShare): Result<Shares, SplitError> {
  if (!Number.isSafeInteger(pence) || pence < 0) {
    return err({ kind: 'invalid-split', message: 'amount to split must be whole, non-negative pence' });
  }
  const covered = fundersCoveredBy(scope);
  const funders = covered.length === 1 ? covered : covered.filter((f) => costShare[f] > 0);
  if (funders.length === 0) {
    return err({ kind: 'invalid-split', message: `no funder in ${scope} has a cost share above zero` });
  }
  const weights = funders.length === 1 ? [1] : funders.map((f) => costShare[f]);
  const parts = largestRemainderSplit(pence, weights);
  const shares: Shares = {};
  funders.forEach((f, i) => {
    shares[f] = parts[i] as number;
  });
  return ok(shares);
}

/** The funders taking part in a bid, in configured order. */
export function sharedFunders(shares: Shares): FunderId[] {
  return FUNDER_IDS.filter((f) => shares[f] !== undefined);
}
