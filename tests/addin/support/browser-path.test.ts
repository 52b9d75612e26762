/** Which Chromium the browser tests pick, with the file system replaced by a set of existing paths. */
import { resolveBrowser, SYSTEM_CHROMIUM, isExecutableFile } from './browser-path';

const existing =
  (...paths: string[]) =>
  (path: string): boolean =>
    paths.includes(path);

test('FUNDSHARE_CHROMIUM that exists is used', () => {
  expect(resolveBrowser({ FUNDSHARE_CHROMIUM: '/opt/chrome/chrome' }, existing('/opt/chrome/chrome', SYSTEM_CHROMIUM))).toEqual({
    kind: 'system',
    path: '/opt/chrome/chrome',
    source: 'FUNDSHARE_CHROMIUM=/opt/chrome/chrome',
  });
});

test('FUNDSHARE_CHROMIUM that is missing falls back to the bundled browser, even when /usr/bin/chromium exists', () => {
  expect(resolveBrowser({ FUNDSHARE_CHROMIUM: '/nonexistent' }, existing(SYSTEM_CHROMIUM))).toEqual({
    kind: 'bundled',
    checked: ['FUNDSHARE_CHROMIUM=/nonexistent: no executable file there'],
  });
});

test('without FUNDSHARE_CHROMIUM (or with it empty), /usr/bin/chromium when it exists', () => {
  const system = { kind: 'system', path: SYSTEM_CHROMIUM, source: SYSTEM_CHROMIUM };
  expect(resolveBrowser({}, existing(SYSTEM_CHROMIUM))).toEqual(system);
  expect(resolveBrowser({ FUNDSHARE_CHROMIUM: '' }, existing(SYSTEM_CHROMIUM))).toEqual(system);
});

test('without FUNDSHARE_CHROMIUM and without /usr/bin/chromium, the bundled browser', () => {
  expect(resolveBrowser({}, existing())).toEqual({ kind: 'bundled', checked: [`${SYSTEM_CHROMIUM}: no executable file there`] });
});

test('only an executable regular file counts as existing', () => {
  expect(isExecutableFile(process.execPath)).toBe(true);
  expect(isExecutableFile(__filename)).toBe(false);
  expect(isExecutableFile(__dirname)).toBe(false);
  expect(isExecutableFile('/nonexistent/chromium')).toBe(false);
});
