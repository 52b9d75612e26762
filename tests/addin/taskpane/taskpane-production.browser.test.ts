/**
 * The production pane (MSAL bundled) in real Chromium against the real local API. No Excel or
 * Entra tenant exists here, so the page's office.js is replaced by a stand-in for the Office host:
 * it says NestedAppAuth 1.1 is supported and answers on `window.nestedAppAuthBridge`, the message
 * channel Office's broker offers MSAL, with a token the local API accepts. That runs our adapter
 * and the real MSAL: silent first (the host says interaction is needed), the host's popup on the
 * click, the API scope in every request, the token sent to the API. A second page, with no host
 * at all, gets the message that says what is missing.
 */
import { createServer, type Server } from 'node:http';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join, normalize, sep } from 'node:path';
import type { AddressInfo } from 'node:net';
import { financialYearOf, formatPounds, financialYearToPath, type Budget } from '../../../domain';
import { buildAddin } from '../../../addin/build/build';
import { productionTarget } from '../../../addin/manifest/targets';
import { startTestApi, type TestApi } from '../../support/stack';
import { launchChromium, type RunningBrowser } from '../support/chromium';
import { jwt } from '../support/fake-identity';

jest.setTimeout(120_000);

const CLIENT_ID = '11111111-2222-3333-4444-555555555555';
const TENANT_ID = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
const SCOPE = `api://addin.fund.example.org/${CLIENT_ID}/access_as_user`;
const BUILD_DIR = join(tmpdir(), `fundshare-addin-production-${process.pid}`);

interface BridgeCall {
  method: string;
  scope?: string;
  clientId?: string;
}

/** The stand-in for office.js: an Office with no document host, NAA 1.1, and a broker bridge. */
function fakeOfficeHost(accessToken: string, host: 'naa' | 'none'): string {
  const idToken = jwt({
    aud: CLIENT_ID,
    iss: `https://login.microsoftonline.com/${TENANT_ID}/v2.0`,
    tid: TENANT_ID,
    oid: 'fiona-oid',
    sub: 'fiona',
    name: 'Fiona Finance',
    preferred_username: 'fiona@pcc.example.org',
    iat: Math.floor(Date.now() / 1000),
    exp: Math.floor(Date.now() / 1000) + 3600,
  });
  const account = {
    homeAccountId: `fiona-oid.${TENANT_ID}`,
    environment: 'login.microsoftonline.com',
    tenantId: TENANT_ID,
    username: 'fiona@pcc.example.org',
    localAccountId: 'fiona-oid',
    name: 'Fiona Finance',
  };
  const token = { access_token: accessToken, id_token: idToken, expires_in: 3600, scope: SCOPE, properties: null };
  return `(() => {
  const calls = (window.__bridgeCalls = []);
  window.Office = {
    onReady: () => Promise.resolve({ host: null, platform: null }),
    context: { requirements: { isSetSupported: (name, version) => ${host === 'naa'} && name === 'NestedAppAuth' && version === '1.1' } },
  };
  if (${host !== 'naa'}) return;
  const listeners = [];
  let signedIn = false;
  window.nestedAppAuthBridge = {
    addEventListener: (_event, listener) => listeners.push(listener),
    removeEventListener: () => undefined,
    postMessage: (text) => {
      const request = JSON.parse(text);
      const params = request.tokenParams || {};
      calls.push({ method: request.method, scope: params.scope, clientId: params.clientId });
      let answer;
      if (request.method === 'GetInitContext') answer = { success: true, initContext: { sdkName: 'stand-in Office', sdkVersion: '1.0', capabilities: { queryAccount: false } } };
      else if (request.method === 'GetToken' && !signedIn)
        answer = { success: false, error: { status: 'USER_INTERACTION_REQUIRED', code: 'interaction_required', description: 'sign in first' } };
      else if (request.method === 'GetToken' || request.method === 'GetTokenPopup') {
        signedIn = true;
        answer = { success: true, token: ${JSON.stringify(token)}, account: ${JSON.stringify(account)} };
      } else answer = { success: false, error: { status: 'PERSISTENT_ERROR', code: 'unsupported' } };
      const envelope = JSON.stringify({ messageType: 'NestedAppAuthResponse', requestId: request.requestId, ...answer });
      setTimeout(() => listeners.forEach((listener) => listener(envelope)), 0);
    },
  };
})();`;
}

let api: TestApi;
let chromium: RunningBrowser;
let server: Server;
let origin: string;
let officeHost: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (path === '/office-js/office.js') {
      response.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store' });
      response.end(officeHost);
      return;
    }
    const file = normalize(join(BUILD_DIR, decodeURIComponent(path)));
    if (!file.startsWith(BUILD_DIR + sep)) {
      response.writeHead(404).end();
      return;
    }
    readFile(file).then(
      (body) => {
        const type =
          { '.html': 'text/html', '.js': 'text/javascript', '.json': 'application/json' }[extname(file)] ?? 'application/octet-stream';
        response.writeHead(200, { 'content-type': `${type}; charset=utf-8`, 'cache-control': 'no-store' });
        response.end(body);
      },
      () => response.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const [started] = await Promise.all([
    startTestApi({ seed: true, allowedOrigins: [origin] }),
    buildAddin({
      target: productionTarget({
        FUNDSHARE_ADDIN_BASE_URL: 'https://addin.fund.example.org',
        FUNDSHARE_API_URL: 'https://api.fund.example.org',
        FUNDSHARE_SSO_CLIENT_ID: CLIENT_ID,
        FUNDSHARE_SSO_TENANT_ID: TENANT_ID,
      }),
      outDir: BUILD_DIR,
      officeJs: 'local',
    }),
  ]);
  api = started;
  chromium = await launchChromium();
});

afterAll(async () => {
  await chromium?.close();
  await api?.stop();
  await new Promise((resolve) => server?.close(resolve));
  await rm(BUILD_DIR, { recursive: true, force: true });
});

test('inside a host with nested app authentication: silent needs the user, the click signs in, the API accepts the token', async () => {
  officeHost = fakeOfficeHost(await api.token('finance'), 'naa');
  const fy = financialYearOf(new Date());
  const budget = (await api.call<Budget>('finance', 'GET', `/years/${financialYearToPath(fy)}/budget`)).body;
  const page = await chromium.browser.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(`${origin}/taskpane.html?api=${encodeURIComponent(api.stack.apiUrl)}`);

  // On opening: one silent attempt, which the host answers "interaction required"; no window opens.
  const connect = page.getByTestId('connect');
  await connect.waitFor();
  expect(await connect.innerText()).toBe('Sign in with Microsoft');
  expect(await page.getByTestId('dev-user').count()).toBe(0);
  await page.waitForFunction(() =>
    (window as unknown as { __bridgeCalls: BridgeCall[] }).__bridgeCalls.some((c) => c.method === 'GetToken'),
  );
  const calls = () => page.evaluate(() => (window as unknown as { __bridgeCalls: BridgeCall[] }).__bridgeCalls);
  expect((await calls()).map((c) => c.method)).toEqual(['GetInitContext', 'GetToken']);

  // The click: silent again, then the host's popup; then the budget from the real API.
  await connect.click();
  await page.getByTestId('budget-summary').waitFor();
  expect((await calls()).map((c) => c.method)).toEqual(['GetInitContext', 'GetToken', 'GetToken', 'GetTokenPopup']);
  for (const call of (await calls()).slice(1)) expect(call).toMatchObject({ scope: SCOPE, clientId: CLIENT_ID });
  expect(await page.getByTestId('signed-in').innerText()).toContain('(finance)');
  for (const line of budget.funders) {
    expect(await page.getByTestId(`remaining-${line.funder}`).innerText()).toBe(formatPounds(line.remainingPence));
  }

  // Sign out: back to the button.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await connect.waitFor();
  expect(pageErrors).toEqual([]);
  await page.close();
});

test('outside Office: the production pane loads (MSAL and all) and says what is missing', async () => {
  officeHost = fakeOfficeHost('unused', 'none');
  const page = await chromium.browser.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(`${origin}/taskpane.html?api=${encodeURIComponent(api.stack.apiUrl)}`);
  expect(await page.getByTestId('needs-excel').innerText()).toContain('need Excel');
  await page.getByTestId('connect').click();
  await page.getByTestId('error').waitFor();
  expect(await page.getByTestId('error').innerText()).toBe(
    'Open Fundshare from Excel to sign in with Microsoft: this page is not running inside Office.',
  );
  expect(pageErrors).toEqual([]);
  await page.close();
});
