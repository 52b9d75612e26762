/**
 * Money after approval (docs/design.md §3.1) as pure transitions: finance sets an approved bid's
 * payment schedule; each funder's PCC releases its own part of each instalment. A funder whose
 * parts are all paid has released its share; the bid is released when every funder has.
 */
import { FUNDER_IDS, type FunderId } from './alliance';
import { domainError, invalid, type DomainError } from './errors';
import { funderName } from './funders';
import { instalmentParts } from './instalments';
import { eventFor, nextVersion } from './bid-version';
import type { BidChange, LedgerEffect, LifecycleContext } from './lifecycle';
import { formatPounds, type Pence } from './money';
import { authorize } from './permissions';
import { err, ok, type Result } from './result';
import { sharedFunders, type Shares } from './split';
import type { Actor } from './schemas/actor';
import { fundedAmount, type Bid, type BidStatus, type Instalment } from './schemas/bid';
import type { PaymentSchedule } from './schemas/payments';

/** Is every non-zero part of the instalment paid (and at least one)? */
function fullyPaid(instalment: Instalment): boolean {
  const due = Object.entries(instalment.parts).filter(([, part]) => (part ?? 0) > 0);
  return due.length > 0 && due.every(([f]) => instalment.paid[f as FunderId] !== undefined);
}

/**
 * Finance sets an approved bid's payment schedule: the instalments not yet paid. Fully paid
 * instalments stay (after a variation, docs/design.md §3.1); an instalment partly paid fixes the
 * schedule. The new instalments sum to what is left to schedule, Σ_f (share − kept parts), and
 * are split by running totals with those remainders as weights.
 */
export function schedulePayments(bid: Bid, schedule: PaymentSchedule, actor: Actor, ctx: LifecycleContext): Result<BidChange, DomainError> {
  const granted = authorize(actor, 'schedule-payments', { leadOrganisation: bid.leadOrganisation });
  if (!granted.ok) return granted;
  if (bid.status !== 'approved') {
    return err(domainError('invalid-transition', `payments can be scheduled only for an approved bid; this one is ${bid.status}`));
  }
  if (bid.variation) return err(domainError('invalid-transition', 'a variation of this bid is waiting for the funders: schedule after it'));
  const existing = bid.payments ?? [];
  if (existing.some((i) => Object.keys(i.paid).length > 0 && !fullyPaid(i))) {
    return err(domainError('invalid-transition', 'part of this bid is already paid: its payment schedule can no longer change'));
  }
  const kept = existing.filter(fullyPaid);
  const { instalments } = schedule;
  for (let i = 1; i < instalments.length; i++) {
    if ((instalments[i]?.due ?? '') < (instalments[i - 1]?.due ?? '')) {
      return err(invalid(`instalments[${i}].due`, 'instalments must be in date order'));
    }
  }
  // A funder released whole (without a schedule) has nothing left to schedule.
  const remaining: Shares = {};
  for (const f of sharedFunders(bid.shares)) {
    const left = (bid.shares[f] ?? 0) - kept.reduce((sum, i) => sum + (i.parts[f] ?? 0), 0);
    remaining[f] = bid.decisions[f] === 'released' ? 0 : Math.max(0, left);
  }
  const toSchedule = Object.values(remaining).reduce((a, b) => a + b, 0);
  const total = instalments.reduce((sum, i) => sum + i.amountPence, 0);
  if (toSchedule === 0) return err(domainError('invalid-transition', 'nothing of this bid is left to schedule'));
  if (total !== toSchedule) {
    const what = kept.length > 0 ? 'left to pay' : 'the funded amount';
    return err(invalid('instalments', `the instalments sum to ${formatPounds(total)}, not ${what}: ${formatPounds(toSchedule)}`));
  }
  const split = instalmentParts(remaining, instalments);
  // The running-total rule can give a funder −1p in an instalment when three or more funders
  // share a bid (largest remainder is not monotone in the amount): refuse such a schedule.
  const negative = split.findIndex((i) => Object.values(i.parts).some((p) => p < 0));
  if (negative >= 0) {
    return err(invalid(`instalments[${negative}].amountPence`, 'this amount splits unevenly between the funders; choose another amount'));
  }
  const payments: Instalment[] = [...kept, ...split.map((i) => ({ ...i, paid: {} }))];
  const next = nextVersion(bid, actor, ctx, { payments });
  return ok({
    bid: next,
    effects: [],
    event: eventFor(bid, next, 'schedule-payments', granted.value, actor, { amounts: { recommendedPence: fundedAmount(bid) } }),
  });
}

/** Has the funder released every non-zero part of the schedule? */
export function funderFullyPaid(payments: readonly Instalment[], funder: FunderId): boolean {
  return payments.every((i) => (i.parts[funder] ?? 0) === 0 || i.paid[funder] !== undefined);
}

/** What a funder has paid of a bid so far, by the bid's schedule. */
export function paidOfSchedule(payments: readonly Instalment[], funder: FunderId): Pence {
  return payments.reduce((sum, i) => sum + (i.paid[funder] !== undefined ? (i.parts[funder] ?? 0) : 0), 0);
}

/** A PCC releases its own funder's part of instalment n (1-based). */
export function releaseInstalment(bid: Bid, n: number, actor: Actor, ctx: LifecycleContext): Result<BidChange, DomainError> {
  const granted = authorize(actor, 'release-instalment', { leadOrganisation: bid.leadOrganisation, scope: bid.scope });
  if (!granted.ok) return granted;
  const funder = actor.funder;
  if (!funder) return err(domainError('forbidden-funder', 'this pcc is not bound to a funder'));
  if (bid.status !== 'approved')
    return err(domainError('invalid-transition', `cannot release an instalment of a bid that is ${bid.status}`));
  if (bid.variation) return err(domainError('invalid-transition', 'a variation of this bid is waiting for the funders: release after it'));
  const payments = bid.payments;
  if (!payments) return err(domainError('invalid-transition', 'this bid has no payment schedule yet; finance sets it first'));
  const instalment = payments[n - 1];
  if (!instalment) return err(domainError('not-found', `this bid has ${payments.length} instalments; there is no instalment ${n}`));
  const partPence = instalment.parts[funder];
  if (partPence === undefined || bid.decisions[funder] === undefined) {
    return err(domainError('forbidden-funder', `${funderName(funder)} has no share in this bid`, { funder }));
  }
  if (bid.decisions[funder] !== 'approved') {
    return err(domainError('invalid-transition', `${funderName(funder)}'s share is ${bid.decisions[funder]}`, { funder }));
  }
  if (instalment.paid[funder] !== undefined) {
    return err(domainError('invalid-transition', `${funderName(funder)} already released its part of instalment ${n}`, { funder }));
  }
  if (partPence === 0)
    return err(domainError('invalid-transition', `${funderName(funder)}'s part of instalment ${n} is nothing`, { funder }));

  const nextPayments = payments.map((i, k) =>
    k === n - 1 ? { ...i, paid: { ...i.paid, [funder]: ctx.now }, paidBy: { ...i.paidBy, [funder]: actor.sub } } : i,
  );
  const effects: LedgerEffect[] = [{ kind: 'pay', funder, sharePence: partPence, instalment: n }];
  let decisions = bid.decisions;
  if (funderFullyPaid(nextPayments, funder) && paidOfSchedule(nextPayments, funder) >= (bid.shares[funder] ?? 0)) {
    decisions = { ...decisions, [funder]: 'released' };
    effects.push({ kind: 'release', funder, sharePence: bid.shares[funder] ?? 0 });
  }
  const status: BidStatus = FUNDER_IDS.every((f) => decisions[f] === undefined || decisions[f] === 'released') ? 'released' : 'approved';
  const next = nextVersion(bid, actor, ctx, { payments: nextPayments, decisions, status });
  const event = eventFor(bid, next, 'release-instalment', granted.value, actor, { funder, instalment: n, amounts: { partPence } });
  return ok({ bid: next, effects, event });
}
