/**
 * From verified token claims to an actor (docs/design.md §5). A role's binding rides in its value, in our
 * dev tokens as in Microsoft Entra ID app roles: `pcc.<funder id>`, `submitter.<lead
 * organisation id>`, `board.<affiliation>` (optional for the board).
 * API Gateway's JWT authorizer flattens array claims to "[a b]" strings; both forms are read.
 */
import { actorSchema, authorize, fieldIssuesFromZod, ROLES, type Actor, type Role } from '../../domain';
import { err, ok, type Result } from '../../domain';

export type Claims = Record<string, unknown>;

function claimList(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  if (typeof value === 'string') {
    return value
      .replace(/^\[|\]$/g, '')
      .split(/[\s,]+/)
      .filter((v) => v.length > 0);
  }
  return [];
}

export interface ClaimsRefusal {
  /** unauthenticated (401): the token contradicts itself; forbidden (403): signed in, but no Fundshare role. */
  kind: 'unauthenticated' | 'forbidden';
  detail: string;
}

/** Roles and the bindings their values carry (`pcc.<funder>`, `submitter.<organisation>`, `board.<affiliation>`). */
function rolesAndBindings(claims: Claims): { roles: Set<Role>; bindings: Map<Role, Set<string>> } {
  const roles = new Set<Role>();
  const bindings = new Map<Role, Set<string>>();
  for (const value of claimList(claims.roles)) {
    const [role, binding] = value.split('.', 2) as [string, string | undefined];
    if (!(ROLES as readonly string[]).includes(role)) continue;
    roles.add(role as Role);
    if (binding) bindings.set(role as Role, (bindings.get(role as Role) ?? new Set()).add(binding));
  }
  return { roles, bindings };
}

/**
 * The one binding of a role: from the role's value only. A separate claim (`funder`,
 * `organisation`) may repeat it but never differ from it, and a role bound twice is refused:
 * a token that says two things is not trusted to say either.
 */
function bindingOf(role: Role, bindings: Map<Role, Set<string>>, separate: unknown, claimName: string): Result<string | undefined, string> {
  const bound = [...(bindings.get(role) ?? [])];
  if (bound.length > 1) return err(`the token binds the ${role} role twice (${bound.map((b) => `${role}.${b}`).join(', ')})`);
  const only = bound[0];
  if (separate !== undefined && (typeof separate !== 'string' || (only !== undefined && separate !== only))) {
    return err(`the token's ${claimName} claim (${String(separate)}) disagrees with its role ${role}.${only ?? ''}`);
  }
  return ok(only);
}

/** The actor the claims describe, or why they describe none. */
export function actorFromClaims(claims: Claims): Result<Actor, ClaimsRefusal> {
  const sub = typeof claims.sub === 'string' ? claims.sub : undefined;
  if (!sub) return err({ kind: 'unauthenticated', detail: 'the token has no subject' });
  const { roles, bindings } = rolesAndBindings(claims);
  const funder = bindingOf('pcc', bindings, roles.has('pcc') ? claims.funder : undefined, 'funder');
  const organisation = bindingOf('submitter', bindings, roles.has('submitter') ? claims.organisation : undefined, 'organisation');
  const affiliation = bindingOf('board', bindings, undefined, 'affiliation');
  for (const binding of [funder, organisation, affiliation])
    if (!binding.ok) return err({ kind: 'unauthenticated', detail: binding.error });
  // Who may use the API at all is the matrix's read row (domain/permissions.ts), not a rule of its own here.
  const reader = authorize({ sub, roles: [...roles] }, 'read');
  if (!reader.ok) return err({ kind: 'forbidden', detail: `the token carries no Fundshare role that may read (${reader.error.message})` });
  const value = (r: Result<string | undefined, string>) => (r.ok ? r.value : undefined);
  const parsed = actorSchema.safeParse({
    sub,
    roles: [...roles],
    ...(value(funder) !== undefined ? { funder: value(funder) } : {}),
    ...(value(organisation) !== undefined ? { organisation: value(organisation) } : {}),
    ...(value(affiliation) !== undefined ? { affiliation: value(affiliation) } : {}),
  });
  if (!parsed.success)
    return err({
      kind: 'forbidden',
      detail: fieldIssuesFromZod(parsed.error)
        .map((i) => `${i.path} ${i.message}`)
        .join('; '),
    });
  return ok(parsed.data);
}
