/**
 * The local server's own token issuer (docs/design.md §5): `POST /dev/token` signs an ES256 JWT for any
 * dev user. The key pair is made on first run and kept in the data folder (never in the repo),
 * so tokens survive a restart. Lives in local/ only: no Lambda bundle can import it.
 */
import { exportJWK, generateKeyPair, importJWK, SignJWT, type JWK } from 'jose';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Actor } from '../domain';
import { createJwtVerifier, type TokenVerifier } from '../functions/auth/jwt-verifier';

export const DEV_ISSUER = 'urn:fundshare:local-dev';
export const DEV_AUDIENCE = 'fundshare-local';
const TOKEN_HOURS = 8;

export interface DevIssuer {
  issue: (actor: Actor) => Promise<{ token: string; expiresAt: string }>;
  verify: TokenVerifier;
}

/** The actor's roles as token role values, each with its binding. */
export function boundRoles(actor: Actor): string[] {
  return actor.roles.map((role) => {
    const binding =
      role === 'pcc' ? actor.funder : role === 'submitter' ? actor.organisation : role === 'board' ? actor.affiliation : undefined;
    return binding !== undefined ? `${role}.${binding}` : role;
  });
}

type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

export async function createDevIssuer(keyFile?: string): Promise<DevIssuer> {
  let privateKey: PrivateKey;
  let publicKey: PrivateKey;
  if (keyFile && existsSync(keyFile)) {
    const stored = JSON.parse(readFileSync(keyFile, 'utf8')) as { privateJwk: JWK; publicJwk: JWK };
    privateKey = (await importJWK(stored.privateJwk, 'ES256')) as PrivateKey;
    publicKey = (await importJWK(stored.publicJwk, 'ES256')) as PrivateKey;
  } else {
    ({ privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true }));
    if (keyFile) {
      mkdirSync(dirname(keyFile), { recursive: true });
      writeFileSync(keyFile, JSON.stringify({ privateJwk: await exportJWK(privateKey), publicJwk: await exportJWK(publicKey) }), {
        mode: 0o600,
      });
    }
  }
  return {
    issue: async (actor) => {
      const expires = new Date(Date.now() + TOKEN_HOURS * 3_600_000);
      // Bindings ride in the role values, as Entra ID app roles carry them (pcc.<funder>, …).
      const token = await new SignJWT({ roles: boundRoles(actor) })
        .setProtectedHeader({ alg: 'ES256', typ: 'JWT' })
        .setSubject(actor.sub)
        .setIssuer(DEV_ISSUER)
        .setAudience(DEV_AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(Math.floor(expires.getTime() / 1000))
        .sign(privateKey);
      return { token, expiresAt: expires.toISOString() };
    },
    verify: createJwtVerifier({ issuer: DEV_ISSUER, audience: DEV_AUDIENCE, key: publicKey, algorithms: ['ES256'] }),
  };
}
