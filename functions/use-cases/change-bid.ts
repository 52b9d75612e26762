/**
 * The ordered protocol for changing a bid (docs/design.md §3), under one request id:
 *
 *   read bid → (our own earlier write? roll forward) → If-Match (stale only by commuting
 *     changes: go on) → domain transition
 *     → 1. commit shares on the ledgers (money is held before the bid says approved)
 *     → 2. write the bid, conditional on the version read, with the audit event in its outbox
 *     → 3. give back / release shares on the ledgers (the bid already says so)
 *
 * The answer does not wait for this change's audit copy (docs/design.md §3): its event rides in
 * the bid's outbox, which history merges, reconcile copies, and the bid's next change records
 * beside its own bid write (so an outbox holds only the events since the latest recorded one).
 *
 * A crash between steps is finished by a retry with the same request id (roll forward) or by
 * reconcile; a lost race at step 2 rolls back the commits of step 1.
 */
import {
  defaultCostShare,
  domainError,
  err,
  formatPounds,
  funderName,
  ok,
  type AuditAction,
  type AuditEvent,
  type Bid,
  type BidChange,
  type CostShare,
  type DomainError,
  type FunderId,
  type LifecycleContext,
  type Pence,
  type Result,
  yearClosed,
} from '../../domain';
import type { BudgetRepository, FundStore, StoredBid } from '../store/types';
import type { UseCaseDeps } from './deps';
import { settleBid } from './settle';

export interface ChangeRequest {
  bidId: string;
  requestId: string;
  /** The version the caller last saw (If-Match); checked against the bid as first read. */
  ifMatch?: number;
  /** Who acts, for the ledger entry. */
  actorSub: string;
  /**
   * Funder decisions commute: when another funder's decision lands between our read and our
   * write, re-apply ours to the new version rather than failing the caller.
   */
  retryOnRace?: boolean;
  /**
   * Changes this one commutes with (funder decisions). An If-Match made stale only by changes
   * of these kinds is no conflict: the transition runs on the current version, which still
   * refuses what no longer applies (a second approval of the same share, say). Without this, a
   * decision that reads the bid just after another funder's lands answers 412 however often it
   * would be retried.
   */
  commutesWith?: ReadonlySet<AuditAction>;
  /**
   * Whether the transition splits money by the year's cost share (create, edit, propose,
   * recommend). Decisions on frozen shares do not, and skip reading the budget.
   */
  needsCostShare?: boolean;
  /** Whether the transition weighs the year's declarations of interest (the board's decisions). */
  needsDeclarations?: boolean;
  /**
   * Whether the change is refused in a closed year (docs/design.md §3.1: no new bids or approvals
   * there): submit, recommend, a variation upwards. Commitments need no read: the closed ledger refuses them.
   */
  refusedInClosedYear?: (bid: Bid) => boolean;
  /** Extra fields for the audit event (e.g. the ingested file and row). */
  eventExtras?: Partial<Pick<AuditEvent, 'source'>>;
}

export type Transition = (bid: Bid, ctx: LifecycleContext) => Result<BidChange, DomainError>;

const MAX_ATTEMPTS = 5;

/** Stands in for the cost share where a transition must not split: any use is a bug, and loud. */
const NO_COST_SHARE = new Proxy({} as CostShare, {
  get: (_target, property) => {
    throw new Error(`this transition was declared not to need the cost share, yet read ${String(property)}`);
  },
});

export async function costShareOf(store: BudgetRepository, fy: string): Promise<CostShare> {
  return (await store.getBudget(fy))?.costShare ?? defaultCostShare();
}

export async function changeBid(deps: UseCaseDeps, request: ChangeRequest, transition: Transition): Promise<Result<Bid, DomainError>> {
  const { store } = deps;
  const { bidId, requestId } = request;
  const checkpoint = async (step: Parameters<NonNullable<UseCaseDeps['checkpoint']>>[0]) => deps.checkpoint?.(step, { bidId, requestId });
  const committed: { fy: string; funder: Parameters<FundStore['commitShare']>[1] }[] = [];
  const paid: { fy: string; funder: Parameters<FundStore['payInstalment']>[1]; instalment: number }[] = [];
  const raised: { fy: string; funder: Parameters<FundStore['adjustShare']>[1]; fromPence: Pence; toPence: Pence }[] = [];
  const rollBack = async () => {
    for (const c of committed.splice(0)) await store.uncommitShare(c.fy, c.funder, bidId, requestId);
    for (const p of paid.splice(0)) await store.unpayInstalment(p.fy, p.funder, bidId, p.instalment, requestId);
    // Lowering a share back always fits in the pot.
    for (const r of raised.splice(0)) await store.adjustShare(r.fy, r.funder, bidId, r.toPence, r.fromPence, requestId);
  };

  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const stored = await store.readBid(bidId);
    if (!stored) return err(domainError('not-found', `bid ${bidId} does not exist`));

    if (stored.lastRequestId === requestId) {
      // Roll forward: this request (or a retry of it) already wrote the bid.
      await settleBid(store, stored.bid);
      await store.recordEvents(stored.unrecorded);
      return ok(stored.bid);
    }
    if (
      attempt === 0 &&
      request.ifMatch !== undefined &&
      stored.bid.version !== request.ifMatch &&
      !(await onlyCommutingSince(store, stored, request.ifMatch, request.commutesWith))
    ) {
      return err(
        domainError('version-conflict', `bid ${bidId} is at version ${stored.bid.version}, not ${request.ifMatch}; refresh and try again`),
      );
    }

    const now = deps.now().toISOString();
    const costShare = request.needsCostShare === false ? NO_COST_SHARE : await costShareOf(store, stored.bid.fy);
    const declarations = request.needsDeclarations ? await store.declarations(stored.bid.fy) : [];
    const change = transition(stored.bid, { now, costShare, declarations });
    if (!change.ok) {
      await rollBack();
      return change;
    }
    if (request.refusedInClosedYear?.(stored.bid) && (await store.getYearClose(stored.bid.fy))) {
      await rollBack();
      return err(yearClosed(stored.bid.fy, `to ${change.value.event.action} a bid`));
    }
    const { bid: next, effects } = change.value;

    // 1. Commit shares: the conditional ledger write decides whether the money is there.
    for (const effect of effects.filter((e) => e.kind === 'commit')) {
      const outcome = await store.commitShare(next.fy, effect.funder, bidId, {
        sharePence: effect.sharePence,
        state: 'committed',
        by: request.actorSub,
        at: now,
        requestId,
      });
      if (outcome.kind === 'committed') {
        committed.push({ fy: next.fy, funder: effect.funder });
        await checkpoint('ledger-committed');
      } else if (outcome.kind === 'exists') {
        if (outcome.allocation.requestId !== requestId) {
          await rollBack();
          return err(
            domainError('invalid-transition', `another approval of this share is still being recorded; try again in a few minutes`, {
              funder: effect.funder,
            }),
          );
        }
        if (!committed.some((c) => c.funder === effect.funder)) committed.push({ fy: next.fy, funder: effect.funder });
      } else if (outcome.kind === 'over-budget') {
        await rollBack();
        return err(overBudget(effect.funder, effect.sharePence, outcome.remainingPence));
      } else if (outcome.kind === 'closed') {
        await rollBack();
        return err(domainError('year-closed', yearClosed(next.fy, 'approving a share').message, { funder: effect.funder }));
      } else {
        await rollBack();
        return err(domainError('no-budget', `no budget is set for ${next.fy}; an admin sets it first`, { funder: effect.funder }));
      }
    }

    // 1b. Pay instalment parts: the conditional ledger write keeps paid ≤ share (docs/design.md §3.1).
    for (const effect of effects.filter((e) => e.kind === 'pay')) {
      const instalment = effect.instalment ?? 0;
      const pay = () =>
        store.payInstalment(next.fy, effect.funder, bidId, instalment, { partPence: effect.sharePence, at: now, requestId });
      let outcome = await pay();
      if (outcome.kind === 'already-paid' && outcome.requestId === requestId && outcome.partPence !== effect.sharePence) {
        // An earlier round of this request paid the part of a schedule since replaced (it lost the
        // bid write to finance's new schedule and read again): undo its own payment, pay the current part.
        await store.unpayInstalment(next.fy, effect.funder, bidId, instalment, requestId);
        outcome = await pay();
      }
      if (outcome.kind === 'paid' || (outcome.kind === 'already-paid' && outcome.requestId === requestId)) {
        if (!paid.some((p) => p.funder === effect.funder && p.instalment === instalment)) {
          paid.push({ fy: next.fy, funder: effect.funder, instalment });
        }
        await checkpoint('ledger-committed');
        continue;
      }
      await rollBack();
      const detail =
        outcome.kind === 'already-paid'
          ? `another release of instalment ${instalment} is still being recorded; try again in a few minutes`
          : outcome.kind === 'over-share'
            ? `${funderName(effect.funder)} has paid ${formatPounds(outcome.paidPence)} of its ${formatPounds(outcome.sharePence)} share: ${formatPounds(effect.sharePence)} more does not fit`
            : `${funderName(effect.funder)}'s ledger holds no committed share for this bid`;
      return err(domainError('invalid-transition', detail, { funder: effect.funder }));
    }

    // 1c. Raise shares (a variation upwards): like a commit, the money is held before the bid says so.
    for (const effect of effects.filter((e) => e.kind === 'adjust' && e.sharePence > (e.fromPence ?? 0))) {
      const fromPence = effect.fromPence ?? 0;
      const outcome = await store.adjustShare(next.fy, effect.funder, bidId, fromPence, effect.sharePence, requestId);
      if (outcome.kind === 'adjusted' || (outcome.kind === 'already-adjusted' && outcome.requestId === requestId)) {
        if (!raised.some((r) => r.funder === effect.funder))
          raised.push({ fy: next.fy, funder: effect.funder, fromPence, toPence: effect.sharePence });
        await checkpoint('ledger-committed');
        continue;
      }
      await rollBack();
      if (outcome.kind === 'over-budget') return err(overBudget(effect.funder, effect.sharePence - fromPence, outcome.remainingPence));
      if (outcome.kind === 'closed') return err(yearClosed(next.fy, 'raising a share'));
      return err(
        domainError('invalid-transition', `${funderName(effect.funder)}'s ledger does not hold this bid's share as expected`, {
          funder: effect.funder,
        }),
      );
    }

    // 2. Write the bid, conditional on the version we read; the audit event rides in its outbox.
    const event: AuditEvent = { ...change.value.event, requestId, ...request.eventExtras };
    const outbox = [...stored.unrecorded, event];
    // Older events are copied beside the bid write, not before it; a failed copy stays in the
    // outbox for the next change or reconcile (docs/design.md §3).
    const writing = store.replaceBid(next, stored.bid.version, outbox, requestId);
    const olderCopied = stored.unrecorded.length === 0 ? undefined : store.recordEvents(stored.unrecorded).catch(() => undefined);
    const [written] = await Promise.all([writing, olderCopied]);
    if (written === 'conflict') {
      if (request.retryOnRace) continue;
      await rollBack();
      return err(domainError('version-conflict', `bid ${bidId} changed while this request was in progress; refresh and try again`));
    }
    await checkpoint('bid-written');

    // 3. Give back or release shares the new state no longer holds.
    let unfinishedReturn = false;
    for (const effect of effects) {
      if (effect.kind === 'return') {
        // Underspend goes back to the pot after the bid records it (docs/design.md §3.1).
        const outcome = await store.returnUnderspend(next.fy, effect.funder, bidId, effect.fromPence ?? 0, effect.sharePence);
        unfinishedReturn ||= outcome.kind === 'absent';
      }
      if (effect.kind === 'uncommit') await store.uncommitShare(next.fy, effect.funder, bidId);
      if (effect.kind === 'release') await store.releaseShare(next.fy, effect.funder, bidId);
      if (effect.kind === 'adjust' && effect.sharePence < (effect.fromPence ?? 0)) {
        await store.adjustShare(next.fy, effect.funder, bidId, effect.fromPence ?? 0, effect.sharePence, requestId);
      }
    }
    // A concurrent return landed its bid write first but its ledger write after ours: catch up.
    if (unfinishedReturn) await settleBid(store, next);
    await checkpoint('ledger-settled');

    // 4. No audit copy of this change's event here: it is in the outbox (see the top).
    await checkpoint('audit-written');
    return ok(next);
  }
  await rollBack();
  return err(domainError('version-conflict', `bid ${bidId} is changing too often to apply this request; refresh and try again`));
}

/** Whether every version after `version` was a change of a kind this request commutes with. */
async function onlyCommutingSince(
  store: FundStore,
  stored: StoredBid,
  version: number,
  kinds: ReadonlySet<AuditAction> | undefined,
): Promise<boolean> {
  if (!kinds || version >= stored.bid.version) return false;
  const events = [...stored.unrecorded, ...(await store.history(stored.bid.id))];
  for (let v = version + 1; v <= stored.bid.version; v++) {
    const event = events.find((e) => e.version === v);
    if (!event || !kinds.has(event.action)) return false;
  }
  return true;
}

export function overBudget(funder: FunderId, sharePence: Pence, remainingPence: Pence): DomainError {
  return domainError(
    'over-budget',
    `${funderName(funder)}'s share of ${formatPounds(sharePence)} does not fit: only ${formatPounds(remainingPence)} remains in its pot`,
    { funder, amounts: { sharePence, remainingPence } },
  );
}
