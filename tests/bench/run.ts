/**
 * `npm run bench`: every docs/design.md §9 target, measured in this process against a fresh in-memory
 * dynalite and the real HTTP app (startLocalStack), each ratio's baseline interleaved with it.
 *
 *   npm run bench               the Markdown table (key, measured, baseline, value, target, result, rounds)
 *   npm run bench -- --json     only the JSON object of the nine keys on stdout (progress and table on stderr)
 *   npm run bench -- --quick    tiny sizes, seconds not minutes: proves the bench runs, measures nothing
 *   npm run bench -- --only=race,ingest   only those parts (bundle, split, pull, reconcile, sync,
 *                               race, ingest): their keys' JSON, no table (the table needs every key)
 *
 * Order: the child-process work (bundles, cold imports) and the in-process CPU work (split) run
 * before the stack starts, so nothing else competes with them; then the store-backed keys.
 */
import { cpus, totalmem } from 'node:os';
import { measureBundles } from './bundle';
import { FULL, progress, QUICK } from './config';
import { startBenchEnvironment } from './environment';
import { measureIngest } from './ingest';
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
  const only = onlyParts(argv);
  const runs = (part: BenchPart) => only === undefined || only.has(part);
  const started = performance.now();
  const results: KeyResult[] = [];
  // Child processes first, while this process is idle and holds little memory; then in-process CPU work.
  if (runs('bundle')) {
    const bundles = await measureBundles(config);
    results.push(bundles.bundle, bundles.init);
  }
  if (runs('split')) results.push(await measureSplit(config));

  if (runs('pull') || runs('reconcile') || runs('sync')) {
    const env = await startBenchEnvironment(config.bids);
    try {
      if (runs('pull')) {
        const pull = await measurePull(env, config);
        results.push(pull.ratio, pull.syncs);
      }
      if (runs('reconcile')) results.push(await measureReconcile(env, config));
      if (runs('sync')) results.push(await measureSyncNoChange(env));
    } finally {
      await env.stop();
    }
  }
  // The race and ingest use none of those 10,000 bids: a fresh stack, as when they run alone, so
  // they do not carry that database's heap (dynalite keeps it in memory in this process) into
  // their garbage collection. A deployed API does not share a process with its database at all.
  if (runs('race') || runs('ingest')) {
    const env = await startBenchEnvironment(0);
    try {
      if (runs('race')) {
        const race = await measureRace(env, config);
        results.push(race.overspend, race.calls, race.floor);
      }
      if (runs('ingest')) results.push(await measureIngest(env, config));
    } finally {
      await env.stop();
    }
  }
  const info: RunInfo = {
    date: `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    machine: machine(),
    durationSeconds: (performance.now() - started) / 1000,
    mode: config.mode === 'quick' ? 'QUICK mode (tiny sizes: not a measurement)' : `full (${config.bids.toLocaleString('en-GB')} bids)`,
  };
  return { results, info };
}

const BENCH_PARTS = ['bundle', 'split', 'pull', 'reconcile', 'sync', 'race', 'ingest'] as const;
type BenchPart = (typeof BENCH_PARTS)[number];

/** `--only=race,ingest`: the parts to run, or undefined for all of them. */
function onlyParts(argv: readonly string[]): ReadonlySet<BenchPart> | undefined {
  const arg = argv.find((a) => a.startsWith('--only='));
  if (arg === undefined) return undefined;
  const parts = arg.slice('--only='.length).split(',');
  const unknown = parts.filter((p) => !(BENCH_PARTS as readonly string[]).includes(p));
  if (unknown.length > 0) throw new Error(`unknown bench part ${unknown.join(', ')}; the parts are ${BENCH_PARTS.join(', ')}`);
  return new Set(parts as BenchPart[]);
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const { results, info } = await runBench(argv);
  if (onlyParts(argv) !== undefined) {
    // A subset: no table (it needs every key); each key's line and its details, then the JSON.
    for (const r of results)
      process.stderr.write(
        `${[`${r.key} = ${r.value}: ${r.measured} vs ${r.baseline} (${r.rounds})`, ...r.details.map((d) => `  - ${d}`)].join('\n')}\n`,
      );
    process.stdout.write(`${JSON.stringify(Object.fromEntries(results.map((r) => [r.key, r.value])))}\n`);
    return;
  }
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
