/** Verifying bearer tokens with jose: signature, issuer, audience, expiry; never alg "none". */
import { createRemoteJWKSet, jwtVerify, type CryptoKey, type JWTVerifyGetKey, type KeyObject } from 'jose';
import type { Claims } from './claims';

export interface JwtVerifierOptions {
  issuer: string;
  audience: string;
  /** A public key, or a JWKS getter (e.g. an identity provider's keys). */
  key: CryptoKey | KeyObject | JWTVerifyGetKey;
  algorithms?: string[];
  /** Verified tokens remembered (see VerifiedTokens); 0 turns the memory off. Default 1,000. */
  rememberTokens?: number;
  /** How long a verified token is trusted without checking its signature again. Default 60 s. */
  rememberMs?: number;
  /** The clock, for tests. */
  now?: () => number;
}

export type TokenVerifier = (token: string) => Promise<Claims>;

const CLOCK_TOLERANCE_S = 5;

/**
 * Tokens whose signature, issuer and audience were verified, by their exact text. A client sends
 * the same token with every request until it expires; checking its signature once a minute
 * instead of per request takes the largest per-request cost off the local API's one thread
 * (docs/design.md §9). Expiry and not-before are still checked on every use, a changed token is
 * a different key, and the memory is bounded (oldest first out) and short, so a key taken out of
 * the issuer's set stops working within `rememberMs`.
 */
class VerifiedTokens {
  private readonly entries = new Map<string, { claims: Claims; until: number }>();
  constructor(
    private readonly capacity: number,
    private readonly ttlMs: number,
  ) {}

  get(token: string, nowMs: number): Claims | undefined {
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    const seconds = nowMs / 1000;
    const { exp, nbf } = entry.claims;
    const timely =
      (typeof exp !== 'number' || seconds < exp + CLOCK_TOLERANCE_S) && (typeof nbf !== 'number' || seconds + CLOCK_TOLERANCE_S >= nbf);
    if (entry.until <= nowMs || !timely) {
      this.entries.delete(token);
      return undefined;
    }
    return entry.claims;
  }

  remember(token: string, claims: Claims, nowMs: number): void {
    if (this.capacity === 0) return;
    this.entries.delete(token);
    this.entries.set(token, { claims, until: nowMs + this.ttlMs });
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
  }
}

export function createJwtVerifier(options: JwtVerifierOptions): TokenVerifier {
  const verifyOptions = {
    issuer: options.issuer,
    audience: options.audience,
    algorithms: options.algorithms ?? ['ES256', 'RS256'],
    // A token that never expires is refused, however well signed.
    requiredClaims: ['exp', 'sub'],
    clockTolerance: CLOCK_TOLERANCE_S,
  };
  const now = options.now ?? Date.now;
  const verified = new VerifiedTokens(options.rememberTokens ?? 1_000, options.rememberMs ?? 60_000);
  return async (token) => {
    const at = now();
    const known = verified.get(token, at);
    if (known) return known;
    const checks = options.now ? { ...verifyOptions, currentDate: new Date(at) } : verifyOptions;
    const { payload } =
      typeof options.key === 'function' ? await jwtVerify(token, options.key, checks) : await jwtVerify(token, options.key, checks);
    const claims = payload as Claims;
    verified.remember(token, claims, at);
    return claims;
  };
}

/** A verifier for an external identity provider's published keys (e.g. Microsoft Entra ID). */
export function createJwksVerifier(jwksUrl: string, issuer: string, audience: string): TokenVerifier {
  return createJwtVerifier({ issuer, audience, key: createRemoteJWKSet(new URL(jwksUrl)), algorithms: ['RS256'] });
}
