/**
 * `npm run bench`: every docs/design.md §9 target, measured in this process against a fresh in-memory
 * dynalite and the real HTTP app (startLocalStack), each ratio's baseline interleaved with it.
 *
 *   npm run bench               the Markdown table (key, measured, baseline, value, target, result, rounds)
 *   npm run bench -- --json     only the JSON object of the nine keys on stdout (progress and table on stderr)
 *   npm run bench -- --quick    tiny sizes, seconds not minutes: proves the bench runs, measures nothing
 *
 * Order: the child-process work (bundles, cold imports) and the in-process CPU work (split) run
 * before the stack starts, so nothing else competes with them; then the store-backed keys.
 */
import { cpus, totalmem } from 'node:os';
import { measureBundles } from './bundle';
import { FULL, progress, QUICK } from './config';
import { startBenchEnvironment } from './environment';
import { measurePull } from './pull';
import { measureRace } from './race';
import { measureReconcile } from './reconcile';
import { renderJson, renderTable, type KeyResult, type RunInfo } from './report';
import { measureSplit } from './split';
import { measureSyncNoChange } from './sync-nochange';

export function machine(): string {
  const cores = cpus();
  return `${cores.length} cores (${cores[0]?.model.trim() ?? 'unknown CPU'}), ${Math.round(totalmem() / 2 ** 30)} GB, Node ${process.version}`;
}

export async function runBench(argv: readonly string[]): Promise<{ results: KeyResult[]; info: RunInfo }> {
  const config = argv.includes('--quick') ? QUICK : FULL;
  const started = performance.now();
  const results: KeyResult[] = [];
  // Child processes first, while this process is idle and holds little memory; then in-process CPU work.
  const bundles = await measureBundles(config);
  results.push(bundles.bundle, bundles.init);
  results.push(await measureSplit(config));

  const env = await startBenchEnvironment(config.bids);
  try {
    const pull = await measurePull(env, config);
    results.push(pull.ratio, pull.syncs);
    results.push(await measureReconcile(env, config));
    // Before the race adds its years: the sync then covers the one seeded year.
    results.push(await measureSyncNoChange(env));
    const race = await measureRace(env, config);
    results.push(race.overspend, race.ratio);
  } finally {
    await env.stop();
  }
  const info: RunInfo = {
    date: `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    machine: machine(),
    durationSeconds: (performance.now() - started) / 1000,
    mode: config.mode === 'quick' ? 'QUICK mode (tiny sizes: not a measurement)' : `full (${config.bids.toLocaleString('en-GB')} bids)`,
  };
  return { results, info };
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const { results, info } = await runBench(argv);
  const table = renderTable(results, info);
  if (argv.includes('--json')) {
    process.stderr.write(`${table}\n`);
    process.stdout.write(`${renderJson(results)}\n`);
  } else {
    process.stdout.write(`${table}\n`);
  }
  progress(`done in ${info.durationSeconds.toFixed(0)} s`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
