/**
 * The fallback for real: with the system Chromium hidden (FUNDSHARE_CHROMIUM at a missing path) the
 * Chromium bundled in @sparticuz/chromium is unpacked and renders a page. Also the two failure paths,
 * with the bundled launch replaced.
 */
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { launchChromium, type RunningBrowser } from './chromium';

jest.setTimeout(120_000);

test('a missing FUNDSHARE_CHROMIUM falls back to the bundled Chromium, which renders a page', async () => {
  const running = await launchChromium({ FUNDSHARE_CHROMIUM: '/nonexistent/chromium' });
  try {
    expect(running.kind).toBe('bundled');
    // Its own unpacked copy, not a shared one in the temp directory's root.
    expect(running.executablePath).toMatch(/\/fundshare-bundled-chromium-[^/]+\/chromium$/);
    const page = await running.browser.newPage();
    await page.setContent('<h1>ok</h1>');
    expect(await page.textContent('h1')).toBe('ok');
  } finally {
    await running.close();
  }
  expect(existsSync(dirname(running.executablePath))).toBe(false);
});

test('when the bundled Chromium fails too, the error says what was tried and how to fix it', async () => {
  const failing = (): Promise<RunningBrowser> => Promise.reject(new Error('could not unpack'));
  const error: unknown = await launchChromium({ FUNDSHARE_CHROMIUM: '/nonexistent/chromium' }, failing).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(Error);
  const message = (error as Error).message;
  expect(message).toContain('FUNDSHARE_CHROMIUM=/nonexistent/chromium: no executable file there');
  expect(message).toContain('@sparticuz/chromium devDependency: could not unpack');
  expect(message).toContain('install Chromium');
  expect(message).toContain('set FUNDSHARE_CHROMIUM');
});

test('a system Chromium that fails to launch falls back to the bundled one', async () => {
  const standIn = { kind: 'bundled' } as RunningBrowser;
  const warn = jest.spyOn(console, 'warn').mockImplementation(() => {});
  try {
    // An executable file that is not a browser: playwright's launch fails at once.
    const running = await launchChromium({ FUNDSHARE_CHROMIUM: '/bin/false' }, () => Promise.resolve(standIn));
    expect(running).toBe(standIn);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('FUNDSHARE_CHROMIUM=/bin/false: failed to launch'));
  } finally {
    warn.mockRestore();
  }
});
