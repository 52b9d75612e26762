/** Timing helpers for the bench: medians, and baseline/measured rounds interleaved in one process. */

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** "p25 0.88, median 0.95, p75 1.03": the spread of per-round ratios, for the details. */
export function quartiles(values: readonly number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number).toFixed(2);
  return `p25 ${at(0.25)}, median ${at(0.5)}, p75 ${at(0.75)}`;
}

/** Milliseconds a piece of async work took. */
export async function timed(work: () => Promise<unknown> | unknown): Promise<number> {
  const start = performance.now();
  await work();
  return performance.now() - start;
}

/** One run of a side: does its own set-up, and returns the milliseconds of its timed part only. */
export type TimedRun = () => Promise<number>;

export interface Interleaved {
  rounds: number;
  baselineMs: number[];
  measuredMs: number[];
  baselineMedianMs: number;
  measuredMedianMs: number;
  /** Each round's baseline ÷ measured time, in round order. */
  pairRatios: number[];
  /**
   * The median over rounds of baseline ÷ measured time, each round's pair run back to back: where
   * the machine's speed drifts within a run (a round's time swinging ±30 % over tens of seconds
   * on these shared cores), a pair shares the drift and its ratio cancels it, where the ratio of
   * the two medians can pair a slow stretch of one side with a fast stretch of the other.
   */
  medianPairRatio: number;
}

/**
 * Baseline and measured, alternating which goes first (B M, M B, B M, …) so drift in the machine
 * (JIT, GC, a growing database) lands on both sides; one unrecorded warm-up of each first.
 */
export async function interleave(
  rounds: number,
  sides: { baseline: TimedRun; measured: TimedRun },
  options: {
    /** false: no warm-up; runs: a lighter warm-up than a full round (e.g. a tenth of the work). */
    warmUp?: boolean | { baseline: TimedRun; measured: TimedRun };
    /** Unrecorded warm-up rounds (baseline, then measured, each time); default 1. */
    warmUpRounds?: number;
    onRound?: (round: number, baselineMs: number, measuredMs: number) => void;
  } = {},
): Promise<Interleaved> {
  if (options.warmUp !== false) {
    const warm = typeof options.warmUp === 'object' ? options.warmUp : sides;
    for (let round = 0; round < (options.warmUpRounds ?? 1); round++) {
      await warm.baseline();
      await warm.measured();
    }
  }
  const baselineMs: number[] = [];
  const measuredMs: number[] = [];
  for (let round = 0; round < rounds; round++) {
    let b: number;
    let m: number;
    if (round % 2 === 0) {
      b = await sides.baseline();
      m = await sides.measured();
    } else {
      m = await sides.measured();
      b = await sides.baseline();
    }
    baselineMs.push(b);
    measuredMs.push(m);
    options.onRound?.(round + 1, b, m);
  }
  const pairRatios = baselineMs.map((b, i) => b / (measuredMs[i] as number));
  return {
    rounds,
    baselineMs,
    measuredMs,
    baselineMedianMs: median(baselineMs),
    measuredMedianMs: median(measuredMs),
    pairRatios,
    medianPairRatio: median(pairRatios),
  };
}

/** Round for display and JSON: ratios to 3 decimals, big numbers to whole units. */
export function round(value: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

export const ms = (value: number): string => (value >= 100 ? `${Math.round(value)} ms` : `${value.toFixed(1)} ms`);

export const perSecond = (count: number, milliseconds: number): number => (count * 1000) / milliseconds;

/** Thousands separators, e.g. 10000 → "10,000". */
export const grouped = (value: number): string => Math.round(value).toLocaleString('en-GB');
