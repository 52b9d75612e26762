/** Signing in: the local dev-token picker, or Office single sign-on in production. */
import type { Actor } from '../../domain';
import { FundshareClient } from '../api/client';
import type { DemoUser } from '../api/schemas';
import { officeSsoToken } from '../excel/host';
import type { Session } from '../session';

/** Re-issue a dev token this long before it expires. */
const RENEW_BEFORE_MS = 60_000;

export function actorOf(user: DemoUser): Actor {
  return {
    sub: user.sub,
    roles: [...user.roles],
    ...(user.funder ? { funder: user.funder } : {}),
    ...(user.organisation ? { organisation: user.organisation } : {}),
  };
}

export async function signInWithDevToken(apiUrl: string, user: DemoUser): Promise<Session> {
  const issuer = new FundshareClient({ baseUrl: apiUrl, getToken: async () => null });
  let issued = await issuer.devToken(actorOf(user));
  const client = new FundshareClient({
    baseUrl: apiUrl,
    getToken: async () => {
      if (Date.parse(issued.expiresAt) - Date.now() < RENEW_BEFORE_MS) issued = await issuer.devToken(actorOf(user));
      return issued.token;
    },
  });
  return { apiUrl, client, user: { sub: user.sub, name: user.name, roles: user.roles } };
}

/** The claims of a JWT, for showing who is signed in (the API verifies the token, not us). */
export function tokenClaims(token: string): Record<string, unknown> {
  const payload = token.split('.')[1] ?? '';
  try {
    const binary = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
    const claims: unknown = JSON.parse(new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0))));
    return typeof claims === 'object' && claims !== null ? (claims as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

export async function signInWithOfficeSso(apiUrl: string): Promise<Session> {
  const token = await officeSsoToken();
  const claims = tokenClaims(token);
  const client = new FundshareClient({ baseUrl: apiUrl, getToken: officeSsoToken });
  const name =
    typeof claims.name === 'string' ? claims.name : typeof claims.preferred_username === 'string' ? claims.preferred_username : 'you';
  const roles = Array.isArray(claims.roles) ? claims.roles.filter((r): r is string => typeof r === 'string') : [];
  return { apiUrl, client, user: { sub: typeof claims.sub === 'string' ? claims.sub : name, name, roles } };
}
