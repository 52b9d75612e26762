/**
 * The cost-share model: each funder's weight in basis points (1/100 of a percent), summing to
 * 10,000. Stored per financial year, because the alliance ratio gets revised.
 */
import { FUNDERS, FUNDER_IDS, type FunderId } from './alliance';
import { funderName } from './funders';
import type { Pence } from './money';
import { err, ok, type Result } from './result';
import { largestRemainderSplit } from './split';

export const BASIS_POINTS_TOTAL = 10_000;

/** Weight per funder, in basis points. */
export type CostShare = Record<FunderId, number>;

export interface CostShareError {
  kind: 'invalid-cost-share';
  message: string;
  funder?: FunderId;
}

/** The configured default: each funder's `defaultWeightBp` in domain/alliance.ts. */
export function defaultCostShare(): CostShare {
  return Object.fromEntries(FUNDERS.map((f) => [f.id, f.defaultWeightBp])) as CostShare;
}

/** Every funder present, whole basis points from 0 to 10,000, summing to exactly 10,000. */
export function validateCostShare(input: Partial<Record<string, unknown>>): Result<CostShare, CostShareError> {
  for (const key of Object.keys(input)) {
    if (!(FUNDER_IDS as readonly string[]).includes(key)) {
      return err({ kind: 'invalid-cost-share', message: `${key} is not a funder (funders: ${FUNDER_IDS.join(', ')})` });
    }
  }
  let total = 0;
  for (const funder of FUNDER_IDS) {
    const weight = input[funder];
    if (weight === undefined) {
      return err({ kind: 'invalid-cost-share', funder, message: `cost share for ${funderName(funder)} is missing` });
    }
    if (typeof weight !== 'number' || !Number.isInteger(weight) || weight < 0 || weight > BASIS_POINTS_TOTAL) {
      return err({
        kind: 'invalid-cost-share',
        funder,
        message: `cost share for ${funderName(funder)} must be whole basis points from 0 to ${BASIS_POINTS_TOTAL}`,
      });
    }
    total += weight;
  }
  if (total !== BASIS_POINTS_TOTAL) {
    return err({ kind: 'invalid-cost-share', message: `cost shares must sum to ${BASIS_POINTS_TOTAL} basis points (100 %), not ${total}` });
  }
  return ok(input as CostShare);
}

/** Default pots: the fund split by the cost share, e.g. £1.5M → £1,035,000 / £465,000. */
export function defaultPots(fundPence: Pence, costShare: CostShare): Record<FunderId, Pence> {
  const parts = largestRemainderSplit(
    fundPence,
    FUNDER_IDS.map((f) => costShare[f]),
  );
  return Object.fromEntries(FUNDER_IDS.map((f, i) => [f, parts[i] ?? 0])) as Record<FunderId, Pence>;
}
