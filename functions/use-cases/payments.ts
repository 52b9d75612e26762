/** Money after approval (docs/design.md §3.1): the payment schedule and per-instalment releases. */
import {
  releaseInstalment as releaseInstalmentInDomain,
  schedulePayments as schedulePaymentsInDomain,
  type AuditAction,
  type Bid,
  domainError,
  err,
  type DomainError,
  type PaymentSchedule,
  type Result,
} from '../../domain';
import type { CommandContext } from './bid-commands';
import { changeBid } from './change-bid';
import type { UseCaseDeps } from './deps';

/** Releases of different parts commute: a race between them is retried, not refused. */
const RELEASES: ReadonlySet<AuditAction> = new Set<AuditAction>(['release-instalment']);

export async function schedulePayments(
  deps: UseCaseDeps,
  bidId: string,
  schedule: PaymentSchedule,
  ifMatch: number,
  ctx: CommandContext,
): Promise<Result<Bid, DomainError>> {
  return changeBid(deps, { bidId, requestId: ctx.requestId, ifMatch, actorSub: ctx.actor.sub, needsCostShare: false }, (bid, lifecycle) =>
    schedulePaymentsInDomain(bid, schedule, ctx.actor, lifecycle),
  );
}

/**
 * The quarters whose monitoring returns for the bid are accepted. Read before the bid: an accepted
 * return is final (domain/returns.ts), so a stale read can only refuse a release, never allow one
 * too early (docs/design.md §3.1).
 */
async function acceptedQuarters(deps: UseCaseDeps, bidId: string): Promise<ReadonlySet<string> | undefined> {
  const stored = await deps.store.readBid(bidId);
  if (!stored) return undefined;
  const returns = await deps.store.returnsOfBid(stored.bid.fy, bidId);
  return new Set(returns.filter((r) => r.status === 'accepted').map((r) => r.quarter));
}

export async function releaseInstalment(
  deps: UseCaseDeps,
  bidId: string,
  instalment: number,
  ifMatch: number,
  ctx: CommandContext,
): Promise<Result<Bid, DomainError>> {
  const accepted = await acceptedQuarters(deps, bidId);
  if (!accepted) return err(domainError('not-found', `bid ${bidId} does not exist`));
  const released = await changeBid(
    deps,
    {
      bidId,
      requestId: ctx.requestId,
      ifMatch,
      actorSub: ctx.actor.sub,
      retryOnRace: true,
      commutesWith: RELEASES,
      needsCostShare: false,
    },
    (bid, lifecycle) => releaseInstalmentInDomain(bid, instalment, ctx.actor, lifecycle, accepted),
  );
  if (!released.ok) await undoUnrecordedPayments(deps, bidId, ctx.requestId);
  return released;
}

/**
 * A refused release gives back what this request paid and its bid does not record. Such a payment
 * is left by an earlier attempt under the same request id (the client's retry, same
 * Idempotency-Key) that crashed after paying and before its bid write, when the bid has since moved
 * on (a new schedule, a variation) and the retry is refused: without this, the part would stay
 * paid on the ledger alone, and every other release of it would be refused as still being recorded
 * (docs/design.md §3.1). Only this request's payments, and only parts the bid does not call paid:
 * no other request can record this one's payment on the bid.
 */
async function undoUnrecordedPayments(deps: UseCaseDeps, bidId: string, requestId: string): Promise<void> {
  const stored = await deps.store.readBid(bidId);
  if (!stored) return;
  const { bid } = stored;
  for (const ledger of await deps.store.getLedgers(bid.fy)) {
    for (const [n, payment] of Object.entries(ledger.allocations[bidId]?.payments ?? {})) {
      if (payment.requestId !== requestId || bid.payments?.[Number(n) - 1]?.paid[ledger.funder] !== undefined) continue;
      await deps.store.unpayInstalment(bid.fy, ledger.funder, bidId, Number(n), requestId);
    }
  }
}
