/** How big each measurement runs: the full docs/design.md §9 sizes, or a tiny `--quick` pass that only proves the bench works. */

export interface BenchConfig {
  mode: 'full' | 'quick';
  /** Bids in the pulled and reconciled year. */
  bids: number;
  /** Interleaved rounds of the pull and reconcile ratios. */
  rounds: number;
  /** Concurrent approvals per race round, and how many rounds. */
  raceApprovals: number;
  raceRounds: number;
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
  // A round's time swings ±20 % with what else the two cores do: 5 rounds left race_vs_floor
  // between 0.77 and 0.94 from run to run of the same code; 9 steady its medians.
  raceRounds: 9,
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
