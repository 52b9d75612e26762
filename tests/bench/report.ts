/**
 * The bench's output: the docs/design.md §9 keys and targets, a Markdown table (key, measured, baseline,
 * value, target, pass/fail, rounds) with details under it, and the JSON object of exactly the
 * eleven keys. Pure, so a jest test keeps it from rotting.
 */

export const BENCH_KEYS = [
  'pull_ratio',
  'pull_syncs',
  'race_overspend_pence',
  'approval_calls',
  'race_vs_floor',
  'split_speedup',
  'bundle_kb_max',
  'init_ratio',
  'sync_nochange_pages',
  'reconcile_ratio',
  'ingest_ratio',
] as const;

export type BenchKey = (typeof BENCH_KEYS)[number];

export interface Target {
  op: '>=' | '<=' | '=';
  value: number;
}

/** docs/design.md §9. */
export const TARGETS: Readonly<Record<BenchKey, Target>> = {
  pull_ratio: { op: '>=', value: 0.5 },
  pull_syncs: { op: '<=', value: 3 },
  race_overspend_pence: { op: '=', value: 0 },
  approval_calls: { op: '<=', value: 3 },
  race_vs_floor: { op: '>=', value: 0.8 },
  split_speedup: { op: '>=', value: 10 },
  bundle_kb_max: { op: '<=', value: 1024 },
  init_ratio: { op: '<=', value: 1.0 },
  sync_nochange_pages: { op: '=', value: 1 },
  reconcile_ratio: { op: '<=', value: 2 },
  ingest_ratio: { op: '>=', value: 0.25 },
};

export interface KeyResult {
  key: BenchKey;
  /** The number the target compares (and the JSON carries). */
  value: number;
  /** What the measured side achieved, in words and units. */
  measured: string;
  /** The baseline it is compared with, or "—" where the target is absolute. */
  baseline: string;
  /** How many rounds, and how they ran. */
  rounds: string;
  /** Further lines for the details list: totals, breakdowns, caveats. */
  details: string[];
}

export interface RunInfo {
  date: string;
  machine: string;
  durationSeconds: number;
  mode: string;
}

export function meets(target: Target, value: number): boolean {
  if (!Number.isFinite(value)) return false;
  if (target.op === '>=') return value >= target.value;
  if (target.op === '<=') return value <= target.value;
  return value === target.value;
}

export const targetText = (target: Target): string =>
  target.op === '=' ? `= ${target.value}` : `${target.op === '>=' ? '≥' : '≤'} ${target.value}`;

/** Display a value with sensible precision: integers as they are, others to 3 significant decimals. */
export function valueText(value: number): string {
  if (Number.isInteger(value)) return String(value);
  if (Math.abs(value) >= 100) return value.toFixed(1);
  return value.toFixed(3);
}

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function ordered(results: readonly KeyResult[]): KeyResult[] {
  const byKey = new Map(results.map((r) => [r.key, r]));
  const missing = BENCH_KEYS.filter((k) => !byKey.has(k));
  if (missing.length > 0) throw new Error(`bench results are missing ${missing.join(', ')}`);
  if (byKey.size !== results.length) throw new Error('bench results repeat a key');
  return BENCH_KEYS.map((k) => byKey.get(k) as KeyResult);
}

export function renderTable(results: readonly KeyResult[], info: RunInfo): string {
  const rows = ordered(results);
  const lines = [
    `Fundshare bench — ${info.date} — ${info.machine} — ${info.mode} — ${info.durationSeconds.toFixed(0)} s`,
    '',
    '| key | measured | baseline | value | target | result | rounds |',
    '|---|---|---|---|---|---|---|',
    ...rows.map((r) => {
      const target = TARGETS[r.key];
      return `| ${r.key} | ${cell(r.measured)} | ${cell(r.baseline)} | ${valueText(r.value)} | ${targetText(target)} | ${meets(target, r.value) ? 'pass' : '**FAIL**'} | ${cell(r.rounds)} |`;
    }),
    '',
    'Details:',
    ...rows.flatMap((r) => r.details.map((d) => `- ${r.key}: ${d}`)),
  ];
  const failed = rows.filter((r) => !meets(TARGETS[r.key], r.value)).map((r) => r.key);
  lines.push('', failed.length === 0 ? 'All targets met.' : `Targets missed: ${failed.join(', ')}.`);
  return lines.join('\n');
}

/** The JSON object: exactly the eleven keys, in the documented order (docs/bench.md), each a finite number. */
export function jsonObject(results: readonly KeyResult[]): Record<BenchKey, number> {
  const out = {} as Record<BenchKey, number>;
  for (const r of ordered(results)) {
    if (typeof r.value !== 'number' || !Number.isFinite(r.value)) throw new Error(`${r.key} is not a finite number: ${r.value}`);
    out[r.key] = r.value;
  }
  return out;
}

export const renderJson = (results: readonly KeyResult[]): string => JSON.stringify(jsonObject(results));
