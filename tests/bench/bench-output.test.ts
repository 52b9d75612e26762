/**
 * Keeps `npm run bench` from rotting without timing anything: the table and JSON formatting on
 * made-up results, and one tiny `--quick --json` run of the real bench in a child process (every
 * measurement at toy sizes), which must print exactly the eleven docs/design.md §9 keys with numbers on
 * stdout and exit by itself.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { BENCH_KEYS, jsonObject, meets, renderJson, renderTable, TARGETS, type KeyResult } from './report';
import { FULL, QUICK } from './config';
import { RACE_YEAR_COUNT, raceYearsNeeded } from './race';
import { interleave, median } from './stats';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');

const made = (overrides: Partial<Record<(typeof BENCH_KEYS)[number], number>> = {}): KeyResult[] =>
  BENCH_KEYS.map((key) => ({
    key,
    value: overrides[key] ?? TARGETS[key].value,
    measured: `${key} measured`,
    baseline: key.endsWith('ratio') ? 'raw | baseline' : '—',
    rounds: '3 interleaved',
    details: [`${key} detail`],
  }));
const info = { date: '2026-11-29 12:00 UTC', machine: '2 cores', durationSeconds: 1, mode: 'test' };

test('targets follow docs/design.md §9, each met exactly at its bound', () => {
  expect(Object.keys(TARGETS)).toEqual([...BENCH_KEYS]);
  for (const key of BENCH_KEYS) expect(meets(TARGETS[key], TARGETS[key].value)).toBe(true);
  expect(meets(TARGETS.pull_ratio, 0.49)).toBe(false);
  expect(meets(TARGETS.bundle_kb_max, 1024.1)).toBe(false);
  expect(meets(TARGETS.race_overspend_pence, 1)).toBe(false);
  expect(meets(TARGETS.sync_nochange_pages, 2)).toBe(false);
  expect(meets(TARGETS.reconcile_ratio, Number.NaN)).toBe(false);
  expect(meets(TARGETS.approval_calls, 4)).toBe(false);
  expect(meets(TARGETS.race_vs_floor, 0.79)).toBe(false);
  expect(meets(TARGETS.ingest_ratio, 0.24)).toBe(false);
});

test('the table has one row per key in the documented order (docs/bench.md), marks misses, and escapes cells', () => {
  const table = renderTable(made({ race_vs_floor: 0.2, split_speedup: 2 }), info);
  const rows = table.split('\n').filter((l) => /^\| [a-z]+_[a-z_]+ \|/.test(l));
  expect(rows.map((r) => r.split('|')[1]!.trim())).toEqual([...BENCH_KEYS]);
  expect(rows.find((r) => r.startsWith('| race_vs_floor '))).toContain('**FAIL**');
  expect(rows.find((r) => r.startsWith('| pull_ratio '))).toContain('| pass |');
  expect(table).toContain('raw \\| baseline');
  expect(table).toContain('Targets missed: race_vs_floor, split_speedup.');
  expect(table).toContain('- init_ratio: init_ratio detail');
});

test('the JSON has exactly the eleven keys with finite numbers, or refuses', () => {
  expect(Object.keys(JSON.parse(renderJson(made())))).toEqual([...BENCH_KEYS]);
  expect(() => jsonObject(made().slice(1))).toThrow('missing pull_ratio');
  expect(() => jsonObject(made({ init_ratio: Number.POSITIVE_INFINITY }))).toThrow('init_ratio');
  expect(() => jsonObject([...made(), made()[0]!])).toThrow('repeat');
});

test('medians, and rounds interleaved B M, M B, … after one warm-up each', async () => {
  expect(median([3, 1, 2])).toBe(2);
  expect(median([4, 1, 3, 2])).toBe(2.5);
  const order: string[] = [];
  const result = await interleave(3, {
    baseline: async () => (order.push('B'), 10),
    measured: async () => (order.push('M'), 20),
  });
  expect(order.join('')).toBe('BMBMMBBM');
  expect(result).toMatchObject({ rounds: 3, baselineMedianMs: 10, measuredMedianMs: 20, medianPairRatio: 0.5 });
});

test('warm-up rounds go first, unrecorded; the median pair ratio is not swayed by one side meeting a slow stretch', async () => {
  const order: string[] = [];
  // Round 2's measured run meets a slow stretch of the machine (60 ms where 20 was usual).
  const baselineTimes = [10, 10, 30];
  const measuredTimes = [20, 60, 60];
  const result = await interleave(
    3,
    {
      baseline: async () => (order.push('B'), baselineTimes.shift() as number),
      measured: async () => (order.push('M'), measuredTimes.shift() as number),
    },
    { warmUp: { baseline: async () => (order.push('b'), 0), measured: async () => (order.push('m'), 0) }, warmUpRounds: 2 },
  );
  expect(order.join('')).toBe('bmbmBMMBBM');
  expect(result.baselineMs).toEqual([10, 10, 30]);
  expect(result.measuredMs).toEqual([20, 60, 60]);
  expect(result.pairRatios).toEqual([0.5, 10 / 60, 0.5]);
  expect(result.medianPairRatio).toBe(0.5);
  expect(result.baselineMedianMs / result.measuredMedianMs).toBeCloseTo(1 / 6);
});

test('each size of the race fits the fresh financial years it has (fy starts 2000–2098, one per race)', () => {
  expect(RACE_YEAR_COUNT).toBe(79);
  for (const config of [FULL, QUICK]) expect(raceYearsNeeded(config)).toBeLessThanOrEqual(RACE_YEAR_COUNT);
  expect(raceYearsNeeded({ raceRounds: 40, raceWarmUpRounds: 3 })).toBeGreaterThan(RACE_YEAR_COUNT);
});

test('npm run bench -- --quick --json prints only the eleven keys with numbers, and exits by itself', async () => {
  const { stdout } = await run(process.execPath, [require.resolve('tsx/cli'), 'tests/bench/run.ts', '--quick', '--json'], {
    cwd: ROOT,
    timeout: 120_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  const lines = stdout.trim().split('\n');
  expect(lines).toHaveLength(1);
  const json = JSON.parse(lines[0]!) as Record<string, unknown>;
  expect(Object.keys(json)).toEqual([...BENCH_KEYS]);
  for (const key of BENCH_KEYS) expect(Number.isFinite(json[key])).toBe(true);
  // Correctness keys hold even at toy sizes.
  expect(json.race_overspend_pence).toBe(0);
  expect(json.sync_nochange_pages).toBe(1);
  expect(json.approval_calls).toBeLessThanOrEqual(3);
}, 150_000);
