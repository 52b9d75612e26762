/**
 * A bid's payment schedule split between its funders (docs/design.md §3.1). Each instalment is
 * split by running totals: funder f's part of instalment k is split(C_k)[f] − split(C_{k−1})[f],
 * where C_k is the cumulative amount scheduled up to instalment k and the weights are the bid's
 * committed shares. Because split(C_n) = the shares exactly, every funder's parts sum to its
 * share and every instalment's parts sum to the instalment, whatever the rounding.
 */
import { FUNDER_IDS, type FunderId } from './alliance';
import type { Pence } from './money';
import type { Shares } from './split';

export interface ScheduledAmount {
  /** Due date, YYYY-MM-DD. */
  due: string;
  amountPence: Pence;
}

/** One instalment with each funder's part of it. */
export interface InstalmentParts extends ScheduledAmount {
  parts: Shares;
}

/**
 * Largest-remainder split over BigInt: pence × weight can exceed 2^53 when the weights are
 * themselves pence (shares), where domain/split.ts refuses. Same rule and tie-break: the
 * leftover pence go to the largest remainders, ties to the first listed.
 */
export function bigLargestRemainderSplit(pence: Pence, weights: readonly Pence[]): Pence[] {
  if (!Number.isSafeInteger(pence) || pence < 0) throw new RangeError(`cannot split ${pence}: need non-negative integer pence`);
  let total = 0n;
  for (const w of weights) {
    if (!Number.isSafeInteger(w) || w < 0) throw new RangeError(`weights must be non-negative integers, got ${w}`);
    total += BigInt(w);
  }
  if (total === 0n) throw new RangeError('weights must not all be zero');
  const amount = BigInt(pence);
  const parts: bigint[] = [];
  const remainders: bigint[] = [];
  let allotted = 0n;
  for (const w of weights) {
    const numerator = amount * BigInt(w);
    parts.push(numerator / total);
    remainders.push(numerator % total);
    allotted += numerator / total;
  }
  for (let leftover = amount - allotted; leftover > 0n; leftover--) {
    let largest = 0;
    for (let i = 1; i < remainders.length; i++) if ((remainders[i] as bigint) > (remainders[largest] as bigint)) largest = i;
    parts[largest] = (parts[largest] as bigint) + 1n;
    remainders[largest] = -1n; // taken: never twice
  }
  return parts.map(Number);
}

/**
 * Each instalment's parts per funder, by the running-total rule. The caller has checked that the
 * amounts are positive and sum to Σ shares (the funded amount).
 */
export function instalmentParts(shares: Shares, schedule: readonly ScheduledAmount[]): InstalmentParts[] {
  const funders: FunderId[] = FUNDER_IDS.filter((f) => shares[f] !== undefined);
  const weights = funders.map((f) => shares[f] as Pence);
  let cumulative = 0;
  let before = funders.map(() => 0);
  return schedule.map(({ due, amountPence }) => {
    cumulative += amountPence;
    const after = bigLargestRemainderSplit(cumulative, weights);
    const parts: Shares = {};
    funders.forEach((f, i) => {
      parts[f] = (after[i] as Pence) - (before[i] as Pence);
    });
    before = after;
    return { due, amountPence, parts };
  });
}
