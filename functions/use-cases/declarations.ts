/** The register of interests: record a declaration, list a year's, and those bearing on one bid. */
import {
  authorize,
  domainError,
  err,
  ok,
  type Actor,
  type Declaration,
  type DeclarationCreate,
  type DomainError,
  type Result,
} from '../../domain';
import type { UseCaseDeps } from './deps';

export async function declareInterest(
  deps: UseCaseDeps,
  fy: string,
  input: DeclarationCreate,
  ctx: { actor: Actor; requestId: string },
): Promise<Result<Declaration, DomainError>> {
  const granted = authorize(ctx.actor, 'declare-interest');
  if (!granted.ok) return granted;
  if (input.bidId !== undefined) {
    const stored = await deps.store.readBid(input.bidId);
    if (!stored) return err(domainError('not-found', `bid ${input.bidId} does not exist`));
    if (stored.bid.fy !== fy) {
      return err(
        domainError('invalid', `bid ${input.bidId} belongs to ${stored.bid.fy}, not ${fy}`, {
          issues: [{ path: 'bidId', message: `belongs to ${stored.bid.fy}` }],
        }),
      );
    }
  }
  // The id comes from the request, so a retry of the same request records nothing new.
  const declaration: Declaration = {
    id: `DOI-${ctx.requestId}`,
    fy,
    member: input.member,
    ...(input.bidId !== undefined ? { bidId: input.bidId } : {}),
    ...(input.leadOrganisation !== undefined ? { leadOrganisation: input.leadOrganisation } : {}),
    nature: input.nature,
    declaredAt: deps.now().toISOString(),
    declaredBy: ctx.actor.sub,
  };
  await deps.store.registerYear(fy);
  await deps.store.recordDeclaration(declaration);
  const recorded = (await deps.store.declarations(fy)).find((d) => d.id === declaration.id);
  return ok(recorded ?? declaration);
}

export async function listDeclarations(deps: UseCaseDeps, fy: string): Promise<Declaration[]> {
  return deps.store.declarations(fy);
}
