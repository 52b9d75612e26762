/**
 * The bid lifecycle (docs/design.md §1) as pure functions: (bid, action, actor, args) → the next bid,
 * the ledger effects the change implies, and the audit event to record — or a typed error.
 * The store carries the effects out; nothing here does I/O.
 *
 *   draft → submitted → (info-requested → submitted)* → recommended | not-recommended
 *   recommended → each funder in scope: approve | decline
 *     all approve → approved        any declines → declined (other shares released)
 *   approved → released (per funder: funds paid out)
 *   draft | submitted | info-requested | recommended → withdrawn
 */
import { FUNDER_IDS, type FunderId } from './alliance';
import type { CostShare } from './cost-share';
import { domainError, invalid, type DomainError } from './errors';
import { funderName } from './funders';
import { formatPounds, type Pence } from './money';
import { governanceRefusal } from './governance';
import { ACTION_FROM, EDITABLE_STATUSES, MEASURES_EDITABLE_STATUSES, PROPOSABLE_STATUSES } from './lifecycle-statuses';
import { authorize } from './permissions';
import { err, ok, type Result } from './result';
import type { ActionBody, BidAction } from './schemas/action';
import type { Actor, Role } from './schemas/actor';
import type { AuditEvent } from './schemas/audit';
import type { Declaration } from './schemas/declaration';
import {
  bidFieldIssues,
  fundedAmount,
  type Bid,
  type DecisionReferences,
  type BidCreate,
  type BidFields,
  type BidPatch,
  type BidStatus,
} from './schemas/bid';
import { splitAmount, type Shares } from './split';
import { eventFor, nextVersion } from './bid-version';
import { approveVariation, endVariation, requestVariation } from './variation';
import { returnUnderspend } from './underspend';

/** What a change does to a funder's ledger for the financial year. */
export interface LedgerEffect {
  /**
   * commit: take the share from the pot; uncommit: give it back; release: mark it paid out;
   * pay: pay one instalment's part of the share (sharePence is the part); adjust: change the
   * committed share from fromPence to sharePence (a variation); return: the entry's returned
   * underspend goes from fromPence to sharePence (the difference back to the pot). docs/design.md §3.1.
   */
  kind: 'commit' | 'uncommit' | 'release' | 'pay' | 'adjust' | 'return';
  funder: FunderId;
  sharePence: Pence;
  /** For pay: the instalment (1-based). */
  instalment?: number;
  /** For adjust: the share the entry holds now; for return: the returned amount it holds now. */
  fromPence?: Pence;
}

/** The audit event a change records; the store adds the request id (and, for files, the source). */
export type AuditEventDraft = Omit<AuditEvent, 'requestId' | 'source'>;

export interface BidChange {
  bid: Bid;
  effects: LedgerEffect[];
  event: AuditEventDraft;
}

export interface LifecycleContext {
  /** ISO timestamp of the change. */
  now: string;
  /** The cost-share model of the bid's financial year. */
  costShare: CostShare;
  /** The year's declarations of interest (read for the board's decisions; empty otherwise). */
  declarations?: readonly Declaration[];
}

export { ACTION_FROM, EDITABLE_STATUSES, MEASURES_EDITABLE_STATUSES, PROPOSABLE_STATUSES };

const invalidTransition = (action: string, bid: Bid): DomainError =>
  domainError('invalid-transition', `cannot ${action} a bid that is ${bid.status}`);

function indicativeShares(
  bid: Pick<Bid, 'recommendedPence' | 'proposedPence' | 'requestedPence' | 'scope'>,
  costShare: CostShare,
): Result<Shares, DomainError> {
  const split = splitAmount(fundedAmount(bid), bid.scope, costShare);
  return split.ok ? split : err(domainError('invalid', split.error.message));
}

/** A new bid: a draft, or submitted at once when asked. */
export function createBid(input: BidCreate, actor: Actor, ctx: LifecycleContext & { id: string }): Result<BidChange, DomainError> {
  const granted = authorize(actor, 'create-bid', { leadOrganisation: input.leadOrganisation });
  if (!granted.ok) return granted;
  const { submit, ...fields } = input;
  const issues = bidFieldIssues(fields);
  if (issues.length > 0) return err(domainError('invalid', issues.map((i) => `${i.path}: ${i.message}`).join('; '), { issues }));
  const shares = indicativeShares({ ...fields, proposedPence: null, recommendedPence: null }, ctx.costShare);
  if (!shares.ok) return shares;
  const bid: Bid = {
    id: ctx.id,
    ...fields,
    status: submit ? 'submitted' : 'draft',
    proposedPence: null,
    recommendedPence: null,
    shares: shares.value,
    decisions: {},
    version: 1,
    createdAt: ctx.now,
    updatedAt: ctx.now,
    createdBy: actor.sub,
    updatedBy: actor.sub,
  };
  return ok({
    bid,
    effects: [],
    event: {
      bidId: bid.id,
      at: ctx.now,
      actor: actor.sub,
      role: granted.value,
      action: 'create',
      from: null,
      to: bid.status,
      version: 1,
      amounts: { requestedPence: bid.requestedPence },
    },
  });
}

/** Edit the bidder's fields while the bid is a draft or back with the bidder for information. */
export function editBid(bid: Bid, patch: BidPatch, actor: Actor, ctx: LifecycleContext): Result<BidChange, DomainError> {
  const granted = authorize(actor, 'edit-bid', { leadOrganisation: bid.leadOrganisation });
  if (!granted.ok) return granted;
  if (patch.leadOrganisation !== undefined) {
    const movedTo = authorize(actor, 'edit-bid', { leadOrganisation: patch.leadOrganisation });
    if (!movedTo.ok) return movedTo;
  }
  const changed = Object.keys(definedOnly(patch));
  if (changed.length > 0 && changed.every((key) => key === 'outcomeMeasures') && MEASURES_EDITABLE_STATUSES.includes(bid.status)) {
    // Measures alone touch no money: the shares (and a recommendation's split) stay as they are.
    const next = nextVersion(bid, actor, ctx, { outcomeMeasures: patch.outcomeMeasures ?? [], editedBy: actor.sub });
    return ok({ bid: next, effects: [], event: eventFor(bid, next, 'edit', granted.value, actor) });
  }
  if (!EDITABLE_STATUSES.includes(bid.status)) {
    return err(
      domainError('invalid-transition', `a bid can be edited only while ${EDITABLE_STATUSES.join(' or ')}; this one is ${bid.status}`),
    );
  }
  const fields: BidFields = { ...pickFields(bid), ...definedOnly(patch) };
  const issues = bidFieldIssues(fields);
  if (issues.length > 0) return err(domainError('invalid', issues.map((i) => `${i.path}: ${i.message}`).join('; '), { issues }));
  if (bid.proposedPence !== null && bid.proposedPence > fields.requestedPence) {
    return err(
      domainError(
        'over-request',
        `requestedPence ${formatPounds(fields.requestedPence)} is below the proposed allocation of ${formatPounds(bid.proposedPence)}; finance must lower the proposal first`,
        { issues: [{ path: 'requestedPence', message: 'is below the proposed allocation' }] },
      ),
    );
  }
  const shares = indicativeShares({ ...fields, proposedPence: bid.proposedPence, recommendedPence: null }, ctx.costShare);
  if (!shares.ok) return shares;
  const next = nextVersion(bid, actor, ctx, { ...fields, shares: shares.value, editedBy: actor.sub });
  return ok({
    bid: next,
    effects: [],
    event: eventFor(bid, next, 'edit', granted.value, actor, { amounts: { requestedPence: next.requestedPence } }),
  });
}

/** Finance proposes an allocation (or clears it with null) before the board recommends. */
export function proposeAllocation(
  bid: Bid,
  proposedPence: Pence | null,
  actor: Actor,
  ctx: LifecycleContext,
): Result<BidChange, DomainError> {
  const granted = authorize(actor, 'propose', { leadOrganisation: bid.leadOrganisation });
  if (!granted.ok) return granted;
  if (!PROPOSABLE_STATUSES.includes(bid.status)) {
    return err(domainError('invalid-transition', `an allocation can be proposed only before the board decides; this bid is ${bid.status}`));
  }
  if (proposedPence !== null && proposedPence > bid.requestedPence) {
    return err(
      domainError(
        'over-request',
        `proposed ${formatPounds(proposedPence)} is more than the ${formatPounds(bid.requestedPence)} requested`,
        {
          issues: [{ path: 'proposedPence', message: `must not exceed the requested ${formatPounds(bid.requestedPence)}` }],
        },
      ),
    );
  }
  const shares = indicativeShares({ ...bid, proposedPence }, ctx.costShare);
  if (!shares.ok) return shares;
  const next = nextVersion(bid, actor, ctx, { proposedPence, shares: shares.value });
  return ok({ bid: next, effects: [], event: eventFor(bid, next, 'propose', granted.value, actor, { amounts: { proposedPence } }) });
}

/** Apply a lifecycle action. Approve, decline and release act on the pcc's own funder's share. */
export function applyBidAction(
  bid: Bid,
  action: BidAction,
  actor: Actor,
  body: ActionBody,
  ctx: LifecycleContext,
): Result<BidChange, DomainError> {
  const granted = authorize(actor, action, { leadOrganisation: bid.leadOrganisation, scope: bid.scope });
  if (!granted.ok) return granted;
  const role = granted.value;
  if (body.amountPence !== undefined && action !== 'recommend' && action !== 'vary' && action !== 'return-underspend')
    return err(invalid('amountPence', `applies only to recommend, vary and return-underspend, not ${action}`));
  if (body.interestsConfirmed !== undefined && action !== 'approve')
    return err(invalid('interestsConfirmed', `applies only to approve, not ${action}`));
  if (!ACTION_FROM[action].includes(bid.status)) return err(invalidTransition(action, bid));
  const refused = governanceRefusal(actor, bid, action, body, ctx.declarations ?? []);
  if (refused) return err(refused);
  if (action === 'approve' && (bid.outcomeMeasures ?? []).length === 0) return err(outcomeMeasuresRequired());
  const reason = {
    ...(body.reason !== undefined ? { reason: body.reason } : {}),
    ...(body.reference !== undefined ? { reference: body.reference } : {}),
  };

  switch (action) {
    case 'submit':
    case 'request-info':
    case 'not-recommend': {
      const to: BidStatus = action === 'submit' ? 'submitted' : action === 'request-info' ? 'info-requested' : 'not-recommended';
      const next = nextVersion(bid, actor, ctx, { status: to, ...referenced(bid, action === 'submit' ? null : 'board', body) });
      return ok({ bid: next, effects: [], event: eventFor(bid, next, action, role, actor, reason) });
    }
    case 'recommend': {
      const amount = body.amountPence;
      if (amount === undefined) return err(invalid('amountPence', 'is required to recommend: the amount the board recommends, in pence'));
      if (amount > bid.requestedPence) {
        return err(
          domainError(
            'over-request',
            `the recommended ${formatPounds(amount)} is more than the ${formatPounds(bid.requestedPence)} requested`,
            {
              issues: [{ path: 'amountPence', message: `must not exceed the requested ${formatPounds(bid.requestedPence)}` }],
            },
          ),
        );
      }
      const split = splitAmount(amount, bid.scope, ctx.costShare);
      if (!split.ok) return err(domainError('invalid', split.error.message));
      const decisions = Object.fromEntries(Object.keys(split.value).map((f) => [f, 'pending'])) as Bid['decisions'];
      const next = nextVersion(bid, actor, ctx, {
        status: 'recommended',
        recommendedPence: amount,
        shares: split.value,
        decisions,
        recommendedBy: actor.sub,
        ...referenced(bid, 'board', body),
      });
      return ok({
        bid: next,
        effects: [],
        event: eventFor(bid, next, action, role, actor, { amounts: { recommendedPence: amount }, ...reason }),
      });
    }
    case 'approve':
    case 'decline':
    case 'release':
      return decideShare(bid, action, actor, role, ctx, reason);
    case 'vary':
      return requestVariation(bid, body, actor, role, ctx);
    case 'approve-variation':
      return approveVariation(bid, actor, role, ctx);
    case 'withdraw-variation':
    case 'decline-variation':
      return endVariation(bid, action, body, actor, role, ctx);
    case 'return-underspend':
      return returnUnderspend(bid, body, actor, role, ctx);
    case 'withdraw': {
      const next = nextVersion(bid, actor, ctx, { status: 'withdrawn' });
      return ok({ bid: next, effects: uncommitApproved(bid), event: eventFor(bid, next, action, role, actor, reason) });
    }
  }
}

/** docs/design.md §1.4: a funder approves what the bid promises, so the promise must be written down first. */
function outcomeMeasuresRequired(): DomainError {
  const message = 'must name at least one outcome measure (measure, unit, target) before a funder can approve the bid';
  return domainError('outcome-measures-required', `outcomeMeasures: ${message}`, { issues: [{ path: 'outcomeMeasures', message }] });
}

function decideShare(
  bid: Bid,
  action: 'approve' | 'decline' | 'release',
  actor: Actor,
  role: Role,
  ctx: LifecycleContext,
  reason: { reason?: string; reference?: string },
): Result<BidChange, DomainError> {
  const funder = actor.funder;
  if (!funder) return err(domainError('forbidden-funder', 'this pcc is not bound to a funder'));
  const decision = bid.decisions[funder];
  const sharePence = bid.shares[funder];
  if (decision === undefined || sharePence === undefined) {
    return err(domainError('forbidden-funder', `${funderName(funder)} has no share in this bid`, { funder }));
  }
  if (action === 'release' && bid.payments !== undefined) {
    return err(domainError('invalid-transition', `this bid is paid by instalment: release each instalment's part instead`, { funder }));
  }
  const needed = action === 'release' ? 'approved' : 'pending';
  if (decision !== needed) {
    return err(domainError('invalid-transition', `${funderName(funder)} cannot ${action}: its share is already ${decision}`, { funder }));
  }
  const decisions = {
    ...bid.decisions,
    [funder]: action === 'approve' ? 'approved' : action === 'decline' ? 'declined' : 'released',
  } as Bid['decisions'];
  const all = (state: string) => Object.values(decisions).every((d) => d === state);
  let status: BidStatus;
  let effects: LedgerEffect[];
  if (action === 'approve') {
    status = all('approved') ? 'approved' : 'recommended';
    effects = [{ kind: 'commit', funder, sharePence }];
  } else if (action === 'decline') {
    status = 'declined';
    effects = uncommitApproved(bid);
  } else {
    status = all('released') ? 'released' : 'approved';
    effects = [{ kind: 'release', funder, sharePence }];
  }
  const next = nextVersion(bid, actor, ctx, { status, decisions, ...referenced(bid, funder, reason) });
  return ok({ bid: next, effects, event: eventFor(bid, next, action, role, actor, { funder, amounts: { sharePence }, ...reason }) });
}

/** The bid's decision references with this decision's, when it names one (the board's or a funder's). */
function referenced(
  bid: Bid,
  key: keyof DecisionReferences | null,
  body: { reference?: string },
): { decisionReferences?: DecisionReferences } {
  if (key === null || body.reference === undefined) return {};
  return { decisionReferences: { ...bid.decisionReferences, [key]: body.reference } };
}

/** Give back every share already committed (a decline by another funder, or a withdrawal). */
function uncommitApproved(bid: Bid): LedgerEffect[] {
  return FUNDER_IDS.filter((f) => bid.decisions[f] === 'approved').map((f) => ({
    kind: 'uncommit',
    funder: f,
    sharePence: bid.shares[f] ?? 0,
  }));
}

function pickFields(bid: Bid): BidFields {
  const { fy, title, description, leadOrganisation, scope, crimeTypes, cyberStrands, requestedPence, costLines, outcomeMeasures } = bid;
  return definedOnly({
    fy,
    title,
    description,
    leadOrganisation,
    scope,
    crimeTypes,
    cyberStrands,
    requestedPence,
    costLines,
    outcomeMeasures,
  }) as BidFields;
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
