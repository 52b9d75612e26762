/**
 * What the pane reads from an access token: who is signed in and when the token expires. The API
 * verifies the token; the pane only decodes it to show the user and to renew it in time.
 */
import { affiliationSchema, funderIdSchema, leadOrganisationSchema, ROLES } from '../../domain';
import type { SignedInUser } from '../session';

export type Claims = Record<string, unknown>;

/** The claims of a JWT ({} when it is not one). */
export function tokenClaims(token: string): Claims {
  const payload = token.split('.')[1] ?? '';
  try {
    const binary = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
    const claims: unknown = JSON.parse(new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0))));
    return typeof claims === 'object' && claims !== null && !Array.isArray(claims) ? (claims as Claims) : {};
  } catch {
    return {};
  }
}

/** When the token expires, in ms since the epoch; null when it says nothing. */
export function tokenExpiresAt(claims: Claims): number | null {
  return typeof claims.exp === 'number' && Number.isFinite(claims.exp) ? claims.exp * 1000 : null;
}

/**
 * Who the claims describe: the display name (Entra ID's `name`, else `preferred_username`) and the
 * Fundshare roles among the app roles, with their binding as the API reads them
 * (`pcc.<funder id>`, `submitter.<organisation id>`); other app roles are not Fundshare's and are left out.
 */
export function signedInUser(claims: Claims): SignedInUser {
  const name =
    typeof claims.name === 'string' && claims.name.trim() !== ''
      ? claims.name
      : typeof claims.preferred_username === 'string'
        ? claims.preferred_username
        : 'you';
  const values = Array.isArray(claims.roles) ? claims.roles.filter((r): r is string => typeof r === 'string') : [];
  const roles = values.filter((value) => (ROLES as readonly string[]).includes(value.split('.', 1)[0] as string));
  return { sub: typeof claims.sub === 'string' ? claims.sub : name, name, roles, ...bindingsOf(roles) };
}

/** The bindings the role values carry, read as the API reads them; a binding given twice is left out. */
function bindingsOf(roles: readonly string[]): Pick<SignedInUser, 'funder' | 'organisation' | 'affiliation'> {
  const only = (role: string): string | undefined => {
    const bound = roles.filter((r) => r.startsWith(`${role}.`)).map((r) => r.slice(role.length + 1));
    return bound.length === 1 ? bound[0] : undefined;
  };
  const funder = funderIdSchema.safeParse(only('pcc'));
  const organisation = leadOrganisationSchema.safeParse(only('submitter'));
  const affiliation = affiliationSchema.safeParse(only('board'));
  return {
    ...(funder.success ? { funder: funder.data } : {}),
    ...(organisation.success ? { organisation: organisation.data } : {}),
    ...(affiliation.success ? { affiliation: affiliation.data } : {}),
  };
}
