/**
 * The verifier remembers a verified token (functions/auth/jwt-verifier.ts) so a client's repeated
 * token is not signature-checked per request, without ever letting through what it would refuse:
 * an expired token is refused at once, a changed token is checked afresh, and a remembered one is
 * checked again after `rememberMs`.
 */
import { generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { createJwtVerifier } from '../../functions/auth/jwt-verifier';

const ISSUER = 'https://issuer.test';
const AUDIENCE = 'fundshare-test';
let keys: { publicKey: CryptoKey; privateKey: CryptoKey };
beforeAll(async () => {
  keys = await generateKeyPair('ES256');
});

async function token(expSeconds: number, roles: string[] = ['finance']): Promise<string> {
  return new SignJWT({ roles })
    .setProtectedHeader({ alg: 'ES256' })
    .setSubject('fiona')
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt(expSeconds - 3600)
    .setExpirationTime(expSeconds)
    .sign(keys.privateKey);
}

/** A verifier on a hand-moved clock whose key lookups are counted (a JWKS-style getter). */
function verifierAt(clock: { ms: number }, rememberMs = 60_000, rememberTokens?: number) {
  let lookups = 0;
  const verify = createJwtVerifier({
    issuer: ISSUER,
    audience: AUDIENCE,
    key: async () => {
      lookups++;
      return keys.publicKey;
    },
    algorithms: ['ES256'],
    rememberMs,
    ...(rememberTokens !== undefined ? { rememberTokens } : {}),
    now: () => clock.ms,
  });
  return { verify, lookups: () => lookups };
}

test('a token verified once is not signature-checked again while remembered', async () => {
  const clock = { ms: Date.parse('2026-12-04T12:00:00Z') };
  const { verify, lookups } = verifierAt(clock);
  const t = await token(clock.ms / 1000 + 3600);
  for (let i = 0; i < 5; i++) expect(await verify(t)).toMatchObject({ sub: 'fiona', roles: ['finance'] });
  expect(lookups()).toBe(1);
  clock.ms += 61_000; // past rememberMs: checked again
  await verify(t);
  expect(lookups()).toBe(2);
});

test('a remembered token is refused once it expires, with no new signature check to get past', async () => {
  const clock = { ms: Date.parse('2026-12-04T12:00:00Z') };
  const { verify } = verifierAt(clock, 10 * 60_000);
  const t = await token(clock.ms / 1000 + 30);
  await expect(verify(t)).resolves.toMatchObject({ sub: 'fiona' });
  clock.ms += 40_000; // 30 s expiry + 5 s tolerance passed, still inside rememberMs
  await expect(verify(t)).rejects.toThrow();
});

test('a token changed by one character is verified afresh and refused', async () => {
  const clock = { ms: Date.now() };
  const { verify, lookups } = verifierAt(clock);
  const t = await token(clock.ms / 1000 + 3600);
  await verify(t);
  const tampered = `${t.slice(0, -2)}${t.at(-2) === 'A' ? 'B' : 'A'}${t.at(-1)}`;
  await expect(verify(tampered)).rejects.toThrow();
  expect(lookups()).toBe(2);
});

test('the memory is bounded: the oldest token is forgotten first', async () => {
  const clock = { ms: Date.now() };
  const { verify, lookups } = verifierAt(clock, 60_000, 2);
  const exp = clock.ms / 1000 + 3600;
  const [a, b, c] = await Promise.all([token(exp, ['a']), token(exp, ['b']), token(exp, ['c'])]);
  for (const t of [a, b, c]) await verify(t as string);
  expect(lookups()).toBe(3);
  await verify(c as string); // remembered
  await verify(b as string); // remembered
  expect(lookups()).toBe(3);
  await verify(a as string); // forgotten: checked again
  expect(lookups()).toBe(4);
});
