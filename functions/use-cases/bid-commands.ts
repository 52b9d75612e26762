/** Bid commands: create, edit, lifecycle actions, and the proposal batch. */
import {
  applyBidAction,
  BOARD_DECISIONS,
  createBid as createBidInDomain,
  domainError,
  editBid as editBidInDomain,
  err,
  ok,
  fundedAmount,
  proposeAllocation,
  yearClosed,
  type ActionBody,
  type Actor,
  type AllocationResult,
  type AllocationRow,
  type AuditAction,
  type AuditEvent,
  type Bid,
  type BidAction,
  type BidCreate,
  type BidPatch,
  type CostShare,
  type DecisionResult,
  type DecisionRow,
  type DomainError,
  type DomainErrorKind,
  type Result,
} from '../../domain';
import { changeBid, costShareOf } from './change-bid';
import { inParallel } from '../concurrency';
import type { UseCaseDeps } from './deps';

export interface CommandContext {
  actor: Actor;
  requestId: string;
}

/** A year's cost share as read, and its registration done at most once (ingest: per file, not per row). */
export interface PreparedYear {
  costShare: CostShare;
  /** The year is closed (docs/design.md §3.1): it takes no new bids. */
  closed: boolean;
  register: () => Promise<void>;
}

/**
 * request → id → domain create → insert bid, its create event in the bid's outbox. Like a change,
 * a create answers after its one write: the audit copy is made by the bid's next change or by
 * reconcile, and the bid's history merges the outbox meanwhile (docs/design.md §3).
 * `reuseBidId` is the id an unfinished earlier attempt of the same request chose.
 */
export async function createBid(
  deps: UseCaseDeps,
  input: BidCreate,
  ctx: CommandContext & {
    reuseBidId?: string;
    onIdChosen?: (id: string) => Promise<void>;
    source?: AuditEvent['source'];
    prepared?: PreparedYear;
    /** Where a new id comes from (ingest: a block reserved per file); the store's counter by default. */
    drawId?: () => Promise<string>;
  },
): Promise<Result<Bid, DomainError>> {
  const { store } = deps;
  if (ctx.reuseBidId !== undefined) {
    const earlier = await store.readBid(ctx.reuseBidId);
    if (earlier && earlier.lastRequestId === ctx.requestId) return ok(earlier.bid);
  }
  const [costShare, closed] = ctx.prepared
    ? [ctx.prepared.costShare, ctx.prepared.closed]
    : await Promise.all([costShareOf(store, input.fy), store.getYearClose(input.fy).then((c) => c !== undefined)]);
  // Check permission and fields before spending an id.
  const probe = createBidInDomain(input, ctx.actor, { now: deps.now().toISOString(), costShare, id: 'FS-000000' });
  if (!probe.ok) return probe;
  if (closed) return err(yearClosed(input.fy, 'a new bid'));

  // Before the bid exists, so no crash can leave a year with bids that reconcile and export skip.
  await (ctx.prepared ? ctx.prepared.register() : store.registerYear(input.fy));
  const id = ctx.reuseBidId ?? (await (ctx.drawId ? ctx.drawId() : store.nextBidId()));
  if (ctx.reuseBidId === undefined) await ctx.onIdChosen?.(id);
  const created = createBidInDomain(input, ctx.actor, { now: deps.now().toISOString(), costShare, id });
  if (!created.ok) return created;
  const event: AuditEvent = { ...created.value.event, requestId: ctx.requestId, ...(ctx.source ? { source: ctx.source } : {}) };
  const inserted = await store.insertBid(created.value.bid, event, ctx.requestId);
  if (inserted === 'exists') return err(domainError('invalid-transition', `bid id ${id} is already taken; try again`));
  await deps.checkpoint?.('bid-written', { bidId: id, requestId: ctx.requestId });
  return ok(created.value.bid);
}

export async function editBid(
  deps: UseCaseDeps,
  bidId: string,
  patch: BidPatch,
  ifMatch: number,
  ctx: CommandContext,
): Promise<Result<Bid, DomainError>> {
  // A patch that moves the bid to another FY splits by that year's cost share.
  const targetFy = patch.fy;
  const [otherYearShare, targetClosed] =
    targetFy !== undefined
      ? await Promise.all([costShareOf(deps.store, targetFy), deps.store.getYearClose(targetFy).then((c) => c !== undefined)])
      : [undefined, false];
  const result = await changeBid(deps, { bidId, requestId: ctx.requestId, ifMatch, actorSub: ctx.actor.sub }, (bid, lifecycle) => {
    const moved = targetFy !== undefined && targetFy !== bid.fy;
    const edited = editBidInDomain(
      bid,
      patch,
      ctx.actor,
      moved && otherYearShare ? { ...lifecycle, costShare: otherYearShare } : lifecycle,
    );
    // Moving a bid into a closed year would be a new bid there (docs/design.md §3.1).
    return edited.ok && moved && targetClosed ? err(yearClosed(targetFy, 'moving a bid into it')) : edited;
  });
  // A bid moved to another year makes that year hold data: reconcile and export must visit it.
  if (result.ok && targetFy !== undefined) await deps.store.registerYear(targetFy);
  return result;
}

/** Funder decisions that commute with each other, so a race between them is retried, not refused. */
const FUNDER_DECISIONS: ReadonlySet<BidAction & AuditAction> = new Set<BidAction & AuditAction>(['approve', 'decline', 'release']);

export async function actOnBid(
  deps: UseCaseDeps,
  bidId: string,
  action: BidAction,
  body: ActionBody,
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
      retryOnRace: FUNDER_DECISIONS.has(action),
      ...(FUNDER_DECISIONS.has(action) ? { commutesWith: FUNDER_DECISIONS } : {}),
      // Only a recommendation and a variation split money; every other action works on frozen shares.
      needsCostShare: action === 'recommend' || action === 'vary',
      needsDeclarations: BOARD_DECISIONS.has(action),
      refusedInClosedYear: (bid) => refusedInClosedYear(action, body, bid),
    },
    (bid, lifecycle) => applyBidAction(bid, action, ctx.actor, body, lifecycle),
  );
}

/**
 * docs/design.md §3.1: a closed year takes no new bids and no approvals. Submitting and recommending
 * lead to new commitments, and so does a variation upwards; approvals themselves are refused by
 * the closed ledger. Declines, withdrawals, releases and decreases go on.
 */
function refusedInClosedYear(action: BidAction, body: ActionBody, bid: Bid): boolean {
  if (action === 'submit' || action === 'recommend') return true;
  return action === 'vary' && body.amountPence !== undefined && body.amountPence > fundedAmount(bid);
}

const BATCH_CONCURRENCY = 8;

/** One row's outcome in a batch: the bid after the change, or why not (with the server's bid on a conflict). */
interface RowOutcome<S extends string> {
  bidId: string;
  status: 'ok' | 'invalid' | S;
  problem?: string;
  reason?: string;
  bid?: Bid;
}

/**
 * A batch from the sheet, row by row: each row is its own change under its own request id
 * (`<request>:<index>`), so one stale or refused row never blocks the others; a bid named twice
 * is refused on its second row. `refused` says how a failed row reads; a version-conflict row
 * carries the server's current bid, to show beside the local value.
 */
async function rowByRow<R extends { bidId: string }, S extends string>(
  deps: UseCaseDeps,
  rows: readonly R[],
  ctx: CommandContext,
  change: (row: R, rowCtx: CommandContext) => Promise<Result<Bid, DomainError>>,
  refused: (error: DomainError) => { status: 'invalid' | S; problem?: string },
): Promise<RowOutcome<S>[]> {
  const results: RowOutcome<S>[] = new Array(rows.length);
  const seen = new Set<string>();
  await inParallel(rows, BATCH_CONCURRENCY, async (row, index) => {
    if (seen.has(row.bidId)) {
      results[index] = { bidId: row.bidId, status: 'invalid', reason: 'this bid appears more than once in the batch' };
      return;
    }
    seen.add(row.bidId);
    const outcome = await change(row, { actor: ctx.actor, requestId: `${ctx.requestId}:${index}` });
    if (outcome.ok) {
      results[index] = { bidId: row.bidId, status: 'ok', bid: outcome.value };
      return;
    }
    const current = outcome.error.kind === 'version-conflict' ? await deps.store.readBid(row.bidId) : undefined;
    results[index] = {
      bidId: row.bidId,
      ...refused(outcome.error),
      reason: outcome.error.message,
      ...(current ? { bid: current.bid } : {}),
    };
  });
  return results;
}

/**
 * Proposals from the sheet, row by row (rowByRow). Per-row outcome: ok / version-conflict / invalid
 * (with `problem`). A proposal leads to a commitment, so a closed year refuses it (docs/design.md §3.1).
 */
export async function proposeAllocations(
  deps: UseCaseDeps,
  rows: readonly AllocationRow[],
  ctx: CommandContext,
): Promise<AllocationResult[]> {
  return rowByRow(
    deps,
    rows,
    ctx,
    (row, rowCtx) =>
      changeBid(
        deps,
        {
          bidId: row.bidId,
          requestId: rowCtx.requestId,
          ifMatch: row.version,
          actorSub: ctx.actor.sub,
          refusedInClosedYear: () => true,
        },
        (bid, lifecycle) => proposeAllocation(bid, row.proposedPence, ctx.actor, lifecycle),
      ),
    (error) => ({ status: error.kind === 'version-conflict' ? 'version-conflict' : 'invalid', problem: error.kind }),
  );
}

/** How a refused decision reads in the batch's per-row status. */
const DECISION_REFUSALS: Partial<Record<DomainErrorKind, DecisionResult['status']>> = {
  forbidden: 'forbidden',
  'forbidden-funder': 'forbidden',
  'conflict-of-interest': 'forbidden',
  'separation-of-duties': 'forbidden',
  'over-budget': 'over-budget',
  'no-budget': 'over-budget',
  'version-conflict': 'version-conflict',
};

/**
 * Decisions recorded from the sheet (board minutes, PCC decision notices), row by row: each is
 * the single action's use-case under its own request id, so one refused or stale row never
 * blocks the others, and the same permission and governance rules apply.
 */
export async function recordDecisions(deps: UseCaseDeps, rows: readonly DecisionRow[], ctx: CommandContext): Promise<DecisionResult[]> {
  return rowByRow(
    deps,
    rows,
    ctx,
    ({ bidId, version, action, ...body }, rowCtx) => actOnBid(deps, bidId, action, body, version, rowCtx),
    (error) => ({ status: DECISION_REFUSALS[error.kind] ?? 'invalid', problem: error.kind }),
  );
}
