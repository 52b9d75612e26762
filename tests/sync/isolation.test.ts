/**
 * One bad year or intake file never stops the rest of a sync run (issue 16 A): it is reported
 * (in the report and the log) and skipped; intake files with unsafe or too-long names are
 * reported once and set aside in done/; rejection reports never copy raw control bytes.
 */
import { parse } from 'csv-parse/sync';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Bid } from '../../domain';
import { SyncIncompleteError } from '../../functions/sync/errors';
import type { FileArea } from '../../functions/sync/file-area';
import { LocalFileArea } from '../../functions/sync/local-file-area';
import type { CompletedSync } from '../../functions/sync/run-sync';
import { createBid } from '../support/fund';
import { completed, HEADER, startSyncHarness, type SyncHarness } from './harness';

let h: SyncHarness;
beforeAll(async () => {
  h = await startSyncHarness();
  mkdirSync(h.intakeDir, { recursive: true });
});
afterAll(() => h.stop());

/** The report of a run, whether or not an earlier test's bad year made it fail at the end. */
const reportOf = (run: Promise<unknown>): Promise<CompletedSync> =>
  run.then(
    (r) => completed(r as CompletedSync),
    (e: unknown) => (e instanceof SyncIncompleteError ? (e.report as CompletedSync) : Promise.reject(e)),
  );

/** The report of a run that completed everything it could but failed some part. */
async function incompleteRun(run: Promise<unknown>): Promise<CompletedSync> {
  const error = await run.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof SyncIncompleteError)) throw new Error(`expected an incomplete run, got ${String(error)}`);
  return error.report as CompletedSync;
}

test('a fy with trailing whitespace is stored trimmed, visible to ?fy= and exported under a clean name', async () => {
  const created = await createBid(h.api, { fy: `2026/27${' '.repeat(300)}`, title: 'Trailing spaces' });
  expect(created.fy).toBe('2026/27');
  const tabbed = await createBid(h.api, { fy: '\t2026/27\n', title: 'Tab and newline' });
  expect(tabbed.fy).toBe('2026/27');
  const listed = await h.api.call<{ bids: Bid[] }>('finance', 'GET', '/bids?fy=2026/27');
  expect(listed.body.bids.map((b) => b.id).sort()).toEqual([created.id, tabbed.id].sort());
  const report = completed(await h.run());
  expect(report.years.find((y) => y.fy === '2026/27')?.outcome).toBe('reconciled');
  expect(readdirSync(join(h.exportsDir, 'latest')).filter((n) => /[\s]/.test(n))).toEqual([]);
});

test('a year stored under a malformed fy is reported and skipped; later years are still reconciled and exported', async () => {
  // A bid written before fy was normalised: its year key is 300 spaces long.
  const good = await createBid(h.api, { fy: '2027/28', title: 'Good year' });
  const stored = (await h.store.readBid(good.id))!;
  const badFy = `2026/27${' '.repeat(300)}`;
  const legacy: Bid = { ...stored.bid, id: 'LEGACY-1', fy: badFy };
  await h.store.insertBid(legacy, { ...stored.unrecorded[0]!, bidId: 'LEGACY-1' }, 'legacy-insert');
  await h.store.registerYear(badFy);
  await createBid(h.api, { fy: '2028/29', title: 'Later year' });

  for (let run = 0; run < 2; run++) {
    const report = await incompleteRun(h.run());
    const byYear = new Map(report.years.map((y) => [y.fy, y]));
    expect(byYear.get(badFy)).toMatchObject({ outcome: 'failed', error: expect.stringMatching(/not a financial year/) as string });
    expect(byYear.get('2027/28')?.outcome).toMatch(/reconciled|unchanged/);
    expect(byYear.get('2028/29')?.outcome).toMatch(/reconciled|unchanged/);
  }
  const latest = readdirSync(join(h.exportsDir, 'latest'));
  expect(latest).toEqual(expect.arrayContaining(['fundshare-2027-28.jsonl', 'fundshare-2028-29.jsonl']));
  expect(latest.filter((n) => n.length > 100)).toEqual([]);
});

test('an export that fails for one year does not stop the others', async () => {
  await createBid(h.api, { fy: '2029/30', title: 'Export fails' });
  await createBid(h.api, { fy: '2030/31', title: 'Export works' });
  const real = new LocalFileArea(h.exportsDir);
  const failing: FileArea = {
    list: (f) => real.list(f),
    read: (p) => real.read(p),
    exists: (p) => real.exists(p),
    move: (a, b, v) => real.move(a, b, v),
    write: (path, body) => (path.includes('2029-30') ? Promise.reject(new Error('disk full')) : real.write(path, body)),
  };
  const report = await incompleteRun(h.run({}, {}, { exports: failing }));
  const byYear = new Map(report.years.map((y) => [y.fy, y]));
  expect(byYear.get('2029/30')).toMatchObject({ outcome: 'failed', error: 'disk full' });
  expect(byYear.get('2030/31')?.outcome).toBe('reconciled');
  expect(readdirSync(join(h.exportsDir, 'latest'))).toContain('fundshare-2030-31.jsonl');
});

describe('intake names and reports', () => {
  const row = (title: string) => `${title},Shropshire CSP,Alliance,rural,,2025/26,100,`;

  test('unsafe and too-long names are reported once, set aside in done/, and never block a good file', async () => {
    const long = `${'plan-'.repeat(48)}.csv`; // 244 bytes: fits the folder, not done/<name>.<hash>.rejected.csv
    const backslash = 'west\\mercia.csv';
    const controls = 'plan\u001b[31m.csv';
    // A bad row too: its report, done/<name>.rejected.csv, is what no longer fit the long name.
    const badRow = 'Bad amount,Shropshire CSP,Alliance,rural,,2025/26,12.345,';
    for (const name of [long, backslash, controls])
      writeFileSync(join(h.intakeDir, name), [HEADER, row(`Named ${name.length}`), badRow].join('\n'));
    writeFileSync(join(h.intakeDir, 'good.csv'), [HEADER, row('Good neighbour')].join('\n'));

    const first = await reportOf(h.run());
    const files = new Map(first.ingest.files.map((f) => [f.name, f]));
    expect(files.get('good.csv')).toMatchObject({ outcome: 'ingested', created: [expect.any(String)] });
    for (const name of [long, backslash, controls]) {
      const file = files.get(name);
      expect(file).toMatchObject({ outcome: 'rejected-file', movedTo: expect.stringMatching(/^done\/refused-name\./) as string });
      expect(existsSync(join(h.intakeDir, name))).toBe(false);
      const report = parse(readFileSync(join(h.intakeDir, file!.report!)), { bom: true }) as string[][];
      expect(report[1]).toEqual(['(whole file)', '(file name)', expect.any(String), expect.stringMatching(/rename the file/)]);
      expect(report[1]![2]).not.toMatch(/[\u0000-\u0008\u001b]/);
    }
    expect(first.ingest.created).toBe(1);

    const second = await reportOf(h.run());
    expect(second.ingest.files).toEqual([]);
  });

  test('the rejection report escapes NUL and ESC and still neutralises formulas', async () => {
    const csv = [
      HEADER,
      `"=HYPERLINK(""x"")\u001b[2J",Nowhere CSP,Alliance,rural,,2025/26,100,`,
      `"Bad\u0000nul",Shropshire CSP,Alliance,rural,,2025/26,100,`,
    ].join('\n');
    writeFileSync(join(h.intakeDir, 'controls.csv'), csv);
    const report = await reportOf(h.run());
    const file = report.ingest.files.find((f) => f.name === 'controls.csv')!;
    expect(file.outcome).toBe('ingested');
    const bytes = readFileSync(join(h.intakeDir, file.report!), 'utf8');
    expect(bytes).not.toMatch(/[\u0000\u001b]/);
    const rows = parse(bytes, { bom: true }) as string[][];
    const values = rows.slice(1).map((r) => r[2]);
    expect(values).toEqual(expect.arrayContaining(['\'=HYPERLINK("x")\\u001B[2J', 'Bad\\u0000nul']));
  });
});
