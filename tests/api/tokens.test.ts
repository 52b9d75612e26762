/**
 * Tokens (docs/design.md §5): only a token signed by the trusted key, for our issuer and audience, and
 * unexpired, gets in. Anything else is 401 — and no answer ever echoes the token back.
 */
import { base64url, generateKeyPair, importJWK, SignJWT, UnsecuredJWT, type JWK } from 'jose';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEV_AUDIENCE, DEV_ISSUER } from '../../local/dev-issuer';
import { startTestApi, type TestApi } from '../support/stack';

let api: TestApi;
// On disk, so the test can read the trusted signing key and forge otherwise-valid tokens with it.
const dataDir = mkdtempSync(join(tmpdir(), 'fundshare-tokens-'));
beforeAll(async () => {
  api = await startTestApi({ dataDir });
});
afterAll(async () => {
  await api.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function trustedSigned(build: (jwt: SignJWT) => SignJWT) {
  const stored = JSON.parse(readFileSync(join(dataDir, 'dev-issuer-key.json'), 'utf8')) as { privateJwk: JWK };
  const key = await importJWK(stored.privateJwk, 'ES256');
  return build(new SignJWT(claims).setProtectedHeader({ alg: 'ES256' }).setSubject('fiona')).sign(key);
}

const claims = { roles: ['finance'] };

async function withToken(token: string) {
  const response = await fetch(`${api.stack.apiUrl}/bids?fy=2025/26`, { headers: { authorization: `Bearer ${token}` } });
  const text = await response.text();
  expect(text).not.toContain(token);
  expect(text).not.toMatch(/\.ts:\d+|node_modules|stack/i);
  return { status: response.status, text, wwwAuthenticate: response.headers.get('www-authenticate') };
}

async function foreignSigned(build: (jwt: SignJWT) => SignJWT) {
  const { privateKey } = await generateKeyPair('ES256');
  return build(new SignJWT(claims).setProtectedHeader({ alg: 'ES256' }).setSubject('mallory')).sign(privateKey);
}

test('a valid dev token is accepted', async () => {
  expect((await withToken(await api.token('finance'))).status).toBe(200);
});

test('an expiry edited in the payload breaks the signature → 401', async () => {
  const token = await api.stack.issuer.issue({ sub: 'fiona', roles: ['finance'] });
  const [header, payload, signature] = token.token.split('.') as [string, string, string];
  const decoded = JSON.parse(new TextDecoder().decode(base64url.decode(payload))) as Record<string, unknown>;
  expect(decoded.exp).toBeGreaterThan(Date.now() / 1000);
  const expiredPayload = base64url.encode(JSON.stringify({ ...decoded, exp: Math.floor(Date.now() / 1000) - 60 }));
  expect((await withToken(`${header}.${expiredPayload}.${signature}`)).status).toBe(401);
});

test('wrong issuer, wrong audience, or a key we do not trust → 401', async () => {
  expect(
    (await withToken(await foreignSigned((j) => j.setIssuer(DEV_ISSUER).setAudience(DEV_AUDIENCE).setExpirationTime('1h')))).status,
  ).toBe(401);
});

test('tampered roles → 401', async () => {
  const token = (await api.stack.issuer.issue({ sub: 'sam', roles: ['submitter'], organisation: 'shropshire' })).token;
  const [header, payload, signature] = token.split('.') as [string, string, string];
  const decoded = JSON.parse(new TextDecoder().decode(base64url.decode(payload))) as Record<string, unknown>;
  const tampered = base64url.encode(JSON.stringify({ ...decoded, roles: ['admin'] }));
  expect((await withToken(`${header}.${tampered}.${signature}`)).status).toBe(401);
});

test('unsigned (alg: none) → 401', async () => {
  const unsigned = new UnsecuredJWT(claims)
    .setSubject('mallory')
    .setIssuer(DEV_ISSUER)
    .setAudience(DEV_AUDIENCE)
    .setExpirationTime('1h')
    .encode();
  expect((await withToken(unsigned)).status).toBe(401);
});

test('HS256 signed with the public key as a secret (algorithm confusion) → 401', async () => {
  const forged = await new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('mallory')
    .setIssuer(DEV_ISSUER)
    .setAudience(DEV_AUDIENCE)
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode('guessable-secret-guessable-secret'));
  expect((await withToken(forged)).status).toBe(401);
});

test('signed by the trusted key: right issuer and audience pass; wrong issuer, wrong audience, expired or no expiry → 401', async () => {
  expect(
    (await withToken(await trustedSigned((j) => j.setIssuer(DEV_ISSUER).setAudience(DEV_AUDIENCE).setExpirationTime('1h')))).status,
  ).toBe(200);
  expect(
    (await withToken(await trustedSigned((j) => j.setIssuer('https://evil.example').setAudience(DEV_AUDIENCE).setExpirationTime('1h'))))
      .status,
  ).toBe(401);
  expect(
    (await withToken(await trustedSigned((j) => j.setIssuer(DEV_ISSUER).setAudience('someone-else').setExpirationTime('1h')))).status,
  ).toBe(401);
  const past = Math.floor(Date.now() / 1000) - 3600;
  expect(
    (
      await withToken(
        await trustedSigned((j) =>
          j
            .setIssuer(DEV_ISSUER)
            .setAudience(DEV_AUDIENCE)
            .setIssuedAt(past - 60)
            .setExpirationTime(past),
        ),
      )
    ).status,
  ).toBe(401);
  // No expiry at all: refused.
  expect((await withToken(await trustedSigned((j) => j.setIssuer(DEV_ISSUER).setAudience(DEV_AUDIENCE)))).status).toBe(401);
});

test('garbage and missing tokens → 401', async () => {
  expect((await withToken('not.a.token')).status).toBe(401);
  const missing = await fetch(`${api.stack.apiUrl}/bids?fy=2025/26`);
  expect(missing.status).toBe(401);
  const basic = await fetch(`${api.stack.apiUrl}/bids?fy=2025/26`, { headers: { authorization: 'Basic Zm9vOmJhcg==' } });
  expect(basic.status).toBe(401);
});

test('no route echoes the token, valid or not, nor a stack trace', async () => {
  const good = await api.token('finance');
  const forged = `${good.slice(0, -4)}AAAA`;
  const routes: [string, string, unknown?][] = [
    ['GET', '/health'],
    ['GET', '/openapi.json'],
    ['GET', '/years/2025-26/budget'],
    ['PUT', '/years/2025-26/budget', { fundPence: 'x' }],
    ['POST', '/bids', { title: 1 }],
    ['GET', '/bids?fy=2025/26'],
    ['GET', '/bids/FS-000001'],
    ['PATCH', '/bids/FS-000001', { title: 'x' }],
    ['POST', '/bids/FS-000001/actions/submit', {}],
    ['POST', '/allocations/batch', { allocations: [] }],
    ['GET', '/bids/FS-000001/history'],
    ['GET', '/no/such/route'],
  ];
  for (const token of [good, forged]) {
    for (const [method, path, body] of routes) {
      const response = await fetch(`${api.stack.apiUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'if-match': '"1"' },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      const text = await response.text();
      const headers = JSON.stringify([...response.headers.entries()]);
      expect(text + headers).not.toContain(token);
      expect(text + headers).not.toContain(token.split('.')[2] as string);
      expect(text).not.toMatch(/\.ts:\d+|node_modules|at [A-Za-z]+ \(/);
    }
  }
});
