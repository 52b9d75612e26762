/**
 * Which Chromium the browser tests launch, decided without launching anything.
 *
 * - FUNDSHARE_CHROMIUM set (non-empty): that path if it is an executable file, else the bundled browser.
 *   A missing path does not fail and is not used as is: it falls back to the bundled browser, so
 *   `FUNDSHARE_CHROMIUM=/nonexistent` hides any system Chromium (/usr/bin/chromium is not tried then).
 * - FUNDSHARE_CHROMIUM unset: /usr/bin/chromium (Debian's package) if it is an executable file, else the bundled browser.
 *
 * "Bundled" is the Chromium inside the @sparticuz/chromium devDependency: shipped brotli-compressed in
 * the npm package and unpacked locally at launch, so `npm ci` is enough and nothing is downloaded at run time.
 */
import { accessSync, constants, statSync } from 'node:fs';

export const SYSTEM_CHROMIUM = '/usr/bin/chromium';

/** `source` names where a system path came from; `checked` says which system path was passed over and why (for errors). */
export type BrowserChoice = { kind: 'system'; path: string; source: string } | { kind: 'bundled'; checked: string[] };

export type Env = Readonly<Record<string, string | undefined>>;

export function resolveBrowser(env: Env, exists: (path: string) => boolean = isExecutableFile): BrowserChoice {
  const configured = env.FUNDSHARE_CHROMIUM;
  const [path, source] = configured ? [configured, `FUNDSHARE_CHROMIUM=${configured}`] : [SYSTEM_CHROMIUM, SYSTEM_CHROMIUM];
  if (exists(path)) return { kind: 'system', path, source };
  return { kind: 'bundled', checked: [`${source}: no executable file there`] };
}

/** An existing, executable regular file (a directory or a non-executable file would only fail later, at launch). */
export function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
