/**
 * Ingest on real dynalite and a temp folder: good rows become submitted bids created by the sync
 * identity with the file and row in their audit event, bad rows are reported beside the file,
 * the same content never creates twice, and a crash anywhere mid-file loses and duplicates nothing.
 */
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Bid } from '../../domain';
import type { SyncStore } from '../../functions/store/sync-store';
import { LocalFileArea } from '../../functions/sync/local-file-area';
import { completed, counted, HEADER, startSyncHarness, type SyncHarness } from './harness';

let h: SyncHarness;
beforeAll(async () => {
  h = await startSyncHarness();
  mkdirSync(h.intakeDir, { recursive: true });
});
afterAll(() => h.stop());

const FY = '2025/26';
const drop = (name: string, content: string | Uint8Array) => writeFileSync(join(h.intakeDir, name), content);
const bidsTitled = async (prefix: string): Promise<Bid[]> =>
  (await h.store.bidsOfYear(FY)).filter((b) => b.title.startsWith(prefix)).sort((a, b) => a.title.localeCompare(b.title));
const sha = (content: string | Uint8Array) => createHash('sha256').update(content).digest('hex');
const report = (name: string) => parse(readFileSync(join(h.intakeDir, 'done', name)), { bom: true }) as string[][];

const mixedCsv = [
  HEADER,
  'Mixed A farm gates,Shropshire CSP,Alliance,rural,,2025/26,"£1,000.01",Alarms',
  'Mixed B cyber clinic,telford-and-wrekin,west-mercia,cyber;business,protect,2025-26,4000,',
  '=Mixed C formula-looking title,Warwickshire,Warwickshire,business,,2025/26,999.99,',
  'Mixed D bad amount,herefordshire,alliance,rural,,2025/26,12.345,',
  'Mixed E bad scope and FY,warwickshire,west-mercia,rural,,2025/27,100,',
].join('\n');

async function mixedXlsx(): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Plan');
  sheet.addRow(HEADER.split(','));
  sheet.addRow(['Xlsx A number amount', 'south-worcestershire', 'alliance', 'rural, business', null, '2025/26', 2500.5, null]);
  sheet.addRow([
    'Xlsx B formula amount',
    'North Worcestershire CSP',
    'west-mercia',
    'cyber',
    'pursue; prepare',
    '2025/26',
    { formula: '1+1', result: 7.1 },
    'x',
  ]);
  sheet.addRow(['Xlsx C missing crime types', 'shropshire', 'alliance', null, null, '2025/26', 10, null]);
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

describe('a mixed drop of CSV and xlsx', () => {
  let xlsx: Uint8Array;
  beforeAll(async () => {
    xlsx = await mixedXlsx();
    drop('plans.csv', mixedCsv);
    drop('plan.xlsx', xlsx);
    drop('notes.txt', 'not a plan');
  });

  test('good rows become submitted bids; bad rows are reported; files move to done/', async () => {
    const result = completed(await h.run());
    expect(result.ingest.created).toBe(5);
    expect(result.ingest.rejectedRows).toBe(3);
    expect(h.metrics).toMatchObject({ IngestedBids: 5, RejectedRows: 3 });

    const bids = [...(await bidsTitled('Mixed')), ...(await bidsTitled('=Mixed')), ...(await bidsTitled('Xlsx'))];
    expect(bids.map((b) => [b.title, b.status, b.requestedPence, b.createdBy])).toEqual([
      ['Mixed A farm gates', 'submitted', 100_001, 'sync'],
      ['Mixed B cyber clinic', 'submitted', 400_000, 'sync'],
      ['=Mixed C formula-looking title', 'submitted', 99_999, 'sync'],
      ['Xlsx A number amount', 'submitted', 250_050, 'sync'],
      ['Xlsx B formula amount', 'submitted', 710, 'sync'],
    ]);
    expect(bids[1]).toMatchObject({
      leadOrganisation: 'telford-and-wrekin',
      scope: 'west-mercia',
      crimeTypes: ['cyber', 'business'],
      cyberStrands: ['protect'],
    });
    expect(bids[0]?.shares).toEqual({ 'west-mercia': 69_001, warwickshire: 31_000 });

    const history = await h.store.history(bids[0]!.id);
    expect(history).toEqual([
      expect.objectContaining({
        action: 'create',
        actor: 'sync',
        role: 'finance',
        to: 'submitted',
        source: { file: 'plans.csv', row: 2 },
        requestId: `ingest:${sha(mixedCsv)}:2`,
      }),
    ]);
    expect((await h.store.history(bids[4]!.id))[0]?.source).toEqual({ file: 'plan.xlsx', row: 3 });

    expect(readdirSync(h.intakeDir).sort()).toEqual(['done', 'notes.txt']);
    expect(readdirSync(join(h.intakeDir, 'done')).sort()).toEqual([
      'plan.xlsx',
      'plan.xlsx.rejected.csv',
      'plans.csv',
      'plans.csv.rejected.csv',
    ]);
    expect(report('plans.csv.rejected.csv')).toEqual([
      ['Row', 'Field', 'Value', 'Reason'],
      ['5', 'Requested (£)', '12.345', 'amount has more than 2 decimal places'],
      ['6', 'Scope', 'west-mercia', 'Warwickshire cannot file a bid for West Mercia only; use alliance or its own area'],
      ['6', 'Financial year', '2025/27', 'financial year 2025/27 must span consecutive years, e.g. 2025/26'],
    ]);
    expect(report('plan.xlsx.rejected.csv')).toEqual([
      ['Row', 'Field', 'Value', 'Reason'],
      ['4', 'Crime types', '', 'is empty'],
    ]);
    const fileRecord = await h.syncStore.getIngestedFile(sha(mixedCsv));
    expect(fileRecord).toMatchObject({ name: 'plans.csv', state: 'done', rows: 5, created: 3, rejected: 2 });
  });

  test('the same content again creates nothing: same name finishes quietly, another name gets a report', async () => {
    const before = (await h.store.bidsOfYear(FY)).length;
    drop('plans.csv', mixedCsv);
    drop('plan-copy.xlsx', xlsx);
    const result = completed(await h.run());
    expect(result.ingest.created).toBe(0);
    expect(result.ingest.files.map((f) => [f.name, f.outcome])).toEqual([
      ['plan-copy.xlsx', 'duplicate'],
      ['plans.csv', 'already-ingested'],
    ]);
    expect((await h.store.bidsOfYear(FY)).length).toBe(before);
    expect(report('plan-copy.xlsx.rejected.csv')[1]).toEqual([
      '(whole file)',
      '(file)',
      '',
      expect.stringContaining('the same content was ingested from plan.xlsx'),
    ]);
    expect(existsSync(join(h.intakeDir, 'plans.csv'))).toBe(false);
  });

  test('a different file with a name already in done/ does not overwrite it', async () => {
    const other = `${HEADER}\nRenamed plan row,shropshire,alliance,rural,,2025/26,1,\n`;
    drop('plans.csv', other);
    const result = completed(await h.run());
    expect(result.ingest.created).toBe(1);
    const movedTo = `done/plans.${sha(other).slice(0, 12)}.csv`;
    expect(result.ingest.files[0]?.movedTo).toBe(movedTo);
    expect(readFileSync(join(h.intakeDir, movedTo), 'utf8')).toBe(other);
    expect(readFileSync(join(h.intakeDir, 'done', 'plans.csv'), 'utf8')).toBe(mixedCsv);
  });
});

const crashCsv = (prefix: string) =>
  [HEADER, ...[1, 2, 3, 4].map((i) => `${prefix} row ${i},shropshire,alliance,rural,,2025/26,${i}.00,`)].join('\n');

async function expectExactlyOnce(prefix: string, content: string) {
  const bids = await bidsTitled(prefix);
  expect(bids.map((b) => b.title)).toEqual([1, 2, 3, 4].map((i) => `${prefix} row ${i}`));
  for (const bid of bids) {
    const events = await h.store.history(bid.id);
    expect(events.map((e) => [e.action, e.version])).toEqual([['create', 1]]);
  }
  const rows = await h.syncStore.ingestedRows(sha(content));
  expect(rows.map((r) => r.row)).toEqual([2, 3, 4, 5]);
  expect(rows.map((r) => r.bidId).sort()).toEqual(bids.map((b) => b.id).sort());
}

test('a crash mid-file (after a bid is written, its create event still in its outbox) then a re-run: nothing lost, nothing twice', async () => {
  const content = crashCsv('Crash after write');
  drop('crash-1.csv', content);
  let written = 0;
  const crashing = {
    checkpoint: (step: string) => {
      if (step === 'bid-written' && ++written === 2) throw new Error('injected crash');
    },
  };
  await expect(h.run({}, { fund: crashing })).rejects.toThrow('injected crash');
  expect(existsSync(join(h.intakeDir, 'crash-1.csv'))).toBe(true);
  // Rows already in flight beside the crashed one finish (INGEST_ROWS_IN_FLIGHT); the crashed
  // row's bid is written, its create event only in its outbox.
  const before = await bidsTitled('Crash after write');
  expect(before.length).toBeGreaterThanOrEqual(2);
  expect((await h.syncStore.getIngestedFile(sha(content)))?.state).toBe('ingesting');
  expect((await h.syncStore.ingestedRows(sha(content))).map((r) => r.bidId).sort()).toEqual(
    expect.arrayContaining(before.map((b) => b.id)),
  );

  const result = completed(await h.run());
  expect(result.ingest.files[0]).toMatchObject({ name: 'crash-1.csv', outcome: 'ingested', alreadyCreated: before.length });
  expect(result.ingest.files[0]?.created).toHaveLength(4 - before.length);
  await expectExactlyOnce('Crash after write', content);
  expect(existsSync(join(h.intakeDir, 'done', 'crash-1.csv'))).toBe(true);
});

test('a crash after a row claims its bid id but before the bid is written: the re-run writes it under that id', async () => {
  const content = crashCsv('Crash after claim');
  drop('crash-2.csv', content);
  let claims = 0;
  const crashingSync: SyncStore = counted(h.syncStore, {}, async (method, _args, call) => {
    const out = await call();
    if (method === 'claimIngestedRow' && ++claims === 3) throw new Error('injected crash after claim');
    return out;
  });
  await expect(h.run({}, { sync: crashingSync })).rejects.toThrow('injected crash after claim');
  // Rows in flight beside the crashed one finish; the crashed row is claimed with no bid.
  const claimed = await h.syncStore.ingestedRows(sha(content));
  const written = await Promise.all(claimed.map(async (r) => (await h.store.readBid(r.bidId)) !== undefined));
  const unwritten = claimed.filter((_, i) => !written[i]);
  expect(unwritten).toHaveLength(1);
  expect(written.filter(Boolean).length).toBeGreaterThanOrEqual(2);

  completed(await h.run());
  await expectExactlyOnce('Crash after claim', content);
  expect((await h.store.readBid(unwritten[0]!.bidId))?.bid.title).toBe(`Crash after claim row ${unwritten[0]!.row - 1}`);
});

test('a file that fails holds up nothing else; the run still fails, and the re-run ingests it once', async () => {
  const content = crashCsv('Crash early');
  drop('crash-3.csv', content);
  drop('crash-3-neighbour.csv', `${HEADER}\nNeighbour row,shropshire,alliance,rural,,2025/26,2,\n`);
  const failing = counted(h.syncStore, {}, async (method, args, call) => {
    if (method === 'ingestedRows' && args[0] === sha(content)) throw new Error('injected store failure');
    return call();
  });
  await expect(h.run({}, { sync: failing })).rejects.toThrow(/crash-3\.csv \(injected store failure\)/);
  expect(h.metrics).toMatchObject({ IngestFailedFiles: 1 });
  expect(await bidsTitled('Neighbour row')).toHaveLength(1);
  expect(existsSync(join(h.intakeDir, 'crash-3.csv'))).toBe(true);
  completed(await h.run());
  await expectExactlyOnce('Crash early', content);
});

test('a file saved again while it is being ingested: the version read is ingested, the new one stays for the next run', async () => {
  const first = `${HEADER}\nResaved v1,shropshire,alliance,rural,,2025/26,1,\n`;
  const second = `${HEADER}\nResaved v1,shropshire,alliance,rural,,2025/26,1,\nResaved v2 extra,shropshire,alliance,rural,,2025/26,2,\n`;
  drop('resaved.csv', first);
  const intake = counted(new LocalFileArea(h.intakeDir), {}, async (method, _args, call) => {
    if (method === 'move') writeFileSync(join(h.intakeDir, 'resaved.csv'), second); // Excel saves it again
    return call();
  });
  const report = completed(await h.run({}, {}, { intake }));
  expect(report.ingest.files[0]).toMatchObject({ name: 'resaved.csv', outcome: 'ingested', note: expect.stringContaining('saved again') });
  expect(report.ingest.files[0]?.movedTo).toBeUndefined();
  expect(readFileSync(join(h.intakeDir, 'resaved.csv'), 'utf8')).toBe(second);
  expect((await bidsTitled('Resaved')).map((b) => b.title)).toEqual(['Resaved v1']);

  // The new version repeats row 2, already a bid: only its new row becomes one.
  const again = completed(await h.run());
  expect(again.ingest.files[0]).toMatchObject({ name: 'resaved.csv', created: [expect.any(String)], duplicateRows: 1 });
  expect((await bidsTitled('Resaved')).map((b) => b.title)).toEqual(['Resaved v1', 'Resaved v2 extra']);
  expect(existsSync(join(h.intakeDir, 'resaved.csv'))).toBe(false);
});

describe('a corrected plan sent again (new content, some rows unchanged)', () => {
  const original = [
    HEADER,
    'Corrected A gates,shropshire,alliance,rural,,2025/26,100,',
    'Corrected B patrol,shropshire,alliance,rural,,2025/26,200,',
    'Corrected C kit,shropshire,alliance,rural,,2025/26,300,',
    'Corrected C kit,shropshire,alliance,rural,,2025/26,300,',
  ].join('\n');
  // A unchanged (spelt differently: same bid), B's amount corrected, C sent three times, D new.
  const corrected = [
    HEADER,
    'Corrected A gates,Shropshire CSP,Alliance,rural,,2025-26,£100.00,',
    'Corrected B patrol,shropshire,alliance,rural,,2025/26,250,',
    'Corrected C kit,shropshire,alliance,rural,,2025/26,300,',
    'Corrected C kit,shropshire,alliance,rural,,2025/26,300,',
    'Corrected C kit,shropshire,alliance,rural,,2025/26,300,',
    'Corrected D new,shropshire,alliance,rural,,2025/26,400,',
  ].join('\n');

  test('only new or changed rows become bids; the rest are reported with the bid they already are', async () => {
    drop('corrected-v1.csv', original);
    const first = completed(await h.run());
    expect(first.ingest.files[0]).toMatchObject({ name: 'corrected-v1.csv', duplicateRows: 0 });
    // Two identical lines in one file are two bids: a plan may hold the same item twice.
    const v1 = await bidsTitled('Corrected');
    expect(v1.map((b) => [b.title, b.requestedPence])).toEqual([
      ['Corrected A gates', 10_000],
      ['Corrected B patrol', 20_000],
      ['Corrected C kit', 30_000],
      ['Corrected C kit', 30_000],
    ]);

    drop('corrected-v2.csv', corrected);
    const second = completed(await h.run());
    expect(second.ingest.files[0]).toMatchObject({ name: 'corrected-v2.csv', outcome: 'ingested', rejectedRows: 0, duplicateRows: 3 });
    expect(second.ingest.files[0]!.created).toHaveLength(3);
    const v2 = await bidsTitled('Corrected');
    expect(v2.map((b) => [b.title, b.requestedPence])).toEqual([
      ['Corrected A gates', 10_000],
      ['Corrected B patrol', 20_000],
      ['Corrected B patrol', 25_000],
      ['Corrected C kit', 30_000],
      ['Corrected C kit', 30_000],
      ['Corrected C kit', 30_000],
      ['Corrected D new', 40_000],
    ]);
    // The report names each skipped row, the row it repeats and that row's bid.
    const idOf = (title: string, pence: number) => v1.find((b) => b.title === title && b.requestedPence === pence)!.id;
    const rows = report('corrected-v2.csv.rejected.csv');
    expect(rows[0]).toEqual(['Row', 'Field', 'Value', 'Reason']);
    expect(rows.slice(1).map((r) => [r[0], r[1]])).toEqual([
      ['2', '(duplicate)'],
      ['3', '(possible correction)'],
      ['4', '(duplicate)'],
      ['5', '(duplicate)'],
      ['6', '(possible correction)'],
    ]);
    expect(rows[1]![2]).toBe(idOf('Corrected A gates', 10_000));
    expect(rows[1]![3]).toBe(`the same bid as row 2 of corrected-v1.csv (bid ${idOf('Corrected A gates', 10_000)}); not created again`);
    expect(rows[3]![3]).toMatch(/^the same bid as row 4 of corrected-v1\.csv \(bid FS-\d+\); not created again$/);
    expect(rows[4]![3]).toMatch(/^the same bid as row 5 of corrected-v1\.csv \(bid FS-\d+\); not created again$/);

    // The changed row and the third copy of C are created, and flagged beside the bids they may
    // correct or repeat; D is a new project, and neither earlier bid is touched.
    const newB = v2.find((b) => b.title === 'Corrected B patrol' && b.requestedPence === 25_000)!.id;
    const oldB = idOf('Corrected B patrol', 20_000);
    expect(rows[2]).toEqual([
      '3',
      '(possible correction)',
      newB,
      `created ${newB}, which has the same title and lead organisation as ${oldB} (submitted, £200.00) in 2025/26; changed from ${oldB}: Requested (£) £200.00 → £250.00. If ${newB} replaces ${oldB}, withdraw ${oldB}`,
    ]);
    const [c1, c2] = v1.filter((b) => b.title === 'Corrected C kit').map((b) => b.id);
    const newC = second.ingest.files[0]!.created.find((id) => id !== newB && v2.find((b) => b.id === id)?.title === 'Corrected C kit')!;
    expect(rows[5]![3]).toBe(
      `created ${newC}, which has the same title and lead organisation as ${c1} (submitted, £300.00), ${c2} (submitted, £300.00) in 2025/26, and nothing else differs; if it is not a further item, withdraw ${newC}`,
    );
    expect(second.ingest).toMatchObject({ possibleCorrections: 2 });
    expect(second.ingest.files[0]).toMatchObject({ possibleCorrections: 2 });
    expect(first.ingest.files[0]).toMatchObject({ possibleCorrections: 0 });
    expect(h.metrics.PossibleCorrections).toBe(2);
    expect((await bidsTitled('Corrected')).filter((b) => b.status !== 'submitted')).toEqual([]);
  });

  test('a plan and its correction dropped together: the second file’s changed row is flagged against the first’s', async () => {
    drop('together-1.csv', `${HEADER}\nTogether gates,herefordshire,west-mercia,rural,,2025/26,100,\n`);
    drop('together-2.csv', `${HEADER}\nTOGETHER  gates,herefordshire,west-mercia,rural,,2025/26,150,\n`);
    const run = completed(await h.run());
    const [first, second] = run.ingest.files;
    expect(first).toMatchObject({ name: 'together-1.csv', possibleCorrections: 0 });
    expect(second).toMatchObject({ name: 'together-2.csv', possibleCorrections: 1 });
    const rows = report('together-2.csv.rejected.csv');
    expect(rows.slice(1)).toEqual([
      [
        '2',
        '(possible correction)',
        second!.created[0],
        expect.stringContaining(`same title and lead organisation as ${first!.created[0]!} (submitted, £100.00) in 2025/26; changed from`),
      ],
    ]);
  });

  test('a row that stopped after claiming its content, before its row record: another file may take it, and then it is the duplicate', async () => {
    const line = 'Orphaned claim,herefordshire,west-mercia,rural,,2025/26,75,';
    const stopped = `${HEADER}\n${line}\n`;
    drop('orphan-a.csv', stopped);
    const crashingSync: SyncStore = counted(h.syncStore, {}, async (method, _args, call) => {
      if (method === 'claimIngestedRow') throw new Error('injected crash before the row claim');
      return call();
    });
    await expect(h.run({}, { sync: crashingSync })).rejects.toThrow('injected crash before the row claim');
    expect(existsSync(join(h.intakeDir, 'orphan-a.csv'))).toBe(true);
    expect(await bidsTitled('Orphaned')).toEqual([]);

    // Meanwhile the same line arrives in another file, which the next run takes first (the intake
    // is listed by name).
    drop('orphan-0.csv', `${HEADER}\n${line}\nOrphaned other,herefordshire,west-mercia,rural,,2025/26,76,\n`);
    const run = completed(await h.run());
    const byName = Object.fromEntries(run.ingest.files.map((f) => [f.name, f]));
    expect(byName['orphan-0.csv']).toMatchObject({ created: [expect.any(String), expect.any(String)], duplicateRows: 0 });
    expect(byName['orphan-a.csv']).toMatchObject({ created: [], duplicateRows: 1 });
    expect((await bidsTitled('Orphaned')).map((b) => b.title)).toEqual(['Orphaned claim', 'Orphaned other']);
  });
});

test('an unreadable or headerless file is refused whole with a report, and blocks no other file', async () => {
  drop('broken.xlsx', 'PK not really a zip');
  drop('headless.csv', 'a,b\n1,2\n');
  drop('fine.csv', `${HEADER}\nFine row,shropshire,alliance,rural,,2025/26,3,\n`);
  const result = completed(await h.run());
  expect(result.ingest.files.map((f) => [f.name, f.outcome, f.created.length])).toEqual([
    ['broken.xlsx', 'rejected-file', 0],
    ['fine.csv', 'ingested', 1],
    ['headless.csv', 'rejected-file', 0],
  ]);
  expect(report('broken.xlsx.rejected.csv')[1]?.[3]).toMatch(/not a readable .xlsx workbook/);
  expect(report('headless.csv.rejected.csv')[1]?.[3]).toMatch(/no header row found/);
});
