/**
 * The authorization matrix (docs/design.md §5) in one place: which roles may do what, and the
 * bindings that narrow them (a pcc acts for one funder, a submitter for one organisation).
 * The HTTP app (authentication and the read routes: the read row; the proposal batch), the
 * lifecycle (every write) and the tests all read this table; nothing else decides who may act.
 */
import type { LeadOrganisationId, Scope } from './alliance';
import { domainError, type DomainError } from './errors';
import { funderName, fundersCoveredBy, organisationName } from './funders';
import { err, ok, type Result } from './result';
import type { BidAction } from './schemas/action';
import type { Actor, Role } from './schemas/actor';

export type Operation =
  | 'read'
  | 'create-bid'
  | 'edit-bid'
  | 'propose'
  | 'set-budget'
  | 'close-year'
  | 'declare-interest'
  | 'schedule-payments'
  | 'release-instalment'
  | 'file-return'
  | 'accept-return'
  | 'send-back-return'
  | BidAction;

export const AUTHORIZATION_MATRIX: Readonly<Record<Operation, readonly Role[]>> = {
  read: ['finance', 'board', 'pcc', 'admin', 'submitter'],
  'create-bid': ['submitter', 'finance'],
  'edit-bid': ['submitter', 'finance'],
  propose: ['finance'],
  'set-budget': ['admin'],
  // docs/design.md §3.1: closing a year and carrying its money forward is the admin's, like the budget.
  'close-year': ['admin'],
  'declare-interest': ['board', 'admin'],
  'schedule-payments': ['finance'],
  'release-instalment': ['pcc'],
  // Monitoring returns (docs/design.md §1.4): the lead organisation's submitter or finance files; finance decides.
  'file-return': ['submitter', 'finance'],
  'accept-return': ['finance'],
  'send-back-return': ['finance'],
  submit: ['submitter', 'finance'],
  'request-info': ['board'],
  recommend: ['board'],
  'not-recommend': ['board'],
  approve: ['pcc'],
  decline: ['pcc'],
  release: ['pcc'],
  withdraw: ['submitter', 'finance'],
  vary: ['finance'],
  'approve-variation': ['pcc'],
  'withdraw-variation': ['finance'],
  'decline-variation': ['pcc'],
  'return-underspend': ['finance'],
};

/** Operations where a pcc acts for their own funder's share only. */
const FUNDER_BOUND: ReadonlySet<Operation> = new Set<Operation>([
  'approve',
  'decline',
  'release',
  'release-instalment',
  'approve-variation',
  'decline-variation',
]);

/** What an operation touches, for the binding checks. */
export interface AccessTarget {
  leadOrganisation?: LeadOrganisationId;
  scope?: Scope;
}

/**
 * May this actor perform the operation on the target? Returns the role that grants it
 * (recorded in the audit trail), or `forbidden` / `forbidden-funder`.
 */
export function authorize(actor: Actor, operation: Operation, target: AccessTarget = {}): Result<Role, DomainError> {
  const allowed = AUTHORIZATION_MATRIX[operation];
  const candidates = actor.roles.filter((role) => allowed.includes(role));
  if (candidates.length === 0) {
    return err(domainError('forbidden', `${operation} needs the role ${allowed.join(' or ')}`));
  }
  let refusal: DomainError | undefined;
  for (const role of candidates) {
    if (role === 'submitter' && target.leadOrganisation !== undefined && target.leadOrganisation !== actor.organisation) {
      refusal ??= domainError(
        'forbidden',
        `a submitter for ${actor.organisation ? organisationName(actor.organisation) : 'no organisation'} cannot act on ${organisationName(target.leadOrganisation)}'s bids`,
      );
      continue;
    }
    if (role === 'pcc' && FUNDER_BOUND.has(operation)) {
      if (!actor.funder) {
        refusal ??= domainError('forbidden-funder', 'this pcc is not bound to a funder');
        continue;
      }
      if (target.scope !== undefined && !fundersCoveredBy(target.scope).includes(actor.funder)) {
        refusal ??= domainError('forbidden-funder', `${funderName(actor.funder)} has no share in this bid`, { funder: actor.funder });
        continue;
      }
    }
    return ok(role);
  }
  return err(refusal ?? domainError('forbidden', `${operation} is not allowed`));
}
