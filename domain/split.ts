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
  requireSplittablePence(pence);
  const total = weightTotal(weights);
  requireExactProduct(pence, total);
  return allotByLargestRemainder(pence, weights, total);
}

function requireSplittablePence(pence: Pence): void {
  if (!Number.isSafeInteger(pence) || pence < 0) throw new RangeError(`cannot split ${pence}: need non-negative integer pence`);
}

/** The sum of the weights, once they are known to be non-negative integers, not all zero. */
function weightTotal(weights: readonly number[]): number {
  let total = 0;
  for (const w of weights) {
    if (!Number.isSafeInteger(w) || w < 0) throw new RangeError(`weights must be non-negative integers, got ${w}`);
    total += w;
  }
  if (total <= 0) throw new RangeError('weights must not all be zero');
  return total;
}

function requireExactProduct(pence: Pence, total: number): void {
  if (!Number.isSafeInteger(pence * total)) throw new RangeError('amount too large to split exactly');
}

/** The method itself, on checked input (pence × total a safe integer). */
function allotByLargestRemainder(pence: Pence, weights: readonly number[], total: number): Pence[] {
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
  // One penny each to the largest remainders; on equal remainders the first funder wins (strict >).
  for (let leftover = pence - allotted; leftover > 0; leftover--) {
    let largest = 0;
    for (let i = 1; i < remainders.length; i++) if ((remainders[i] as number) > (remainders[largest] as number)) largest = i;
    parts[largest] = (parts[largest] as number) + 1;
    remainders[largest] = -1; // taken: never twice (leftover < weights.length, remainders ≥ 0)
  }
  return parts;
}

/** Each funder's share of a bid's amount; only funders the scope covers appear. */
export type Shares = Partial<Record<FunderId, Pence>>;

export interface SplitError {
  kind: 'invalid-split';
  message: string;
}

/** A scope's split under a cost-share model, resolved once and applied to many amounts. */
export interface Splitter {
  /** The funders taking part, in configured order. */
  readonly funders: readonly FunderId[];
  /** Their parts of an amount, in that order. Throws RangeError unless whole, non-negative pence. */
  readonly parts: (pence: Pence) => Pence[];
}

/**
 * Resolve a scope's funders and weights once. A single-area scope gives the whole amount to that
 * area's funder; the alliance scope splits pro rata to the weights. A funder with zero weight in
 * the model takes no part in an alliance bid.
 */
export function splitter(scope: Scope, costShare: CostShare): Result<Splitter, SplitError> {
  const covered = fundersCoveredBy(scope);
  const funders = covered.length === 1 ? covered : covered.filter((f) => costShare[f] > 0);
  if (funders.length === 0) {
    return err({ kind: 'invalid-split', message: `no funder in ${scope} has a cost share above zero` });
  }
  const weights = funders.length === 1 ? [1] : funders.map((f) => costShare[f]);
  const total = weightTotal(weights);
  return ok({
    funders,
    parts: (pence: Pence) => {
      requireSplittablePence(pence);
      requireExactProduct(pence, total);
      return allotByLargestRemainder(pence, weights, total);
    },
  });
}

/** Split one amount for a scope under a cost-share model (see splitter). */
export function splitAmount(pence: Pence, scope: Scope, costShare: CostShare): Result<Shares, SplitError> {
  if (!Number.isSafeInteger(pence) || pence < 0) {
    return err({ kind: 'invalid-split', message: 'amount to split must be whole, non-negative pence' });
  }
  const resolved = splitter(scope, costShare);
  if (!resolved.ok) return resolved;
  const { funders, parts } = resolved.value;
  const split = parts(pence);
  const shares: Shares = {};
  funders.forEach((f, i) => {
    shares[f] = split[i] as number;
  });
  return ok(shares);
}

/** The funders taking part in a bid, in configured order. */
export function sharedFunders(shares: Shares): FunderId[] {
  return FUNDER_IDS.filter((f) => shares[f] !== undefined);
}
