/**
 * Varying an approved bid's amount (docs/design.md §3.1). Finance asks for a new amount with a
 * reason; the new shares are the amount split by the year's cost share; each funder in scope
 * approves the variation again, and at its approval the difference goes back to (or, if the pot
 * allows, comes from) its own ledger. A funder that has already paid more than its new share
 * owes the excess back: clawbackDue. When every funder has approved, the bid takes the new
 * amount; the paid instalments stay and finance schedules the rest anew. Until then finance may
 * withdraw the variation, or a funder still to decide decline it (`endVariation`).
 */
import { FUNDER_IDS, type FunderId } from './alliance';
import { eventFor, nextVersion } from './bid-version';
import { domainError, invalid, type DomainError } from './errors';
import { funderName } from './funders';
import type { BidChange, LedgerEffect, LifecycleContext } from './lifecycle';
import { formatPounds, type Pence } from './money';
import { keptInstalments, paidOfSchedule } from './payments';
import { err, ok, type Result } from './result';
import type { ActionBody } from './schemas/action';
import type { Actor, Role } from './schemas/actor';
import { fundedAmount, type Bid, type BidStatus } from './schemas/bid';
import { sharedFunders, splitAmount, type Shares } from './split';

/** The share a funder's ledger entry should hold: the varied one once the funder approved the variation. */
export function expectedShare(bid: Pick<Bid, 'shares' | 'variation'>, funder: FunderId): Pence | undefined {
  return bid.variation?.decisions[funder] === 'approved' ? bid.variation.shares[funder] : bid.shares[funder];
}

export function requestVariation(
  bid: Bid,
  body: ActionBody,
  actor: Actor,
  role: Role,
  ctx: LifecycleContext,
): Result<BidChange, DomainError> {
  const amount = body.amountPence;
  if (amount === undefined) return err(invalid('amountPence', 'is required to vary: the new amount, in pence'));
  if (body.reason === undefined) return err(invalid('reason', 'is required to vary: why the amount changes'));
  if (bid.variation) return err(domainError('invalid-transition', 'a variation of this bid is already waiting for the funders'));
  if (Object.values(bid.returned ?? {}).some((p) => (p ?? 0) > 0)) {
    return err(domainError('invalid-transition', 'underspend of this bid has been returned: it can no longer be varied'));
  }
  if (FUNDER_IDS.some((f) => bid.decisions[f] === 'released')) {
    return err(domainError('invalid-transition', 'a funder has released its whole share: this bid can no longer be varied'));
  }
  if (amount === fundedAmount(bid)) return err(invalid('amountPence', `is already the funded amount of ${formatPounds(amount)}`));
  const split = splitAmount(amount, bid.scope, ctx.costShare);
  if (!split.ok) return err(domainError('invalid', split.error.message));
  if (sharedFunders(split.value).join() !== sharedFunders(bid.shares).join()) {
    return err(domainError('invalid-transition', 'the cost share now gives this bid other funders: it cannot be varied'));
  }
  const decisions = Object.fromEntries(sharedFunders(split.value).map((f) => [f, 'pending'])) as NonNullable<Bid['variation']>['decisions'];
  const next = nextVersion(bid, actor, ctx, {
    variation: { amountPence: amount, shares: split.value, reason: body.reason, decisions, requestedBy: actor.sub },
  });
  return ok({
    bid: next,
    effects: [],
    event: eventFor(bid, next, 'vary', role, actor, { amounts: { recommendedPence: amount }, reason: body.reason }),
  });
}

/**
 * The bid's clawbackDue once each funder named in `holding` holds that share: a funder that has
 * paid more than its share owes the excess back, one that has not owes nothing; the other funders
 * keep what they owe. Undefined when no funder owes anything.
 */
function clawbackAfter(bid: Bid, holding: Shares): Shares | undefined {
  const clawbackDue: Shares = { ...bid.clawbackDue };
  for (const funder of FUNDER_IDS) {
    const share = holding[funder];
    if (share === undefined) continue;
    const paid = paidOfSchedule(bid.payments ?? [], funder);
    if (paid > share) clawbackDue[funder] = paid - share;
    else delete clawbackDue[funder];
  }
  return Object.keys(clawbackDue).length > 0 ? clawbackDue : undefined;
}

export function approveVariation(bid: Bid, actor: Actor, role: Role, ctx: LifecycleContext): Result<BidChange, DomainError> {
  const funder = actor.funder;
  if (!funder) return err(domainError('forbidden-funder', 'this pcc is not bound to a funder'));
  const variation = bid.variation;
  if (!variation) return err(domainError('invalid-transition', 'this bid has no variation waiting for approval'));
  const fromPence = bid.shares[funder];
  const toPence = variation.shares[funder];
  if (variation.decisions[funder] === undefined || fromPence === undefined || toPence === undefined) {
    return err(domainError('forbidden-funder', `${funderName(funder)} has no share in this bid`, { funder }));
  }
  if (variation.decisions[funder] !== 'pending') {
    return err(domainError('invalid-transition', `${funderName(funder)} already approved this variation`, { funder }));
  }
  const effects: LedgerEffect[] = toPence === fromPence ? [] : [{ kind: 'adjust', funder, sharePence: toPence, fromPence }];
  const decided = { ...variation.decisions, [funder]: 'approved' as const };
  const changes: Partial<Bid> = {
    variation: { ...variation, decisions: decided },
    clawbackDue: clawbackAfter(bid, { [funder]: toPence }),
  };
  if (Object.values(decided).every((d) => d === 'approved'))
    Object.assign(changes, applyVariation(bid, variation.amountPence, variation.shares, effects));
  const next = dropUndefined(nextVersion(bid, actor, ctx, changes));
  return ok({
    bid: next,
    effects,
    event: eventFor(bid, next, 'approve-variation', role, actor, {
      funder,
      amounts: { sharePence: toPence },
      ...{ reason: variation.reason },
    }),
  });
}

/**
 * Ending a variation without applying it: finance withdraws it (`withdraw-variation`), or the PCC
 * of a funder still to decide declines it (`decline-variation`), with a reason either way. The bid
 * keeps its amount and shares. A funder that had already approved the variation holds the varied
 * share on its ledger; it goes back to the bid's share by the same conditional update
 * (`adjust`): a share raised back is held before the bid write (409 over-budget if the pot has
 * been spent meanwhile, nothing changed), one lowered back is given after it. Such a funder owes
 * no clawback any more: it never paid more than its share.
 */
export function endVariation(
  bid: Bid,
  action: 'withdraw-variation' | 'decline-variation',
  body: ActionBody,
  actor: Actor,
  role: Role,
  ctx: LifecycleContext,
): Result<BidChange, DomainError> {
  const variation = bid.variation;
  if (!variation) return err(domainError('invalid-transition', 'this bid has no variation waiting for approval'));
  const verb = action === 'withdraw-variation' ? 'withdraw' : 'decline';
  if (body.reason === undefined) return err(invalid('reason', `is required to ${verb} a variation: why it should not go ahead`));
  let decliner: FunderId | undefined;
  if (action === 'decline-variation') {
    decliner = actor.funder;
    if (!decliner) return err(domainError('forbidden-funder', 'this pcc is not bound to a funder'));
    const decision = variation.decisions[decliner];
    if (decision === undefined) {
      return err(domainError('forbidden-funder', `${funderName(decliner)} has no share in this bid`, { funder: decliner }));
    }
    if (decision !== 'pending') {
      const detail = `${funderName(decliner)} already approved this variation; finance may withdraw it`;
      return err(domainError('invalid-transition', detail, { funder: decliner }));
    }
  }
  const effects: LedgerEffect[] = [];
  // The funders that had approved hold the varied share: each goes back to the bid's.
  const heldBack: Shares = {};
  for (const f of FUNDER_IDS) {
    const share = bid.shares[f];
    const varied = variation.shares[f];
    if (variation.decisions[f] !== 'approved' || share === undefined || varied === undefined) continue;
    if (varied !== share) effects.push({ kind: 'adjust', funder: f, sharePence: share, fromPence: varied });
    heldBack[f] = share;
  }
  const changes: Partial<Bid> = { variation: undefined, clawbackDue: clawbackAfter(bid, heldBack) };
  const next = dropUndefined(nextVersion(bid, actor, ctx, changes));
  return ok({
    bid: next,
    effects,
    event: eventFor(bid, next, action, role, actor, {
      ...(decliner ? { funder: decliner } : {}),
      amounts: { recommendedPence: variation.amountPence },
      reason: body.reason,
    }),
  });
}

/**
 * Every funder approved: the bid takes the new amount and shares. The instalments already paid
 * stay, reduced to their paid parts, with their numbers (an unpaid one before a paid one stays at
 * nothing); unpaid ones after the last paid go (finance schedules the rest). A funder that
 * has paid all of its new share has released it.
 */
function applyVariation(bid: Bid, amountPence: Pence, shares: Shares, effects: LedgerEffect[]): Partial<Bid> {
  // Paid instalments keep their numbers (the ledger's payments are keyed by them).
  const kept = keptInstalments(bid.payments ?? []);
  const decisions = { ...bid.decisions };
  for (const f of sharedFunders(shares)) {
    const paid = paidOfSchedule(kept, f);
    if (paid > 0 && paid >= (shares[f] ?? 0)) {
      decisions[f] = 'released';
      effects.push({ kind: 'release', funder: f, sharePence: shares[f] ?? 0 });
    }
  }
  const status: BidStatus = sharedFunders(shares).every((f) => decisions[f] === 'released') ? 'released' : 'approved';
  return { recommendedPence: amountPence, shares, decisions, status, variation: undefined, payments: kept.length > 0 ? kept : undefined };
}

/** A bid's optional fields are absent, never undefined (the stored shape is strict). */
function dropUndefined(bid: Bid): Bid {
  return Object.fromEntries(Object.entries(bid).filter(([, v]) => v !== undefined)) as Bid;
}
