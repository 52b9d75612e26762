/**
 * The S3 file area (the Lambda's intake and export buckets) against s3rver, a local S3: listing
 * only the top of a bucket, reading what is not there, moving by copy + delete, and one whole
 * sync run reading its intake from one bucket and exporting to another.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { parse } from 'csv-parse/sync';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import { S3FileArea } from '../../functions/sync/s3-file-area';
import { completed, HEADER, startSyncHarness, type SyncHarness } from './harness';

let server: S3rver;
let s3: S3Client;
let dir: string;
let h: SyncHarness;
let intake: S3FileArea;
let exportsArea: S3FileArea;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fundshare-s3-'));
  server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory: dir,
    configureBuckets: [{ name: 'intake' }, { name: 'exports' }],
  });
  const { port } = await server.run();
  s3 = new S3Client({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'eu-west-2',
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
  intake = new S3FileArea(s3, 'intake');
  exportsArea = new S3FileArea(s3, 'exports');
  h = await startSyncHarness();
});
afterAll(async () => {
  s3.destroy();
  await server.close();
  await h.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('write, read, exists, list (top level only) and move', async () => {
  // Spaces and non-ASCII survive the URL-encoded CopySource. ('&' too on AWS; s3rver decodes
  // the header with decodeURI, which leaves %26 encoded, so it is not used here.)
  const name = 'Plan – Telford and Wrekin £.csv';
  await intake.write(name, 'a,b\n', 'text/csv');
  await intake.write('done/old.csv', 'x', 'text/csv');
  expect((await intake.list('')).map((f) => f.name)).toEqual([name]);
  expect((await intake.list('done')).map((f) => [f.name, f.size])).toEqual([['old.csv', 1]]);
  expect(new TextDecoder().decode((await intake.read(name))?.bytes)).toBe('a,b\n');
  expect(await intake.read('missing.csv')).toBeUndefined();
  expect(await intake.exists(name)).toBe(true);
  expect(await intake.exists('done/missing.csv')).toBe(false);
  await intake.move(name, `done/${name}`);
  expect(await intake.exists(name)).toBe(false);
  expect(new TextDecoder().decode((await intake.read(`done/${name}`))?.bytes)).toBe('a,b\n');
  await expect(intake.read('../escape')).rejects.toThrow(/not a safe relative path/);
});

test('a sync run with S3 intake and export areas', async () => {
  const plan = [
    HEADER,
    'S3 good row,shropshire,alliance,rural,,2025/26,10.50,',
    'S3 bad row,shropshire,alliance,rural,,2025/26,1.001,',
  ].join('\n');
  await intake.write('bucket-plan.csv', plan, 'text/csv');
  const report = completed(await h.run({}, {}, { intake, exports: exportsArea }));
  expect(report.ingest.files.map((f) => [f.name, f.outcome, f.created.length, f.rejectedRows])).toEqual([
    ['bucket-plan.csv', 'ingested', 1, 1],
  ]);
  expect((await intake.list('done')).map((f) => f.name)).toEqual(
    expect.arrayContaining(['bucket-plan.csv', 'bucket-plan.csv.rejected.csv']),
  );
  const rejected = parse(Buffer.from((await intake.read('done/bucket-plan.csv.rejected.csv'))!.bytes), { bom: true }) as string[][];
  expect(rejected[1]?.slice(0, 2)).toEqual(['3', 'Requested (£)']);
  const latest = (await exportsArea.list('latest')).map((f) => f.name).sort();
  expect(latest).toEqual([
    'fundshare-2025-26-panel.xlsx',
    'fundshare-2025-26.allocations.csv',
    'fundshare-2025-26.bids.csv',
    'fundshare-2025-26.budget-changes.csv',
    'fundshare-2025-26.declarations.csv',
    'fundshare-2025-26.jsonl',
    'fundshare-2025-26.ledgers.csv',
    'fundshare-2025-26.payments.csv',
    'fundshare-2025-26.returns.csv',
    'fundshare-2025-26.xlsx',
  ]);
  // The snapshot and the panel pack.
  expect((await exportsArea.list('')).filter((f) => f.name.endsWith('.xlsx'))).toHaveLength(2);
  expect(completed(await h.run({}, {}, { intake, exports: exportsArea })).ingest.files).toEqual([]);
});

test('a move names the version read (CopySourceIfMatch); a newer version is left in place, not deleted', async () => {
  const sent: { name: string; input: Record<string, unknown> }[] = [];
  // s3rver ignores copy conditions, so this one S3 answer (412 PreconditionFailed) is played by hand.
  const answering = {
    send: async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
      sent.push({ name: command.constructor.name, input: command.input });
      if (command.constructor.name === 'CopyObjectCommand')
        throw Object.assign(new Error('At least one of the pre-conditions you specified did not hold'), { name: 'PreconditionFailed' });
      return {};
    },
  } as unknown as S3Client;
  const area = new S3FileArea(answering, 'intake');
  expect(await area.move('plan.csv', 'done/plan.csv', '"etag-1"')).toBe('changed');
  expect(sent).toEqual([
    { name: 'CopyObjectCommand', input: expect.objectContaining({ CopySourceIfMatch: '"etag-1"', CopySource: 'intake/plan.csv' }) },
  ]);

  // And against s3rver: the version read is the object's ETag.
  await intake.write('etag.csv', 'x', 'text/csv');
  const read = await intake.read('etag.csv');
  expect(read?.version).toMatch(/^"[0-9a-f]{32}"$/);
  expect(await intake.move('etag.csv', 'done/etag.csv', read?.version)).toBe('moved');
});
