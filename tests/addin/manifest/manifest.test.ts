/** The manifests, validated offline, and the build that produces them with functions.json and the icons. */
import { readFile } from 'node:fs/promises';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildAddin, functionsMetadata } from '../../../addin/build/build';
import { OFFICE_JS_CDN, OFFICE_JS_LOCAL } from '../../../addin/build/pages';
import { funderNamesText } from '../../../domain';
import { renderManifest } from '../../../addin/manifest/generate';
import { DEV_ADDIN_ID, PRODUCTION_ADDIN_ID, buildConfigFor, devTarget, productionTarget } from '../../../addin/manifest/targets';
import { validateManifest } from '../../../addin/manifest/validate';

jest.setTimeout(60_000);

/** MSAL's library SKU, present in any bundle that contains MSAL. */
const MSAL_MARKER = 'msal.js.browser';

const dev = devTarget({ port: 3000, apiUrl: 'http://127.0.0.1:3001' });
const production = productionTarget({
  FUNDSHARE_ADDIN_BASE_URL: 'https://addin.fund.example.org/',
  FUNDSHARE_API_URL: 'https://api.fund.example.org',
  FUNDSHARE_SSO_CLIENT_ID: '0000-client',
});

test('the dev and production manifests are valid and never clash', () => {
  const a = validateManifest(renderManifest(dev));
  const b = validateManifest(renderManifest(production));
  expect(a.problems).toEqual([]);
  expect(b.problems).toEqual([]);
  expect(a.facts).toMatchObject({
    id: DEV_ADDIN_ID,
    displayName: 'Fundshare (dev)',
    namespace: 'FUNDDEV',
    sourceLocation: 'https://localhost:3000/taskpane.html',
  });
  expect(b.facts).toMatchObject({
    id: PRODUCTION_ADDIN_ID,
    displayName: 'Fundshare',
    namespace: 'FUND',
    sourceLocation: 'https://addin.fund.example.org/taskpane.html',
  });
  expect(a.facts!.id).not.toBe(b.facts!.id);
  // Every URL sits under the target's base URL.
  expect(a.facts!.urls.every((u) => u.startsWith('https://localhost:3000/'))).toBe(true);
  expect(b.facts!.urls.every((u) => u.startsWith('https://addin.fund.example.org/'))).toBe(true);
  expect(renderManifest(production)).toContain('<WebApplicationInfo>');
  expect(renderManifest(dev)).not.toContain('<WebApplicationInfo>');
});

test('validation catches a broken manifest', () => {
  const good = renderManifest(dev);
  expect(validateManifest(good.replace('</OfficeApp>', '')).problems[0]).toMatch(/not well-formed/);
  expect(validateManifest(good.replace('resid="Functions.Namespace"', 'resid="Nope"')).problems).toContain(
    'resid "Nope" is not defined in Resources',
  );
  expect(validateManifest(good.replace('lifetime="long"', 'lifetime="short"')).problems).toContain(
    'the shared Runtime must have lifetime="long"',
  );
  expect(
    validateManifest(good.replace('https://localhost:3000/functions.json', 'https://elsewhere.example/functions.json')).problems.join('\n'),
  ).toMatch(/one origin/);
  expect(
    validateManifest(good.replace('https://localhost:3000/assets/icon-16.png', 'http://localhost:3000/assets/icon-16.png')).problems,
  ).toContain('http://localhost:3000/assets/icon-16.png must be https');
  expect(() => renderManifest({ ...dev, baseUrl: 'http://localhost:3000' })).toThrow('must be https');
});

test("the publisher is the funders' PCCs, named from the alliance data", () => {
  expect(renderManifest(dev)).toContain(`<ProviderName>${funderNamesText()} PCCs</ProviderName>`);
});

test('functions.json is generated from the JSDoc and declares every FUND function', async () => {
  const metadata = JSON.parse(await functionsMetadata()) as {
    functions: {
      id: string;
      parameters: { name: string; dimensionality?: string; optional?: boolean }[];
      result: { dimensionality?: string };
    }[];
  };
  expect(metadata.functions.map((f) => f.id).sort()).toEqual([
    'CHECK',
    'CLAWBACK',
    'COMMITTED',
    'COSTSHARE',
    'INSTALMENTS',
    'REMAINING',
    'SHARE',
    'SPLIT',
  ]);
  const splitFn = metadata.functions.find((f) => f.id === 'SPLIT')!;
  expect(splitFn.parameters[0]).toMatchObject({ name: 'amount', dimensionality: 'matrix' });
  expect(splitFn.parameters[2]).toMatchObject({ name: 'fy', optional: true });
  expect(splitFn.result.dimensionality).toBe('matrix');
});

test('a build writes the bundle, pages, icons, functions.json and a valid manifest; production loads Office.js from the CDN', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'fundshare-build-'));
  try {
    const [devBuild, prodBuild] = await Promise.all([
      buildAddin({ target: dev, outDir: join(dir, 'dev'), officeJs: 'local' }),
      buildAddin({ target: production, outDir: join(dir, 'production'), officeJs: 'cdn' }),
    ]);
    const devManifest = validateManifest(await readFile(devBuild.manifestPath, 'utf8'));
    expect(devManifest.problems).toEqual([]);
    // Every icon the manifest names exists as a PNG in the build.
    for (const url of devManifest.facts!.iconUrls) {
      const png = await readFile(join(dir, 'dev', new URL(url).pathname));
      expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
      const size = Number(/icon-(\d+)\.png$/.exec(url)![1]);
      expect(png.readUInt32BE(16)).toBe(size);
    }
    for (const url of devManifest.facts!.urls) {
      const path = new URL(url).pathname;
      await expect(readFile(join(dir, 'dev', path))).resolves.toBeInstanceOf(Buffer);
    }
    const devHtml = await readFile(join(dir, 'dev', 'taskpane.html'), 'utf8');
    const prodHtml = await readFile(join(prodBuild.outDir, 'taskpane.html'), 'utf8');
    expect(devHtml).toContain(`src="${OFFICE_JS_LOCAL}"`);
    expect(prodHtml).toContain(`src="${OFFICE_JS_CDN}"`);
    expect(prodHtml).not.toContain('/office-js/');
    const bundle = await readFile(join(dir, 'production', 'taskpane.js'), 'utf8');
    const devBundle = await readFile(join(dir, 'dev', 'taskpane.js'), 'utf8');
    // The production settings are baked into the production bundle, with MSAL; the dev bundle has no MSAL.
    expect(bundle.includes('"microsoft"')).toBe(true);
    expect(bundle.includes('https://api.fund.example.org')).toBe(true);
    expect(bundle.includes(MSAL_MARKER)).toBe(true);
    expect(devBundle.includes(MSAL_MARKER)).toBe(false);
    expect(JSON.parse(await readFile(join(dir, 'production', 'fundshare-config.json'), 'utf8'))).toEqual({
      apiUrl: 'https://api.fund.example.org',
      microsoft: {
        clientId: '0000-client',
        authority: 'https://login.microsoftonline.com/organizations',
        scopes: ['api://addin.fund.example.org/0000-client/access_as_user'],
      },
    });
    expect(JSON.parse(await readFile(join(dir, 'dev', 'fundshare-config.json'), 'utf8'))).toEqual({ apiUrl: 'http://127.0.0.1:3001' });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('the Entra ID settings derive from the client id and the add-in host unless set', () => {
  const base = { FUNDSHARE_ADDIN_BASE_URL: 'https://addin.fund.example.org', FUNDSHARE_SSO_CLIENT_ID: ' 1111-client ' };
  expect(productionTarget(base).sso).toEqual({
    clientId: '1111-client',
    resource: 'api://addin.fund.example.org/1111-client',
    scope: 'api://addin.fund.example.org/1111-client/access_as_user',
    authority: 'https://login.microsoftonline.com/organizations',
  });
  expect(buildConfigFor(productionTarget({ ...base, FUNDSHARE_SSO_TENANT_ID: 'tenant-1' })).microsoft).toEqual({
    clientId: '1111-client',
    authority: 'https://login.microsoftonline.com/tenant-1',
    scopes: ['api://addin.fund.example.org/1111-client/access_as_user'],
  });
  const custom = productionTarget({
    ...base,
    FUNDSHARE_SSO_RESOURCE: 'api://fund.example.org/1111-client/',
    FUNDSHARE_SSO_SCOPE: 'api://fund.example.org/1111-client/Fundshare.Use',
    FUNDSHARE_SSO_AUTHORITY: 'https://login.microsoftonline.us/tenant-2/',
  }).sso;
  expect(custom).toEqual({
    clientId: '1111-client',
    resource: 'api://fund.example.org/1111-client',
    scope: 'api://fund.example.org/1111-client/Fundshare.Use',
    authority: 'https://login.microsoftonline.us/tenant-2',
  });
  expect(renderManifest(productionTarget(base))).toContain('<Resource>api://addin.fund.example.org/1111-client</Resource>');
  // Without a client id: no settings, no WebApplicationInfo; the pane then says what to configure.
  expect(productionTarget({ FUNDSHARE_ADDIN_BASE_URL: 'https://addin.fund.example.org' }).sso).toBeUndefined();
  expect(buildConfigFor(productionTarget({})).microsoft).toBeUndefined();
  expect(buildConfigFor(dev)).toMatchObject({ signIn: 'dev-token' });
  expect(() => productionTarget({ ...base, FUNDSHARE_SSO_AUTHORITY: 'http://login.example' })).toThrow('must be an https URL');
});
