/** Verifying bearer tokens with jose: signature, issuer, audience, expiry; never alg "none". */
import { createRemoteJWKSet, jwtVerify, type CryptoKey, type JWTVerifyGetKey, type KeyObject } from 'jose';
import type { Claims } from './claims';

export interface JwtVerifierOptions {
  issuer: string;
  audience: string;
  /** A public key, or a JWKS getter (e.g. an identity provider's keys). */
  key: CryptoKey | KeyObject | JWTVerifyGetKey;
  algorithms?: string[];
}

export type TokenVerifier = (token: string) => Promise<Claims>;

export function createJwtVerifier(options: JwtVerifierOptions): TokenVerifier {
  const verifyOptions = {
    issuer: options.issuer,
    audience: options.audience,
    algorithms: options.algorithms ?? ['ES256', 'RS256'],
    // A token that never expires is refused, however well signed.
    requiredClaims: ['exp', 'sub'],
    clockTolerance: 5,
  };
  return async (token) => {
    const { payload } =
      typeof options.key === 'function'
        ? await jwtVerify(token, options.key, verifyOptions)
        : await jwtVerify(token, options.key, verifyOptions);
    return payload as Claims;
  };
}

/** A verifier for an external identity provider's published keys (e.g. Microsoft Entra ID). */
export function createJwksVerifier(jwksUrl: string, issuer: string, audience: string): TokenVerifier {
  return createJwtVerifier({ issuer, audience, key: createRemoteJWKSet(new URL(jwksUrl)), algorithms: ['RS256'] });
}
