/**
 * `sync_nochange_pages`: the real sync job (functions/sync/run-sync.ts) run twice over the bench
 * year, with nothing changed in between; the second run's pages of the change feed are counted
 * through a counting wrapper around the store ports (tests/sync/harness.ts `counted`, never an SDK
 * mock), and cross-checked with the run's own report.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoSyncStore } from '../../functions/store/dynamo-sync-store';
import { LocalFileArea } from '../../functions/sync/local-file-area';
import { runSync, type CompletedSync, type SyncDeps } from '../../functions/sync/run-sync';
import { STORE_READS, STORE_WRITES } from '../support/store-methods';
import { counted, type CallCounts } from '../sync/harness';
import { progress } from './config';
import { discardingLogger, type BenchEnvironment } from './environment';
import type { KeyResult } from './report';
import { grouped, ms, timed } from './stats';

export async function measureSyncNoChange(env: BenchEnvironment): Promise<KeyResult> {
  const dir = mkdtempSync(join(tmpdir(), 'fundshare-bench-sync-'));
  try {
    const storeCalls: CallCounts = {};
    const syncCalls: CallCounts = {};
    const deps: SyncDeps = {
      fund: { ...env.stack.deps, store: counted(env.stack.deps.store, storeCalls) },
      sync: counted(new DynamoSyncStore(env.doc, env.stack.tableName), syncCalls),
      intake: new LocalFileArea(join(dir, 'intake')),
      exports: new LocalFileArea(join(dir, 'exports')),
      logger: discardingLogger,
    };
    const completed = (report: Awaited<ReturnType<typeof runSync>>): CompletedSync => {
      if (report.status !== 'completed') throw new Error(`sync did not complete: ${JSON.stringify(report)}`);
      return report;
    };
    progress(`sync: first run over ${grouped(env.dataset.bids.length)} bids (reconcile + export)`);
    let first: CompletedSync | undefined;
    const firstMs = await timed(async () => (first = completed(await runSync(deps))));
    for (const counts of [storeCalls, syncCalls]) for (const key of Object.keys(counts)) delete counts[key];
    progress('sync: second run, nothing changed');
    let second: CompletedSync | undefined;
    const secondMs = await timed(async () => (second = completed(await runSync(deps))));
    const report = second as CompletedSync;
    const pages = storeCalls.listBids ?? 0;
    const reported = report.years.reduce((sum, y) => sum + y.deltaPages, 0);
    if (pages !== reported) throw new Error(`the store saw ${pages} change-feed pages, the report says ${reported}`);
    const writes = STORE_WRITES.filter((w) => storeCalls[w]).map((w) => `${w} ×${storeCalls[w]}`);
    return {
      key: 'sync_nochange_pages',
      value: pages,
      measured: `${pages} change-feed page${pages === 1 ? '' : 's'} in ${report.years.length} year${report.years.length === 1 ? '' : 's'} (${ms(secondMs)})`,
      baseline: '—',
      rounds: '2 runs (the second is counted)',
      details: [
        `years: ${report.years.map((y) => `${y.fy} ${y.outcome}, ${y.deltaPages} page(s)`).join('; ')}; the first run (${(first as CompletedSync).years.map((y) => `${y.fy} ${y.outcome}`).join('; ')}) took ${ms(firstMs)}`,
        `store reads in the second run: ${STORE_READS.filter((r) => storeCalls[r])
          .map((r) => `${r} ×${storeCalls[r] ?? 0}`)
          .join(', ')}; store writes: ${writes.length === 0 ? 'none' : writes.join(', ')}; sync store: ${Object.entries(syncCalls)
          .map(([k, v]) => `${k} ×${v}`)
          .join(', ')}`,
      ],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
