/**
 * `reconcile_ratio` (folded in from the earlier tests/bench/reconcile-ratio.ts): reconcile of the
 * year's bids ÷ a raw Query of the same bids, on the same engine.
 *
 * Measured (steady state, the key): the year's bids from the index (store.bidsOfYear) and
 * reconcileYear over them, checking the outboxes of bids changed since the previous pass the way
 * the sync job does (from the latest change seen, less SYNC_OVERLAP_MS). Also shown, one round:
 * the first-ever pass, which checks every bid's audit copy (batched). Baseline: a raw DocumentClient Query
 * of the year's GSI pages (DynamoDB's default 1 MB pages, as bidsOfYear reads them).
 */
import { DEFAULT_GRACE_MS, reconcileYear } from '../../functions/sync/reconcile';
import { SYNC_OVERLAP_MS } from '../../functions/use-cases/bid-queries';
import type { BenchConfig } from './config';
import { progress } from './config';
import { rawYearQuery, type BenchEnvironment } from './environment';
import type { KeyResult } from './report';
import { grouped, interleave, ms, round, timed } from './stats';

export async function measureReconcile(env: BenchEnvironment, config: BenchConfig): Promise<KeyResult> {
  const { fy } = env.dataset;
  const count = env.dataset.bids.length;
  const { deps } = env.stack;
  const latest = env.dataset.bids.reduce((max, b) => (b.bid.updatedAt > max ? b.bid.updatedAt : max), '');
  const outboxCheckFrom = new Date(Date.parse(latest) - SYNC_OVERLAP_MS).toISOString();
  const recentlyChanged = env.dataset.bids.filter((b) => b.bid.updatedAt >= outboxCheckFrom).length;

  const rawQuery = (): Promise<number> => rawYearQuery(env, fy, count);
  const steady = async (): Promise<number> => {
    let drift = 0;
    const elapsed = await timed(async () => {
      const result = await reconcileYear(deps, fy, await deps.store.bidsOfYear(fy), { graceMs: DEFAULT_GRACE_MS, outboxCheckFrom });
      drift = result.drift.length;
      if (result.bids.length !== count) throw new Error(`reconcile saw ${result.bids.length} bids, not ${count}`);
    });
    if (drift > 0) throw new Error(`reconcile found ${drift} drift on the seeded year`);
    return elapsed;
  };

  progress(`reconcile: ${grouped(count)} bids, steady-state pass vs raw Query, ${config.rounds} rounds`);
  const result = await interleave(
    config.rounds,
    { baseline: rawQuery, measured: steady },
    { onRound: (r, b, m) => progress(`reconcile round ${r}: raw ${ms(b)}, reconcile ${ms(m)}`) },
  );
  progress("reconcile: the first-ever pass (every bid's audit copy checked), one round");
  let firstDrift = 0;
  const firstMs = await timed(async () => {
    firstDrift = (await reconcileYear(deps, fy, await deps.store.bidsOfYear(fy), { graceMs: DEFAULT_GRACE_MS })).drift.length;
  });
  if (firstDrift > 0) throw new Error(`the first pass found ${firstDrift} drift on the seeded year`);
  const ratio = result.measuredMedianMs / result.baselineMedianMs;
  return {
    key: 'reconcile_ratio',
    value: round(ratio, 3),
    measured: `steady-state reconcile ${ms(result.measuredMedianMs)} for ${grouped(count)} bids (the first-ever pass, every bid's audit copy checked: ${ms(firstMs)}, ratio ${(firstMs / result.baselineMedianMs).toFixed(2)}, not the key)`,
    baseline: `raw Query ${ms(result.baselineMedianMs)}`,
    rounds: `${config.rounds} interleaved + 1 warm-up each; first-ever pass 1`,
    details: [
      `steady state: bids from the index + ledgers + outboxes of the ${recentlyChanged} bid(s) changed since the previous pass (latest change − ${SYNC_OVERLAP_MS / 1000} s, as the sync job does); 0 drift`,
      `first-ever pass (checks the audit copy of all ${grouped(count)} bids, as the first sync of a year does): ${ms(firstMs)}, ratio ${(firstMs / result.baselineMedianMs).toFixed(2)} (1 round; not the key)`,
      `rounds (ms): raw ${result.baselineMs.map(Math.round).join(', ')}; reconcile ${result.measuredMs.map(Math.round).join(', ')}`,
    ],
  };
}
