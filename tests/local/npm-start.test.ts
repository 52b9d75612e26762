/**
 * `npm start` as a newcomer runs it (docs/design.md §8): one process, demo data on first run, the URLs
 * printed, Ctrl-C stops cleanly, a restart keeps everything, a taken port gets a clear message.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { freePort } from '../support/ports';
import { join, resolve } from 'node:path';
import { Level } from 'level';

const root = resolve(__dirname, '..', '..');
const dataDir = mkdtempSync(join(tmpdir(), 'fundshare-start-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

interface Started {
  child: ChildProcessWithoutNullStreams;
  output: () => string;
  exited: Promise<number | null>;
}

function killGroup(started: Started): void {
  if (started.child.exitCode === null && started.child.pid) {
    try {
      process.kill(-started.child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

function start(env: Record<string, string>): Started {
  // `node --import tsx` runs main.ts in this one process (the tsx CLI would add a wrapper process
  // that a kill could orphan); its own process group, so a clean-up kill takes everything.
  const child = spawn(process.execPath, ['--import', 'tsx', 'local/main.ts'], {
    cwd: root,
    detached: true,
    env: { ...process.env, FUNDSHARE_DATA_DIR: dataDir, FUNDSHARE_SYNC_INTERVAL_SECONDS: '3600', ...env },
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  return { child, output: () => output, exited };
}

async function waitFor(started: Started, text: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!started.output().includes(text)) {
    if (started.child.exitCode !== null) throw new Error(`npm start exited early:\n${started.output()}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for "${text}":\n${started.output()}`);
    await new Promise((done) => setTimeout(done, 100));
  }
}

async function budget(apiPort: number) {
  const { token } = (await (
    await fetch(`http://127.0.0.1:${apiPort}/dev/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sub: 'finance.demo', roles: ['finance'] }),
    })
  ).json()) as { token: string };
  const bids = (await (
    await fetch(`http://127.0.0.1:${apiPort}/bids?fy=2025/26&limit=1000`, { headers: { authorization: `Bearer ${token}` } })
  ).json()) as { bids: unknown[] };
  return { token, previousYearBids: bids.bids.length };
}

test('first run seeds and prints what to open; Ctrl-C stops cleanly; a restart keeps the data; a taken port is explained', async () => {
  const apiPort = await freePort();
  const addinPort = await freePort();
  const env = { FUNDSHARE_API_PORT: String(apiPort), FUNDSHARE_ADDIN_PORT: String(addinPort) };

  const first = start(env);
  try {
    await waitFor(first, 'Press Ctrl-C');
    expect(first.output()).toContain(`http://127.0.0.1:${apiPort}`);
    expect(first.output()).toMatch(/demo data seeded: 20 bids/);
    expect(await (await fetch(`http://127.0.0.1:${apiPort}/health`)).json()).toEqual({ ok: true });
    const seeded = await budget(apiPort);
    expect(seeded.previousYearBids).toBeGreaterThan(0);

    // While it runs, a second start on the same data folder is refused with a clear message.
    const blockedByPort = start(env);
    expect(await blockedByPort.exited).toBe(1);
    expect(blockedByPort.output()).toMatch(/already running with the data folder .* \(pid \d+, API at http/);

    first.child.kill('SIGINT');
    expect(await first.exited).toBe(0);
    expect(first.output()).toContain('Stopped. Data kept in');
  } finally {
    killGroup(first);
  }

  const second = start(env);
  try {
    await waitFor(second, 'Press Ctrl-C');
    expect(second.output()).not.toMatch(/demo data seeded/);
    expect((await budget(apiPort)).previousYearBids).toBeGreaterThan(0);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  } finally {
    killGroup(second);
  }

  // Another process holding the database folder (started at the same moment as this one, say).
  const held = new Level(join(dataDir, 'dynalite'));
  await held.open();
  try {
    const locked = start(env);
    expect(await locked.exited).toBe(1);
    expect(locked.output()).toContain('is in use by another process');
    expect(locked.output()).not.toMatch(/at .*node_modules/);
  } finally {
    await held.close();
  }

  // Something else holding the API port.
  const squatter: Server = createServer();
  await new Promise<void>((done) => squatter.listen(apiPort, '127.0.0.1', done));
  try {
    const third = start(env);
    expect(await third.exited).toBe(1);
    expect(third.output()).toContain(`port ${apiPort} is already in use`);
    expect(third.output()).toContain('FUNDSHARE_API_PORT');
  } finally {
    await new Promise((done) => squatter.close(done));
  }
}, 180_000);
