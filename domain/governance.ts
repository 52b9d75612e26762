/**
 * Governance rules on top of the authorization matrix (docs/design.md §5): declarations of
 * interest, separation of duties and the PCC's confirmation of the register of interests.
 * Pure: the lifecycle calls these with the bid, the actor and the year's declarations.
 */
import { domainError, type DomainError } from './errors';
import { organisationName } from './funders';
import { ACTION_FROM } from './lifecycle-statuses';
import { authorize } from './permissions';
import type { ActionBody, BidAction } from './schemas/action';
import type { Actor } from './schemas/actor';
import type { Bid } from './schemas/bid';
import type { Declaration } from './schemas/declaration';

/** The board's decisions, which a declared or affiliated interest bars. */
export const BOARD_DECISIONS: ReadonlySet<BidAction> = new Set<BidAction>(['recommend', 'not-recommend', 'request-info']);

/** The declarations that bear on a bid: of its year, on it or on its lead organisation. */
export function declarationsOn(bid: Bid, declarations: readonly Declaration[]): Declaration[] {
  return declarations.filter((d) => d.fy === bid.fy && (d.bidId === bid.id || d.leadOrganisation === bid.leadOrganisation));
}

/** The declaration (or affiliation) that bars this board member from deciding on the bid, if any. */
export function conflictOfInterest(actor: Actor, bid: Bid, declarations: readonly Declaration[]): DomainError | null {
  if (!actor.roles.includes('board')) return null;
  const declared = declarationsOn(bid, declarations).find((d) => d.member === actor.sub);
  if (declared) {
    const what = declared.bidId !== undefined ? `bid ${declared.bidId}` : `${organisationName(bid.leadOrganisation)}'s bids`;
    return domainError(
      'conflict-of-interest',
      `you declared an interest in ${what} (declaration ${declared.id}: ${declared.nature}); another board member must decide`,
      { declarationId: declared.id },
    );
  }
  if (actor.affiliation === bid.leadOrganisation) {
    return domainError(
      'conflict-of-interest',
      `you are affiliated with ${organisationName(bid.leadOrganisation)}, the bid's lead organisation; another board member must decide`,
    );
  }
  return null;
}

/**
 * Four eyes: whoever created or last edited a bid may not recommend or approve it, and whoever
 * recommended it may not approve it.
 */
export function separationOfDuties(actor: Actor, bid: Bid, action: BidAction): DomainError | null {
  if (action !== 'recommend' && action !== 'approve') return null;
  const refuse = (what: string) =>
    domainError('separation-of-duties', `you ${what} this bid, so you cannot ${action} it; someone else must`);
  if (bid.createdBy === actor.sub) return refuse('created');
  if (bid.editedBy === actor.sub) return refuse('last edited');
  if (action === 'approve' && bid.recommendedBy === actor.sub) return refuse('recommended');
  return null;
}

/** A PCC's approval confirms the register of interests was checked, as its decision notice does. */
export function interestsConfirmation(action: BidAction, body: ActionBody): DomainError | null {
  if (action !== 'approve' || body.interestsConfirmed === true) return null;
  return domainError(
    'interests-not-confirmed',
    'an approval must confirm the register of interests was checked: send interestsConfirmed: true',
    { issues: [{ path: 'interestsConfirmed', message: 'must be true to approve' }] },
  );
}

/** Every governance refusal of this action, the first that applies (after the matrix has granted it). */
export function governanceRefusal(
  actor: Actor,
  bid: Bid,
  action: BidAction,
  body: ActionBody,
  declarations: readonly Declaration[],
): DomainError | null {
  return (
    separationOfDuties(actor, bid, action) ??
    (BOARD_DECISIONS.has(action) ? conflictOfInterest(actor, bid, declarations) : null) ??
    interestsConfirmation(action, body)
  );
}

/**
 * The decisions this user may record on this row, for the sheet's Decision drop-down: the
 * actions the matrix grants for the bid's status (and, for a PCC, their own pending or
 * approved share), less those governance bars.
 */
export function decisionChoices(actor: Actor, bid: Bid, declarations: readonly Declaration[] = []): BidAction[] {
  return (Object.keys(ACTION_FROM) as BidAction[]).filter((action) => {
    // Not sheet decisions: a variation needs an amount and a reason (docs/design.md §3.1).
    if (action === 'submit' || action === 'withdraw' || action === 'vary' || action.endsWith('-variation')) return false;
    if (action === 'return-underspend') return false;
    if (!ACTION_FROM[action].includes(bid.status)) return false;
    if (!authorize(actor, action, { leadOrganisation: bid.leadOrganisation, scope: bid.scope }).ok) return false;
    if (action === 'approve' || action === 'decline' || action === 'release') {
      const mine = actor.funder ? bid.decisions[actor.funder] : undefined;
      if (mine !== (action === 'release' ? 'approved' : 'pending')) return false;
    }
    return governanceRefusal(actor, bid, action, { interestsConfirmed: true }, declarations) === null;
  });
}
