/** How big each measurement runs: the full docs/design.md §9 sizes, or a tiny `--quick` pass that only proves the bench works. */

export interface BenchConfig {
  mode: 'full' | 'quick';
  /** Bids in the pulled and reconciled year. */
  bids: number;
  /** Interleaved rounds of the pull and reconcile ratios. */
  rounds: number;
  /** Concurrent approvals per race round, how many rounds, and unrecorded warm-up rounds before them. */
  raceApprovals: number;
  raceRounds: number;
  raceWarmUpRounds: number;
  /** Amounts FUND.SPLIT and dinero.js split per round, and how many rounds. */
  splitAmounts: number;
  splitRounds: number;
  /** Fresh Node processes per side for the cold import ratio. */
  initRounds: number;
  /** Rows of the ingested intake file, and interleaved rounds of the ingest ratio. */
  ingestRows: number;
  ingestRounds: number;
}

export const FULL: BenchConfig = {
  mode: 'full',
  bids: 10_000,
  rounds: 5,
  raceApprovals: 200,
  // A round's time swings ±30 % with the machine's speed, which drifts over tens of seconds, and
  // one round's pair ratio lands anywhere from about 0.75 to 1.05. The value is the median of the
  // rounds' pair ratios (tests/bench/stats.ts), after 3 warm-ups (the HTTP path's own code settles
  // only after a few thousand requests: from 1.3 to 0.2 ms a request over its first 4,000,
  // measured on the memory store). With 15 rounds whole runs landed from 0.77 to 0.90; with 30,
  // from 0.83 to 0.89 (docs/bench.md). Each race takes a fresh financial year: 34 rounds at most.
  raceRounds: 30,
  raceWarmUpRounds: 3,
  splitAmounts: 1_000_000,
  splitRounds: 3,
  // A cold import varies ±15 % run to run on this machine: 11 rounds left the median swinging
  // 0.9–1.1 between runs; 31 keep it within a few per cent (and take about 10 s).
  initRounds: 31,
  ingestRows: 5_000,
  ingestRounds: 3,
};

export const QUICK: BenchConfig = {
  mode: 'quick',
  bids: 200,
  rounds: 3,
  raceApprovals: 20,
  raceRounds: 3,
  raceWarmUpRounds: 1,
  splitAmounts: 20_000,
  splitRounds: 3,
  initRounds: 2,
  ingestRows: 50,
  ingestRounds: 2,
};

/** Progress goes to stderr, so `--json` leaves stdout to the JSON object alone. */
export function progress(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}
