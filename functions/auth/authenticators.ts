/**
 * The two ways the app learns who is calling. In AWS, API Gateway's JWT authorizer has already
 * checked signature, issuer, audience and expiry, and hands over the claims. Locally (or any
 * Node host) the app verifies the bearer token itself. Both end in actorFromClaims, and the
 * authorization that follows is the same code.
 */
import type { Authenticator } from '../http/app';
import { actorFromClaims, type Claims } from './claims';
import type { TokenVerifier } from './jwt-verifier';

function fromClaims(claims: Claims): Awaited<ReturnType<Authenticator>> {
  const actor = actorFromClaims(claims);
  return actor.ok ? { ok: true, actor: actor.value } : { ok: false, failure: actor.error };
}

export function bearerAuthenticator(verify: TokenVerifier): Authenticator {
  return async (c) => {
    const header = c.req.header('authorization');
    const match = header ? /^Bearer\s+([A-Za-z0-9_\-.]+)$/i.exec(header.trim()) : null;
    if (!match?.[1]) return { ok: false, failure: { kind: 'unauthenticated', detail: 'send Authorization: Bearer <token>' } };
    let claims: Claims;
    try {
      claims = await verify(match[1]);
    } catch {
      // Never echo the token or the verifier's reason: both can leak detail to an attacker.
      return {
        ok: false,
        failure: {
          kind: 'unauthenticated',
          detail: 'the token is not valid (expired, wrong issuer or audience, or not signed by a trusted key)',
        },
      };
    }
    return fromClaims(claims);
  };
}

interface ApiGatewayJwtEvent {
  requestContext?: { authorizer?: { jwt?: { claims?: Claims } } };
}

export function apiGatewayAuthenticator(): Authenticator {
  return async (c) => {
    const claims = (c.env?.event as ApiGatewayJwtEvent | undefined)?.requestContext?.authorizer?.jwt?.claims;
    if (!claims) return { ok: false, failure: { kind: 'unauthenticated', detail: 'no verified token reached the API' } };
    return fromClaims(claims);
  };
}
