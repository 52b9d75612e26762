/** Signing in locally: the dev-token picker. Production signs in with Microsoft (microsoft-sign-in.ts). */
import type { Actor } from '../../domain';
import { FundshareClient } from '../api/client';
import type { DemoUser } from '../api/schemas';
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
  const { funder, organisation } = user;
  return {
    apiUrl,
    client,
    user: { sub: user.sub, name: user.name, roles: user.roles, ...(funder ? { funder } : {}), ...(organisation ? { organisation } : {}) },
  };
}
