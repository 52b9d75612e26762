/**
 * From verified token claims to an actor (DESIGN §5). Works with our dev tokens
 * (`roles`, `funder`, `organisation`) and with Microsoft Entra ID app roles, where a binding
 * rides in the role's value: `pcc.<funder id>`, `submitter.<lead organisation id>`.
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

/** The actor the claims describe, or why they describe none (→ 403: signed in, but no Fundshare role). */
export function actorFromClaims(claims: Claims): Result<Actor, string> {
  const sub = typeof claims.sub === 'string' ? claims.sub : undefined;
  if (!sub) return err('the token has no subject');
  const roles = new Set<Role>();
  let funder = typeof claims.funder === 'string' ? claims.funder : undefined;
  let organisation = typeof claims.organisation === 'string' ? claims.organisation : undefined;
  for (const value of claimList(claims.roles)) {
    const [role, binding] = value.split('.', 2) as [string, string | undefined];
    if (!(ROLES as readonly string[]).includes(role)) continue;
    roles.add(role as Role);
    if (binding && role === 'pcc') funder ??= binding;
    if (binding && role === 'submitter') organisation ??= binding;
  }
  // Who may use the API at all is the matrix's read row (domain/permissions.ts), not a rule of its own here.
  const reader = authorize({ sub, roles: [...roles] }, 'read');
  if (!reader.ok) return err(`the token carries no Fundshare role that may read (${reader.error.message})`);
  const parsed = actorSchema.safeParse({
    sub,
    roles: [...roles],
    ...(funder !== undefined && roles.has('pcc') ? { funder } : {}),
    ...(organisation !== undefined && roles.has('submitter') ? { organisation } : {}),
  });
  if (!parsed.success)
    return err(
      fieldIssuesFromZod(parsed.error)
        .map((i) => `${i.path} ${i.message}`)
        .join('; '),
    );
  return ok(parsed.data);
}
