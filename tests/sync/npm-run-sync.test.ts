/**
 * The "done when", as a person runs it: with `npm start` running, a CSV of 3 good and 2
 * bad rows dropped in $FUNDSHARE_DATA_DIR/intake becomes 3 submitted bids and a report naming
 * the 2 bad rows after `npm run sync`; a second run creates nothing; exports/ holds xlsx, csv
 * and jsonl. And `npm run sync` on its own, with nothing running, against a fresh folder.
 */
import { parse } from 'csv-parse/sync';
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { freePort } from '../support/ports';
import { join, resolve } from 'node:path';
import { HEADER } from './harness';

const root = resolve(__dirname, '..', '..');
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'fundshare-npm-sync-'));
  dirs.push(dir);
  return dir;
};

const PLAN = [
  HEADER,
  'Done-when A,Shropshire CSP,Alliance,rural,,2025/26,"1,000.01",',
  'Done-when B,warwickshire,warwickshire,"cyber, business",prevent,2025-26,250,',
  'Done-when C,herefordshire,west-mercia,business,,2025/26,75.5,',
  'Done-when D,herefordshire,alliance,rural,,2025/26,1.001,',
  'Done-when E,nowhere,alliance,rural,,2025/26,10,',
].join('\n');

function npmRunSync(dataDir: string): Promise<{ code: number; output: string }> {
  return new Promise((done) => {
    execFile(
      'npm',
      ['run', '--silent', 'sync'],
      { cwd: root, env: { ...process.env, FUNDSHARE_DATA_DIR: dataDir, FUNDSHARE_INTAKE_SETTLE_MS: '0' }, timeout: 60_000 },
      (error, stdout, stderr) => done({ code: error ? Number(error.code ?? 1) : 0, output: stdout + stderr }),
    );
  });
}

function dropPlan(dataDir: string) {
  mkdirSync(join(dataDir, 'intake'), { recursive: true });
  writeFileSync(join(dataDir, 'intake', 'action-plan.csv'), PLAN);
}

function expectReportAndExports(dataDir: string) {
  const report = parse(readFileSync(join(dataDir, 'intake', 'done', 'action-plan.csv.rejected.csv')), { bom: true }) as string[][];
  expect(report.slice(1).map((r) => [r[0], r[1]])).toEqual([
    ['5', 'Requested (£)'],
    ['6', 'Lead organisation'],
  ]);
  expect(existsSync(join(dataDir, 'intake', 'done', 'action-plan.csv'))).toBe(true);
  const exported = readdirSync(join(dataDir, 'exports'));
  for (const extension of ['.xlsx', '.bids.csv', '.jsonl']) {
    expect(exported.some((f) => f.startsWith('fundshare-2025-26-') && f.endsWith(extension))).toBe(true);
    expect(existsSync(join(dataDir, 'exports', 'latest', `fundshare-2025-26${extension}`))).toBe(true);
  }
}

test('with npm start running: 3 bids, a report naming the 2 bad rows, exports; a second run creates nothing', async () => {
  const dataDir = tempDir();
  const apiPort = await freePort();
  const child = spawn(join(root, 'node_modules', '.bin', 'tsx'), ['local/main.ts'], {
    cwd: root,
    env: {
      ...process.env,
      FUNDSHARE_DATA_DIR: dataDir,
      FUNDSHARE_API_PORT: String(apiPort),
      FUNDSHARE_ADDIN_PORT: String(await freePort()),
      FUNDSHARE_SYNC_INTERVAL_SECONDS: '3600',
    },
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  try {
    const deadline = Date.now() + 60_000;
    while (!output.includes('Press Ctrl-C to stop.')) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`npm start did not come up:\n${output}`);
      await new Promise((done) => setTimeout(done, 100));
    }
    expect(existsSync(join(dataDir, 'runtime.json'))).toBe(true);
    dropPlan(dataDir);

    const first = await npmRunSync(dataDir);
    expect(first.code).toBe(0);
    expect(first.output).toContain('Using the database of the running Fundshare process');
    expect(first.output).toMatch(/action-plan\.csv: 3 bid\(s\) created \(FS-\d+, FS-\d+, FS-\d+\), 2 row\(s\) rejected/);
    expectReportAndExports(dataDir);

    const api = `http://127.0.0.1:${apiPort}`;
    const { token } = (await (
      await fetch(`${api}/dev/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ sub: 'finance.demo', roles: ['finance'] }),
      })
    ).json()) as { token: string };
    const listed = (await (await fetch(`${api}/bids?fy=2025-26&limit=200`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
      bids: { title: string; status: string; requestedPence: number; createdBy: string }[];
    };
    const ingested = listed.bids.filter((b) => b.title.startsWith('Done-when')).sort((a, b) => a.title.localeCompare(b.title));
    expect(ingested.map((b) => [b.title, b.status, b.requestedPence, b.createdBy])).toEqual([
      ['Done-when A', 'submitted', 100_001, 'sync'],
      ['Done-when B', 'submitted', 25_000, 'sync'],
      ['Done-when C', 'submitted', 7_550, 'sync'],
    ]);

    dropPlan(dataDir); // the same file again
    const second = await npmRunSync(dataDir);
    expect(second.code).toBe(0);
    expect(second.output).toContain('already ingested: nothing created');
    const third = await npmRunSync(dataDir);
    expect(third.output).toContain('no changes since the last sync');
  } finally {
    child.kill('SIGINT');
    await exited;
  }
  expect(output).toContain('Stopped.');
  expect(existsSync(join(dataDir, 'runtime.json'))).toBe(false);
}, 120_000);

test('on its own, against a fresh data folder: opens the folder itself and does the same; a second one started meanwhile does not fail', async () => {
  const dataDir = tempDir();
  dropPlan(dataDir);
  const firstRun = npmRunSync(dataDir);
  // Once the first holds the folder, start another: it waits instead of failing on the lock.
  const deadline = Date.now() + 30_000;
  while (!existsSync(join(dataDir, 'runtime.json')) && Date.now() < deadline) await new Promise((done) => setTimeout(done, 50));
  const overlapping = await npmRunSync(dataDir);
  const first = await firstRun;
  expect(overlapping.code).toBe(0);
  expect(existsSync(join(dataDir, 'runtime.json'))).toBe(false);
  expect(first.code).toBe(0);
  expect(first.output).not.toContain('Using the database of the running Fundshare process');
  expect(first.output).toMatch(/3 bid\(s\) created/);
  expectReportAndExports(dataDir);
  const second = await npmRunSync(dataDir);
  expect(second.output).toContain('no files in');
  expect(second.output).toContain('2025/26: no changes since the last sync.');
}, 60_000);

test('npm run sync waits while another npm run sync holds the folder, then runs', async () => {
  const dataDir = tempDir();
  dropPlan(dataDir);
  // A live process (this one) published as a one-off sync holding the folder, for one second.
  writeFileSync(
    join(dataDir, 'runtime.json'),
    JSON.stringify({
      pid: process.pid,
      dynamoEndpoint: 'http://127.0.0.1:9',
      tableName: 'fundshare',
      apiUrl: '',
      startedAt: '',
      holder: 'npm run sync',
    }),
  );
  const child = spawn('npm', ['run', '--silent', 'sync'], {
    cwd: root,
    env: { ...process.env, FUNDSHARE_DATA_DIR: dataDir, FUNDSHARE_INTAKE_SETTLE_MS: '0' },
  });
  let output = '';
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  let released = false;
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    // It is waiting: now let the "other run" finish — once. (Later chunks must not remove the
    // runtime file the waiting run then writes for itself: that raced its own removal.)
    if (!released && output.includes('waiting for it')) {
      released = true;
      rmSync(join(dataDir, 'runtime.json'), { force: true });
    }
  });
  expect(await exited).toBe(0);
  expect(output).toMatch(/Another npm run sync \(pid \d+\) is using .*; waiting for it/);
  expect(output).toMatch(/3 bid\(s\) created/);
}, 60_000);
