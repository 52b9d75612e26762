/** Debian's Chromium driven by playwright-core (never a downloaded browser), with a fresh profile. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM_PATH = process.env.FUNDSHARE_CHROMIUM ?? '/usr/bin/chromium';

export interface RunningBrowser {
  /** A persistent context on a fresh, temporary profile (playwright's way to pass --user-data-dir). */
  browser: BrowserContext;
  close: () => Promise<void>;
}

export async function launchChromium(): Promise<RunningBrowser> {
  const profile = await mkdtemp(join(tmpdir(), 'fundshare-chromium-'));
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    // A task pane's width.
    viewport: { width: 420, height: 900 },
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    browser,
    close: async () => {
      await browser.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
