/**
 * A closed year takes no new bids from the intake either (docs/design.md §3.1): its rows are
 * rejected in the file's report like other bad rows, and the file's other rows go on. A close
 * that stopped half-way is finished by the sync's next pass.
 */
import { parse } from 'csv-parse/sync';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { YearClose } from '../../domain';
import { setPots } from '../support/fund';
import { completed, HEADER, startSyncHarness, type SyncHarness } from './harness';

let h: SyncHarness;
beforeAll(async () => {
  h = await startSyncHarness();
  mkdirSync(h.intakeDir, { recursive: true });
});
afterAll(() => h.stop());

test('rows for a closed year are rejected per row; rows for an open year become bids', async () => {
  await setPots(h.api, { 'west-mercia': 100_000, warwickshire: 50_000 }, 150_000, '2026/27');
  const closed = await h.api.call('admin', 'POST', '/years/2026-27/close', {
    body: { carryForward: { 'west-mercia': false, warwickshire: false } },
  });
  expect(closed.status).toBe(200);
  await h.run();

  const csv = [
    HEADER,
    'Closed year plan,Shropshire CSP,Alliance,rural,,2026/27,100,',
    'Open year plan,Shropshire CSP,Alliance,rural,,2027/28,200,',
  ].join('\n');
  writeFileSync(join(h.intakeDir, 'late.csv'), csv);
  const report = completed(await h.run());
  expect(report.ingest.created).toBe(1);
  expect(report.ingest.rejectedRows).toBe(1);
  const rejected = parse(readFileSync(join(h.intakeDir, 'done', 'late.csv.rejected.csv')), { bom: true }) as string[][];
  expect(rejected).toEqual([
    ['Row', 'Field', 'Value', 'Reason'],
    ['2', '(row)', '', expect.stringContaining('2026/27 is closed')],
  ]);
  expect((await h.store.bidsOfYear('2026/27')).map((b) => b.title)).toEqual([]);
  expect((await h.store.bidsOfYear('2027/28')).map((b) => b.title)).toEqual(['Open year plan']);
});

test('a close that crashed after its record is finished by the next sync, carrying once', async () => {
  await setPots(h.api, { 'west-mercia': 100_000, warwickshire: 50_000 }, 150_000, '2028/29');
  await setPots(h.api, { 'west-mercia': 1_000, warwickshire: 1_000 }, 2_000, '2029/30');
  await h.run();
  h.hooks.checkpoint = (step) => {
    if (step === 'year-close-recorded') {
      h.hooks.checkpoint = undefined;
      throw new Error('injected crash after the close record');
    }
  };
  const body = { carryForward: { 'west-mercia': true, warwickshire: true } };
  expect((await h.api.call('admin', 'POST', '/years/2028-29/close', { body })).status).toBe(500);
  const report = completed(await h.run());
  expect(report.years.find((y) => y.fy === '2028/29')).toMatchObject({ outcome: 'reconciled', finishedClose: true });
  const close = (await h.store.getYearClose('2028/29')) as YearClose;
  expect(close).toMatchObject({ completed: true, outturn: { totals: { carriedPence: 150_000 } } });
  expect((await h.store.getLedgers('2029/30')).map((l) => l.potPence)).toEqual([1_000 + 50_000, 1_000 + 100_000].sort((a, b) => a - b));
  // The next pass has nothing left to finish, and carries nothing again.
  const again = completed(await h.run());
  expect(again.years.find((y) => y.fy === '2028/29')?.finishedClose).toBeUndefined();
  expect((await h.store.getLedgers('2029/30')).reduce((s, l) => s + l.potPence, 0)).toBe(2_000 + 150_000);
});
