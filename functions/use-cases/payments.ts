/** Money after approval (docs/design.md §3.1): the payment schedule and per-instalment releases. */
import {
  releaseInstalment as releaseInstalmentInDomain,
  schedulePayments as schedulePaymentsInDomain,
  type AuditAction,
  type Bid,
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

export async function releaseInstalment(
  deps: UseCaseDeps,
  bidId: string,
  instalment: number,
  ifMatch: number,
  ctx: CommandContext,
): Promise<Result<Bid, DomainError>> {
  return changeBid(
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
    (bid, lifecycle) => releaseInstalmentInDomain(bid, instalment, ctx.actor, lifecycle),
  );
}
