/**
 * Chromium driven by playwright-core (which never downloads a browser here), each launch on a fresh
 * profile. A system Chromium when there is one, else the one bundled in the @sparticuz/chromium
 * devDependency: the choice is made in ./browser-path. A system Chromium that fails to launch also
 * falls back to the bundled one (with a warning); if that fails too, the error lists every attempt.
 *
 * @sparticuz/chromium is pinned at 147.0.0: the newest release whose engines allow Node 20 and that
 * still ships a CommonJS build (jest loads CommonJS); its Chromium 147 works with our playwright-core.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { chromium, type BrowserContext } from 'playwright-core';
import { resolveBrowser, type Env } from './browser-path';

export interface RunningBrowser {
  /** A persistent context on a fresh, temporary profile (playwright's way to pass --user-data-dir). */
  browser: BrowserContext;
  kind: 'system' | 'bundled';
  executablePath: string;
  close: () => Promise<void>;
}

const execFileAsync = promisify(execFile);

const SYSTEM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launchChromium(
  env: Env = process.env,
  launchBundled: () => Promise<RunningBrowser> = launchBundledChromium,
): Promise<RunningBrowser> {
  const choice = resolveBrowser(env);
  const tried: string[] = [];
  if (choice.kind === 'system') {
    try {
      return await launchAt('system', choice.path, SYSTEM_ARGS);
    } catch (error) {
      tried.push(`${choice.source}: failed to launch: ${messageOf(error)}`);
    }
  } else {
    tried.push(...choice.checked);
  }
  try {
    const running = await launchBundled();
    if (choice.kind === 'system') console.warn(`Using the bundled Chromium, since ${tried.join('; ')}`);
    return running;
  } catch (error) {
    tried.push(`the bundled Chromium of the @sparticuz/chromium devDependency: ${messageOf(error)}`);
  }
  throw new Error(
    [
      'No Chromium could be launched for the browser tests. Tried, in order:',
      ...tried.map((attempt) => `  - ${attempt}`),
      'To fix: install Chromium (on Debian: `apt-get install chromium`, which gives /usr/bin/chromium),',
      'or set FUNDSHARE_CHROMIUM to the path of a Chromium executable,',
      'or run `npm ci` so that the bundled @sparticuz/chromium is installed.',
    ].join('\n'),
  );
}

/** The Chromium inside @sparticuz/chromium, unpacked into a fresh directory that `close` removes. */
export async function launchBundledChromium(): Promise<RunningBrowser> {
  const unpacked = await mkdtemp(join(tmpdir(), 'fundshare-bundled-chromium-'));
  try {
    const { path, args } = await unpackBundled(unpacked);
    return await launchAt('bundled', path, args, () => rm(unpacked, { recursive: true, force: true }));
  } catch (error) {
    await rm(unpacked, { recursive: true, force: true });
    throw error;
  }
}

/**
 * @sparticuz/chromium unpacks into os.tmpdir() (the binary, its GL libraries and fonts side by side)
 * and reuses whatever `chromium` is already there, of any version or half-written. So it runs in a
 * child process whose TMPDIR is a fresh directory: no two launches (jest runs test files in parallel)
 * share or race on one copy, and nothing left in the real temp directory is picked up. A child,
 * because jest gives each test file its own copy of process.env, which os.tmpdir() never reads.
 */
async function unpackBundled(dir: string): Promise<{ path: string; args: string[] }> {
  const script =
    'const c = require(process.argv[1]);' +
    'c.executablePath().then((path) => console.log(JSON.stringify({ path, args: c.args })), (e) => { console.error(e); process.exit(1); });';
  const { stdout } = await execFileAsync(process.execPath, ['-e', script, require.resolve('@sparticuz/chromium')], {
    env: { ...process.env, TMPDIR: dir },
  });
  const unpacked: unknown = JSON.parse(stdout);
  if (!isUnpacked(unpacked)) throw new Error(`unexpected answer from @sparticuz/chromium: ${stdout}`);
  return unpacked;
}

function isUnpacked(value: unknown): value is { path: string; args: string[] } {
  if (typeof value !== 'object' || value === null) return false;
  const { path, args } = value as { path?: unknown; args?: unknown };
  return typeof path === 'string' && Array.isArray(args) && args.every((arg) => typeof arg === 'string');
}

async function launchAt(
  kind: RunningBrowser['kind'],
  executablePath: string,
  args: string[],
  cleanUp: () => Promise<void> = async () => {},
): Promise<RunningBrowser> {
  const profile = await mkdtemp(join(tmpdir(), 'fundshare-chromium-'));
  try {
    const browser = await chromium.launchPersistentContext(profile, {
      executablePath,
      // A task pane's width.
      viewport: { width: 420, height: 900 },
      headless: true,
      args,
    });
    return {
      browser,
      kind,
      executablePath,
      close: async () => {
        await browser.close();
        await rm(profile, { recursive: true, force: true });
        await cleanUp();
      },
    };
  } catch (error) {
    await rm(profile, { recursive: true, force: true });
    throw error;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
