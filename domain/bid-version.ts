/** The next version of a bid and the audit event of a change: shared by every transition (docs/design.md §1.1). */
import type { AuditEventDraft, LifecycleContext } from './lifecycle';
import type { Actor, Role } from './schemas/actor';
import type { Bid } from './schemas/bid';

export function nextVersion(bid: Bid, actor: Actor, ctx: LifecycleContext, changes: Partial<Bid>): Bid {
  return { ...bid, ...changes, version: bid.version + 1, updatedAt: ctx.now, updatedBy: actor.sub };
}

export function eventFor(
  bid: Bid,
  next: Bid,
  action: AuditEventDraft['action'],
  role: Role,
  actor: Actor,
  extra: Partial<AuditEventDraft> = {},
): AuditEventDraft {
  return {
    bidId: next.id,
    at: next.updatedAt,
    actor: actor.sub,
    role,
    action,
    from: bid.status,
    to: next.status,
    version: next.version,
    ...extra,
  };
}
