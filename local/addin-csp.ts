/**
 * The Content-Security-Policy of the dev add-in server: what the task pane loads and nothing
 * else. Scripts from this server (the pane and the npm copy of Office.js) and Microsoft's
 * Office.js CDN; calls to this server (fundshare-config.json), the local API and Microsoft
 * sign-in; sign-in frames from Microsoft, and Office.js's telemetry frame. The page's one <style> block and its loading message's
 * style attribute are inline, so styles allow 'unsafe-inline' (styles cannot run code).
 */

const OFFICE_JS_ORIGIN = 'https://appsforoffice.microsoft.com';
const MICROSOFT_SIGN_IN = 'https://login.microsoftonline.com';
// Office.js frames its telemetry page from here once loaded (seen in the browser test, where
// the frame was refused and logged); allowing it keeps the console clean, it runs no code here.
const OFFICE_TELEMETRY_FRAME = 'https://telemetryservice.firstpartyapps.oaspapps.com';
// The pane may be pointed at another local API (?api=): it binds loopback only, on any port.
// (CSP has no syntax for an IPv6 literal such as [::1]; browsers ignore such a source.)
const LOOPBACK_API = ['http://127.0.0.1:*', 'http://localhost:*'];

/** The URL's origin as a CSP source; none for an IPv6 literal, which CSP cannot name. */
function cspOrigin(url: string): string[] {
  const parsed = new URL(url);
  return parsed.hostname.startsWith('[') ? [] : [parsed.origin];
}

export function devAddinCsp(options: { apiUrl: string; signInAuthority?: string }): string {
  const signIn = [...new Set([MICROSOFT_SIGN_IN, ...(options.signInAuthority ? [new URL(options.signInAuthority).origin] : [])])];
  const directives: Record<string, string[]> = {
    'default-src': ["'self'"],
    'script-src': ["'self'", OFFICE_JS_ORIGIN],
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'data:'],
    'font-src': ["'self'", 'data:'],
    'connect-src': ["'self'", ...cspOrigin(options.apiUrl), ...LOOPBACK_API, OFFICE_JS_ORIGIN, ...signIn],
    'frame-src': ["'self'", ...signIn, OFFICE_TELEMETRY_FRAME],
    'object-src': ["'none'"],
    'base-uri': ["'self'"],
    'form-action': ["'self'"],
  };
  return Object.entries(directives)
    .map(([name, sources]) => `${name} ${[...new Set(sources)].join(' ')}`)
    .join('; ');
}
