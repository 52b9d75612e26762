/** The dev add-in server's Content-Security-Policy (issue 16 D); the browser test proves the pane runs under it. */
import { devAddinCsp } from '../../local/addin-csp';

const directives = (csp: string) => new Map(csp.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]));

test('scripts from the server and the Office.js CDN only; calls to the server, the local API and Microsoft sign-in', () => {
  const csp = directives(devAddinCsp({ apiUrl: 'http://127.0.0.1:3001', signInAuthority: 'https://login.microsoftonline.com/tenant' }));
  expect(csp.get('script-src')).toEqual(["'self'", 'https://appsforoffice.microsoft.com']);
  expect(csp.get('connect-src')).toEqual(
    expect.arrayContaining(["'self'", 'http://127.0.0.1:3001', 'https://login.microsoftonline.com', 'https://appsforoffice.microsoft.com']),
  );
  expect(csp.get('frame-src')).toContain('https://login.microsoftonline.com');
  expect(csp.get('frame-src')).toContain('https://telemetryservice.firstpartyapps.oaspapps.com');
  expect(csp.get('object-src')).toEqual(["'none'"]);
  expect(csp.get('default-src')).toEqual(["'self'"]);
  expect([...csp.values()].flat()).not.toContain("'unsafe-eval'");
});

test('another sign-in authority is allowed where sign-in needs it; an IPv6 API address is left to the loopback sources', () => {
  const csp = directives(devAddinCsp({ apiUrl: 'http://[::1]:3001', signInAuthority: 'https://login.example.org/tenant' }));
  expect(csp.get('connect-src')).toContain('https://login.example.org');
  expect(csp.get('frame-src')).toContain('https://login.example.org');
  expect([...csp.values()].flat().some((source) => source.includes('['))).toBe(false);
});
