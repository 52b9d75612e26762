/**
 * Every fast-check property in tests/ runs from a fixed seed (jest `setupFiles`, before each test
 * file), so `npm test` generates the same values on every run and machine.
 *
 * Environment:
 * - FUNDSHARE_PROPERTY_SEED: an integer seed for every property instead of the default below,
 *   for a soak (`FUNDSHARE_PROPERTY_SEED=$RANDOM npx jest tests/domain`) or to replay a failure.
 *   The reliability walks and the ingest-crash walk pass their own default seed per call and
 *   read this variable themselves, so it overrides theirs too.
 * - FUNDSHARE_PROPERTY_RUNS: the number of runs of the reliability and ingest-crash walks
 *   (tests/reliability/walks.ts, tests/sync/ingest-crashes.test.ts); other properties keep the
 *   numRuns they state.
 *
 * A failure reports its seed and path ("{ seed: 20261130, path: "12:3", endOnFailure: true }"):
 * rerun with FUNDSHARE_PROPERTY_SEED=<seed> to replay it, or pass `{ seed, path }` to that one
 * fc.assert to go straight to the counterexample.
 */
import fc from 'fast-check';

export const DEFAULT_PROPERTY_SEED = 20261130;

/** The seed from FUNDSHARE_PROPERTY_SEED, else the default; anything but an integer is refused. */
export function propertySeed(env: NodeJS.ProcessEnv = process.env): number {
  const text = env.FUNDSHARE_PROPERTY_SEED?.trim();
  if (text === undefined || text === '') return DEFAULT_PROPERTY_SEED;
  const seed = Number(text);
  if (!Number.isSafeInteger(seed)) throw new Error(`FUNDSHARE_PROPERTY_SEED must be an integer, not "${text}"`);
  return seed;
}

fc.configureGlobal({ ...fc.readConfigureGlobal(), seed: propertySeed() });
