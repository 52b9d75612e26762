/**
 * `split_speedup`: FUND.SPLIT as Excel calls it (the custom function in addin/functions/functions.ts:
 * a one-column range of pounds in → parsePounds → pence → largest-remainder split → pounds out)
 * over N amounts, against dinero.js v2 `allocate` over the same amounts and the same 69/31 ratios
 * (pounds → minor units → allocate → pounds). Speedup = dinero's median time ÷ ours.
 *
 * Results are checked outside the timed part: ours against an exact BigInt largest-remainder
 * reference on every amount, and against dinero wherever the two rules agree. dinero hands the
 * leftover penny to the largest *ratio*; docs/design.md §1 gives it to the largest *remainder* (ties to the
 * first funder), so where Warwickshire's remainder is the larger the results differ by that penny.
 */
import { allocate, dinero, toSnapshot } from 'dinero.js';
import { GBP } from 'dinero.js/currencies';
import { split as fundSplit } from '../../addin/functions/functions';
import { poundsArg, splitRows } from '../../addin/functions/engine';
import { defaultCostShare, FUNDER_IDS } from '../../domain';
import type { BenchConfig } from './config';
import { progress } from './config';
import { prng } from '../support/prng';
import type { KeyResult } from './report';
import { grouped, interleave, ms, round, timed } from './stats';

const WEIGHTS = FUNDER_IDS.map((f) => defaultCostShare()[f]);

/** Amounts as Excel holds them: pounds with up to 2 decimals, from pennies to £100,000. */
export function splitAmounts(count: number, seed = 69_31): number[] {
  const rnd = prng(seed);
  return Array.from({ length: count }, (_, i) => {
    const pence = i % 10 === 0 ? Math.floor(rnd() * 1_000) : Math.floor(rnd() * 10_000_000);
    return pence / 100;
  });
}

/** Exact largest remainder over BigInt: floors first, leftover pence to the largest remainders, ties to the first. */
export function referenceSplit(pence: number, weights: readonly number[]): number[] {
  const total = BigInt(weights.reduce((a, b) => a + b, 0));
  const exact = weights.map((w) => BigInt(pence) * BigInt(w));
  const parts = exact.map((e) => e / total);
  let left = BigInt(pence) - parts.reduce((a, b) => a + b, 0n);
  const ranked = exact.map((e, i) => ({ i, rem: e % total })).sort((a, b) => (b.rem === a.rem ? a.i - b.i : b.rem > a.rem ? 1 : -1));
  for (const { i } of ranked) {
    if (left === 0n) break;
    parts[i] = (parts[i] as bigint) + 1n;
    left -= 1n;
  }
  return parts.map(Number);
}

export interface SplitCheck {
  amounts: number;
  /** Ours equal to the BigInt reference. */
  equalToReference: number;
  /** Amounts where dinero's leftover lands on a largest remainder (or there is none): the rules agree. */
  rulesAgree: number;
  /** …and of those, ours identical to dinero. */
  identicalToDinero: number;
  /** Amounts where dinero gives the leftover penny to West Mercia though Warwickshire's remainder is larger. */
  rulesDiffer: number;
  /** …and of those, ours is dinero's result with that penny moved to Warwickshire. */
  differByThatPenny: number;
}

/** Compare outputs in pounds (both sides) with the reference and with each other. */
export function checkSplits(
  amounts: readonly number[],
  ours: readonly (readonly number[])[],
  theirs: readonly (readonly number[])[],
): SplitCheck {
  const check: SplitCheck = {
    amounts: amounts.length,
    equalToReference: 0,
    rulesAgree: 0,
    identicalToDinero: 0,
    rulesDiffer: 0,
    differByThatPenny: 0,
  };
  const total = WEIGHTS.reduce((a, b) => a + b, 0);
  amounts.forEach((pounds, i) => {
    const pence = Math.round(pounds * 100);
    const o = (ours[i] ?? []).map((p) => Math.round(p * 100));
    const d = (theirs[i] ?? []).map((p) => Math.round(p * 100));
    const ref = referenceSplit(pence, WEIGHTS);
    if (o.length === ref.length && o.every((p, j) => p === ref[j])) check.equalToReference++;
    const remainders = WEIGHTS.map((w) => (pence * w) % total);
    const leftover = remainders.reduce((a, b) => a + b, 0) / total;
    // dinero gives leftover pence to the largest ratios: the first funder (69 %) here.
    const dineroOnLargestRemainder = leftover === 0 || remainders.every((r) => r <= (remainders[0] as number));
    const same = o.length === d.length && o.every((p, j) => p === d[j]);
    if (dineroOnLargestRemainder) {
      check.rulesAgree++;
      if (same) check.identicalToDinero++;
    } else {
      check.rulesDiffer++;
      if (o[0] === (d[0] as number) - 1 && o[1] === (d[1] as number) + 1) check.differByThatPenny++;
    }
  });
  return check;
}

function dineroSplit(amounts: readonly number[]): number[][] {
  const out: number[][] = new Array<number[]>(amounts.length);
  for (let i = 0; i < amounts.length; i++) {
    const parts = allocate(dinero({ amount: Math.round((amounts[i] as number) * 100), currency: GBP }), WEIGHTS);
    out[i] = parts.map((p) => toSnapshot(p).amount / 100);
  }
  return out;
}

export async function measureSplit(config: BenchConfig): Promise<KeyResult> {
  const amounts = splitAmounts(config.splitAmounts);
  const range = amounts.map((a) => [a]);
  const warmAmounts = amounts.slice(0, Math.ceil(amounts.length / 10));
  const warmRange = range.slice(0, warmAmounts.length);
  let ours: number[][] = [];
  let theirs: number[][] = [];
  progress(`split: ${grouped(amounts.length)} amounts, FUND.SPLIT vs dinero.js allocate, ${config.splitRounds} rounds`);
  const result = await interleave(
    config.splitRounds,
    {
      baseline: () => timed(() => (theirs = dineroSplit(amounts))),
      measured: () => timed(async () => (ours = await fundSplit(range, 'alliance'))),
    },
    {
      warmUp: { baseline: () => timed(() => dineroSplit(warmAmounts)), measured: () => timed(() => fundSplit(warmRange, 'alliance')) },
      onRound: (r, b, m) => progress(`split round ${r}: dinero ${ms(b)}, FUND.SPLIT ${ms(m)}`),
    },
  );
  const check = checkSplits(amounts, ours, theirs);
  const unexplained =
    check.amounts - check.equalToReference + (check.rulesAgree - check.identicalToDinero) + (check.rulesDiffer - check.differByThatPenny);
  if (unexplained !== 0) throw new Error(`split results do not check: ${JSON.stringify(check)}`);

  // Where our time goes (one pass each, not part of the key): pounds → pence, then the split itself.
  const costShare = defaultCostShare();
  let pence: number[] = [];
  const parseMs = await timed(() => (pence = amounts.map((a) => poundsArg(a))));
  const splitMs = await timed(() => pence.map(splitRows('alliance', costShare)));

  const speedup = result.baselineMedianMs / result.measuredMedianMs;
  const perAmount = (t: number) => `${((t * 1000) / amounts.length).toFixed(2)} µs/amount`;
  return {
    key: 'split_speedup',
    value: round(speedup, 2),
    measured:
      `FUND.SPLIT ${ms(result.measuredMedianMs)} for ${grouped(amounts.length)} amounts (${perAmount(result.measuredMedianMs)}); ` +
      `= exact reference ${grouped(check.equalToReference)}/${grouped(check.amounts)}; = dinero ${grouped(check.identicalToDinero)}/${grouped(check.rulesAgree)} where the rules agree; ` +
      `${grouped(check.rulesDiffer)} differ by dinero's largest-ratio penny`,
    baseline: `dinero.js allocate ${ms(result.baselineMedianMs)} (${perAmount(result.baselineMedianMs)})`,
    rounds: `${config.splitRounds} interleaved + 1 warm-up each (a tenth of the amounts)`,
    details: [
      `results: ${grouped(check.equalToReference)}/${grouped(check.amounts)} equal to an exact BigInt largest-remainder reference`,
      `vs dinero: ${grouped(check.identicalToDinero)}/${grouped(check.rulesAgree)} identical where dinero's leftover penny lands on a largest remainder; ` +
        `${grouped(check.rulesDiffer)} amounts differ, all (${grouped(check.differByThatPenny)}) by the one penny dinero gives West Mercia (largest ratio) ` +
        `where Warwickshire's remainder is larger (docs/design.md §1: largest remainder), e.g. £0.02 → ours £0.01/£0.01, dinero £0.02/£0.00`,
      `where FUND.SPLIT's time goes (one pass each, outside the key): pounds → pence (poundsArg/parsePounds) ${ms(parseMs)}, ` +
        `split to pounds (splitRows: funders and weights resolved once, then the splitter per amount) ${ms(splitMs)}; the rest is range flattening and result arrays`,
      `rounds (ms): dinero ${result.baselineMs.map(Math.round).join(', ')}; FUND.SPLIT ${result.measuredMs.map(Math.round).join(', ')}`,
    ],
  };
}
