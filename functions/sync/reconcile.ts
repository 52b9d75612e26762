/**
 * Reconcile one financial year (docs/design.md §3, §7): the ledgers against the bids.
 *
 *   a close of the year left half-way (crashed after its record) → finished (docs/design.md §3.1)
 *   bids (index) → outboxes of recently changed bids whose audit copy is missing, copied over
 *     → ledgers → each allocation that does not match its bid is re-read, classified by
 *       domain/ledger.ts classifyEntry, and repaired:
 *         closed bid still holding a share → uncommit (roll forward)
 *         released decision, committed entry → release (roll forward)
 *         approval that never reached the bid, past the grace period → roll back
 *           (take the entry → fence the bid with a repair version → uncommit → audit)
 *         approval that never reached the bid, inside the grace period → in flight: wait
 *         anything else (share ≠ bid, entry for no bid) → drift that needs a person
 *     → approved shares with no entry (classifyMissingEntry) → drift that needs a person
 *     → totals recomputed from the entries (ledgerTotalsDiff); wrong totals rewritten (conditional)
 *
 * Every repair is re-checked against a consistent read of the bid first: the index may lag.
 * The decisions are the domain's; this file reads, writes and reports.
 */
import {
  classifyEntry,
  classifyMissingEntry,
  paymentDrift,
  entryAgreesWithBid,
  FUNDER_IDS,
  ledgerTotalsDiff,
  type AuditEvent,
  type Bid,
  type EntryVerdict,
  type FunderId,
  type Ledger,
  type LedgerAllocation,
  type LedgerEntry,
  type Pence,
  type PaymentDriftKind,
} from '../../domain';
import type { StoredBid } from '../store/types';
import { mapInParallel } from '../concurrency';
import type { UseCaseDeps } from '../use-cases/deps';
import { finishYearClose } from '../use-cases/year-close';

export type DriftKind =
  | 'closed-bid-share'
  | 'unreleased-share'
  | 'unfinished-approval'
  | 'missing-allocation'
  | 'share-mismatch'
  | 'orphan-allocation'
  | 'unexpected-allocation'
  | 'returned-mismatch'
  | 'unfinished-return'
  | 'ledger-totals'
  | PaymentDriftKind;

export interface Drift {
  fy: string;
  funder: FunderId;
  bidId?: string;
  kind: DriftKind;
  /** How much money the drift involves. */
  pence: Pence;
  repaired: boolean;
  detail: string;
}

/** A half-finished approval still inside its grace period: its request may yet finish. */
export interface InFlightApproval {
  fy: string;
  funder: FunderId;
  bidId: string;
  sharePence: Pence;
  since: string;
}

export interface YearReconcile {
  fy: string;
  /** The year's bids, with any version this reconcile wrote. */
  bids: Bid[];
  /** The ledgers after repair. */
  ledgers: Ledger[];
  drift: Drift[];
  inFlight: InFlightApproval[];
  eventsRecorded: number;
  /** When the earliest in-flight approval leaves its grace period. */
  recheckAfter?: string;
  /** A close of this year that stopped half-way, finished by this pass. */
  finishedClose?: boolean;
}

export interface ReconcileOptions {
  /** How long an approval may stay half-finished before it is rolled back. */
  graceMs: number;
  /** Check the outboxes of bids changed at or after this moment (ISO); undefined = every bid. */
  outboxCheckFrom?: string;
  concurrency?: number;
}

export const DEFAULT_GRACE_MS = 5 * 60_000;
const ATTEMPTS = 3;
const REPAIR_PREFIX = 'repair:';

/** What every step of one year's reconcile is given. */
interface YearContext {
  deps: UseCaseDeps;
  fy: string;
  options: ReconcileOptions;
}

export async function reconcileYear(
  deps: UseCaseDeps,
  fy: string,
  indexBids: readonly Bid[],
  options: ReconcileOptions,
): Promise<YearReconcile> {
  const ctx: YearContext = { deps, fy, options };
  const indexed = new Map(indexBids.map((b) => [b.id, b]));

  // 0. A close that crashed after its record: every step is idempotent, so finish it (docs/design.md §3.1).
  const close = await deps.store.getYearClose(fy);
  const finishedClose = close !== undefined && !close.completed;
  if (close && finishedClose) await finishYearClose(deps, close);

  // 1. Outboxes: a crash between a bid write and its audit copy leaves events unrecorded.
  const outboxes = await recordOutboxes(ctx, indexBids);
  for (const bid of outboxes.bids) indexed.set(bid.id, bid);

  // 2. Entries that disagree with their bids. Ledgers are read after the bids, so an approval
  //    the index shows has its entry in what we read (the entry is written before the bid).
  const read = await deps.store.getLedgers(fy);
  const entries = await settleEntries(ctx, read, indexed);

  // 3. Approved or released shares with no entry: money the ledger does not know about.
  const ledgers = entries.wrote ? await deps.store.getLedgers(fy) : read;
  const missing = await findMissingEntries(ctx, [...entries.bids.values()], ledgers);

  // 4. Totals from the entries (step 3 wrote nothing: the ledgers read for it are current).
  const totals = await repairTotals(ctx, ledgers);

  // 5. Payments by instalment: reported, never rewritten; one still in its grace period is looked at again.
  const payments = checkPayments(ctx, entries.bids, totals.ledgers);

  const recheck = [...entries.inFlight.map((a) => a.since), ...payments.unsettled]
    .map((since) => Date.parse(since) + options.graceMs)
    .sort((a, b) => a - b)[0];
  return {
    fy,
    bids: [...entries.bids.values()].filter((b) => b.fy === fy),
    ledgers: totals.ledgers,
    drift: [...entries.drift, ...missing, ...totals.drift, ...payments.drift],
    inFlight: entries.inFlight,
    eventsRecorded: outboxes.eventsRecorded,
    ...(recheck !== undefined ? { recheckAfter: new Date(recheck).toISOString() } : {}),
    ...(finishedClose ? { finishedClose } : {}),
  };
}

// ---- 1. Outboxes ---------------------------------------------------------------------------

/**
 * One batched look for the audit item of each changed bid's version finds the few that lack
 * it; only those are read whole. (A version the index has not caught up with is changed after
 * outboxCheckFrom, so the next pass, whose window overlaps this one, looks at it again.)
 * Returns the bids read (those of this year) and how many events were recorded.
 */
async function recordOutboxes(ctx: YearContext, indexBids: readonly Bid[]): Promise<{ bids: Bid[]; eventsRecorded: number }> {
  const { store } = ctx.deps;
  const from = ctx.options.outboxCheckFrom;
  const changed = indexBids.filter((b) => from === undefined || b.updatedAt >= from);
  const unrecorded = await store.versionsWithoutAudit(changed.map((b) => ({ bidId: b.id, version: b.version })));
  const outcomes = await mapInParallel(unrecorded, ctx.options.concurrency ?? 16, ({ bidId }) => recordOutbox(ctx, bidId));
  return {
    bids: outcomes.flatMap((o) => (o.bid ? [o.bid] : [])),
    eventsRecorded: outcomes.reduce((sum, o) => sum + o.recorded, 0),
  };
}

async function recordOutbox(ctx: YearContext, bidId: string): Promise<{ bid?: Bid; recorded: number }> {
  const stored = await ctx.deps.store.readBid(bidId);
  if (!stored) return { recorded: 0 };
  if (stored.unrecorded.length > 0) await ctx.deps.store.recordEvents(stored.unrecorded);
  return { ...(stored.bid.fy === ctx.fy ? { bid: stored.bid } : {}), recorded: stored.unrecorded.length };
}

// ---- 2. Entries against their bids ---------------------------------------------------------

/** What settling one entry (or all of them) came to. */
interface EntryStep {
  drift: Drift[];
  inFlight: InFlightApproval[];
  /** Whether a ledger was written. */
  wrote: boolean;
  /** The bid as last read or written by this step (a bid of this year). */
  bid?: Bid;
}

/**
 * Settle every entry that disagrees with its bid as the index shows it (only those are re-read).
 * Entries are settled one at a time, each seeing the bids the steps before it read or wrote.
 */
async function settleEntries(
  ctx: YearContext,
  ledgers: readonly Ledger[],
  indexed: ReadonlyMap<string, Bid>,
): Promise<Omit<EntryStep, 'bid'> & { bids: Map<string, Bid> }> {
  const bids = new Map(indexed);
  const drift: Drift[] = [];
  const inFlight: InFlightApproval[] = [];
  let wrote = false;
  for (const ledger of ledgers) {
    for (const [bidId, allocation] of Object.entries(ledger.allocations)) {
      const entry: LedgerEntry = { fy: ctx.fy, funder: ledger.funder, bidId, allocation };
      if (entryAgreesWithBid(bids.get(bidId), entry)) continue;
      const step = await settleEntry(ctx, entry);
      drift.push(...step.drift);
      inFlight.push(...step.inFlight);
      wrote = step.wrote || wrote;
      if (step.bid) bids.set(step.bid.id, step.bid);
    }
  }
  return { drift, inFlight, wrote, bids };
}

/** Re-read the bid and settle one disagreeing entry, looking again while the entry changes under us. */
async function settleEntry(ctx: YearContext, seen: LedgerEntry): Promise<EntryStep> {
  const { fy, funder, bidId } = seen;
  let allocation: LedgerAllocation | undefined = seen.allocation;
  let wrote = false;
  let bid: Bid | undefined;
  const repairs: Drift[] = [];
  // One entry may owe more than one roll forward (a release, and a return of underspend that
  // crashed after its bid write): each is finished in turn, then the entry is looked at again.
  for (let attempt = 0; attempt < ATTEMPTS + 2 && allocation; attempt++) {
    const entry: LedgerEntry = { ...seen, allocation };
    const stored = await ctx.deps.store.readBid(bidId);
    if (stored && stored.bid.fy === fy) bid = stored.bid;
    const ageMs = ctx.deps.now().getTime() - Date.parse(allocation.at);
    const verdict = classifyEntry({ ...entry, bid: stored?.bid, ageMs, graceMs: ctx.options.graceMs });
    if (!stored || !isRepair(verdict)) {
      const settled = settledAsIs(entry, verdict);
      return { drift: [...repairs, ...settled.drift], inFlight: settled.inFlight, wrote, bid };
    }
    const step = await repair(ctx, entry, verdict, stored);
    wrote = step.wrote || wrote;
    bid = step.bid ?? bid;
    repairs.push(...step.drift);
    if (step.done && verdict.kind === 'roll-back') return { drift: repairs, inFlight: [], wrote, bid };
    allocation = (await ctx.deps.store.getLedgers(fy)).find((l) => l.funder === funder)?.allocations[bidId];
  }
  const drift = allocation
    ? [unrepaired({ ...seen, allocation }, 'unexpected-allocation', `${funder}'s entry for ${bidId} kept changing; look again next run`)]
    : [];
  return { drift: [...repairs, ...drift], inFlight: [], wrote, bid };
}

type RepairVerdict = Extract<EntryVerdict, { kind: 'roll-forward' | 'roll-back' }>;

function isRepair(verdict: EntryVerdict): verdict is RepairVerdict {
  return verdict.kind === 'roll-forward' || verdict.kind === 'roll-back';
}

/** The verdicts reconcile writes nothing for: agreement, an approval in flight, drift for a person. */
function settledAsIs(entry: LedgerEntry, verdict: EntryVerdict): Pick<EntryStep, 'drift' | 'inFlight'> {
  const { fy, funder, bidId, allocation } = entry;
  if (verdict.kind === 'drift') return { drift: [unrepaired(entry, verdict.drift, verdict.detail)], inFlight: [] };
  if (verdict.kind === 'in-flight') {
    return { drift: [], inFlight: [{ fy, funder, bidId, sharePence: allocation.sharePence, since: allocation.at }] };
  }
  return { drift: [], inFlight: [] };
}

/** A repair's result: done = settled (else the entry changed: read it again and look again). */
interface RepairStep {
  drift: Drift[];
  wrote: boolean;
  done: boolean;
  bid?: Bid;
}

const LOOK_AGAIN: RepairStep = { drift: [], wrote: false, done: false };

async function repair(ctx: YearContext, entry: LedgerEntry, verdict: RepairVerdict, stored: StoredBid): Promise<RepairStep> {
  const { store } = ctx.deps;
  const { fy, funder, bidId, allocation } = entry;
  if (verdict.kind === 'roll-forward' && verdict.action === 'uncommit') {
    // Only the entry we saw (by its request id): never a share committed since.
    const out = await store.uncommitShare(fy, funder, bidId, allocation.requestId);
    if (out.kind !== 'uncommitted') return LOOK_AGAIN;
    const detail = `${bidId} is ${stored.bid.status}; its ${funder} share went back to the pot`;
    return { drift: [repaired(entry, 'closed-bid-share', out.sharePence, detail)], wrote: true, done: true };
  }
  if (verdict.kind === 'roll-forward' && verdict.action === 'return') return finishReturn(ctx, entry, stored.bid);
  if (verdict.kind === 'roll-forward') {
    const out = await store.releaseShare(fy, funder, bidId);
    if (out.kind === 'already-released') return { drift: [], wrote: false, done: true };
    if (out.kind !== 'released') return LOOK_AGAIN;
    const detail = `${bidId}: ${funder} released it; the ledger now says so too`;
    return { drift: [repaired(entry, 'unreleased-share', allocation.sharePence, detail)], wrote: true, done: true };
  }
  const { outcome, bid } = await rollBackApproval(ctx, funder, stored, allocation);
  const rolledBack = outcome === 'rolled-back';
  const detail = `${funder}'s approval of ${bidId} never reached the bid; rolled back`;
  const drift = rolledBack ? [repaired(entry, 'unfinished-approval', allocation.sharePence, detail)] : [];
  // 'changed': the entry changed hands or state: look again.
  return { drift, wrote: true, done: outcome !== 'changed', ...(bid ? { bid } : {}) };
}

/** A return of underspend the bid records but the ledger does not yet: give it back to the pot (docs/design.md §3.1). */
async function finishReturn(ctx: YearContext, entry: LedgerEntry, bid: Bid): Promise<RepairStep> {
  const { fy, funder, bidId, allocation } = entry;
  const fromPence = allocation.returnedPence ?? 0;
  const toPence = bid.returned?.[funder] ?? 0;
  const out = await ctx.deps.store.returnUnderspend(fy, funder, bidId, fromPence, toPence);
  if (out.kind === 'already-returned') return { drift: [], wrote: false, done: true };
  if (out.kind !== 'returned') return LOOK_AGAIN;
  const detail = `${bidId} records ${toPence}p of ${funder}'s share returned; its ledger now gives it back to the pot`;
  return { drift: [repaired(entry, 'unfinished-return', toPence - fromPence, detail)], wrote: true, done: true };
}

function repaired(entry: LedgerEntry, kind: DriftKind, pence: Pence, detail: string): Drift {
  return { fy: entry.fy, funder: entry.funder, bidId: entry.bidId, kind, pence, repaired: true, detail };
}

function unrepaired(entry: LedgerEntry, kind: DriftKind, detail: string): Drift {
  return { fy: entry.fy, funder: entry.funder, bidId: entry.bidId, kind, pence: entry.allocation.sharePence, repaired: false, detail };
}

// ---- Rolling back an approval that never reached its bid -----------------------------------

type RollBackOutcome = 'rolled-back' | 'completed' | 'changed';

/**
 * Roll back an approval whose request committed the share but never wrote the bid:
 *   1. take the entry (so the stale request can no longer settle it)
 *   2. fence the bid with a repair version (the stale request's bid write now conflicts),
 *      unless the approval did land meanwhile — then the entry is legitimate and stays
 *   3. give the share back   4. audit.
 * A crash after 2 is finished next run: the bid's last request is then the entry's own.
 * Returns the outcome and the bid version this wrote, if any.
 */
async function rollBackApproval(
  ctx: YearContext,
  funder: FunderId,
  stored: StoredBid,
  allocation: LedgerAllocation,
): Promise<{ outcome: RollBackOutcome; bid?: Bid }> {
  const { store } = ctx.deps;
  let current = stored;
  let repairId = allocation.requestId;
  let written: Bid | undefined;
  // A repair of ours wrote the bid, then stopped before giving the share back: finish it.
  const ourEarlierRepair = allocation.requestId.startsWith(REPAIR_PREFIX) && current.lastRequestId === allocation.requestId;
  if (!ourEarlierRepair) {
    repairId = `${REPAIR_PREFIX}${ctx.deps.newRequestId()}`;
    if (!(await store.takeAllocation(ctx.fy, funder, current.bid.id, allocation.requestId, repairId))) return { outcome: 'changed' };
    const fenced = await fenceBid(ctx, funder, current.bid.id, allocation, repairId);
    if (fenced === 'completed' || fenced === 'changed') return { outcome: fenced };
    current = fenced;
    if (current.lastRequestId !== repairId) return { outcome: 'changed' };
    written = current.bid;
  }
  const out = await store.uncommitShare(ctx.fy, funder, current.bid.id, repairId);
  await store.recordEvents(current.unrecorded);
  return { outcome: out.kind === 'uncommitted' ? 'rolled-back' : 'changed', ...(written ? { bid: written } : {}) };
}

/**
 * Step 2: write a repair version of the bid while it still awaits this funder. Returns the bid
 * as stored after (written by repairId, or as found when it had moved on to another state), or
 * 'completed' when the approval landed meanwhile, or 'changed'.
 */
async function fenceBid(
  ctx: YearContext,
  funder: FunderId,
  bidId: string,
  allocation: LedgerAllocation,
  repairId: string,
): Promise<StoredBid | 'completed' | 'changed'> {
  const { store } = ctx.deps;
  for (let attempt = 0; ; attempt++) {
    const current = await store.readBid(bidId);
    if (!current) return 'changed';
    const decision = current.bid.decisions[funder];
    if (decision === 'approved' || decision === 'released') return 'completed';
    if (current.bid.status !== 'recommended' || decision !== 'pending') return current; // settled by the next pass
    const at = ctx.deps.now().toISOString();
    const next: Bid = { ...current.bid, version: current.bid.version + 1, updatedAt: at, updatedBy: 'sync' };
    const outbox = [...current.unrecorded, repairEvent(current.bid, next, funder, allocation, repairId)];
    if ((await store.replaceBid(next, current.bid.version, outbox, repairId)) === 'written') {
      return { bid: next, lastRequestId: repairId, unrecorded: outbox };
    }
    if (attempt + 1 >= ATTEMPTS) return 'changed';
  }
}

function repairEvent(from: Bid, next: Bid, funder: FunderId, allocation: LedgerAllocation, repairId: string): AuditEvent {
  return {
    bidId: next.id,
    at: next.updatedAt,
    actor: 'sync',
    role: 'system',
    action: 'repair',
    from: from.status,
    to: next.status,
    version: next.version,
    funder,
    amounts: { sharePence: allocation.sharePence },
    reason: `rolled back an approval that never finished (request ${allocation.requestId})`,
    requestId: repairId,
  };
}

// ---- 3. Approved shares with no entry ------------------------------------------------------

async function findMissingEntries(ctx: YearContext, bids: readonly Bid[], ledgers: readonly Ledger[]): Promise<Drift[]> {
  const drift: Drift[] = [];
  for (const bid of bids) {
    // A withdrawn or declined bid keeps its decisions but rightly holds no share (classifyMissingEntry).
    for (const funder of FUNDER_IDS) {
      const entry = ledgers.find((l) => l.funder === funder)?.allocations[bid.id];
      if (!classifyMissingEntry(bid, funder, entry)) continue;
      const confirmed = await confirmMissingEntry(ctx, bid.id, funder);
      if (confirmed) drift.push(confirmed);
    }
  }
  return drift;
}

/** Re-read the bid and the ledger: is the entry still missing? */
async function confirmMissingEntry(ctx: YearContext, bidId: string, funder: FunderId): Promise<Drift | undefined> {
  const now = (await ctx.deps.store.readBid(bidId))?.bid;
  if (!now || !classifyMissingEntry(now, funder, undefined)) return undefined;
  const fresh = (await ctx.deps.store.getLedgers(ctx.fy)).find((l) => l.funder === funder);
  const missing = classifyMissingEntry(now, funder, fresh?.allocations[bidId]);
  if (!missing) return undefined;
  return { fy: ctx.fy, funder, bidId, kind: missing.kind, pence: missing.pence, repaired: false, detail: missing.detail };
}

// ---- 4. Totals ----------------------------------------------------------------------------

async function repairTotals(ctx: YearContext, ledgers: readonly Ledger[]): Promise<{ ledgers: Ledger[]; drift: Drift[] }> {
  const repairedLedgers: Ledger[] = [];
  const drift: Drift[] = [];
  for (const ledger of ledgers) {
    const result = await repairLedgerTotals(ctx, ledger);
    repairedLedgers.push(result.ledger);
    drift.push(...result.drift);
  }
  return { ledgers: repairedLedgers, drift };
}

/** Rewrite one ledger's totals from its entries (conditional on the ledger as read; re-read and retry). */
async function repairLedgerTotals(ctx: YearContext, seen: Ledger): Promise<{ ledger: Ledger; drift: Drift[] }> {
  const { store } = ctx.deps;
  let ledger = seen;
  for (let attempt = 0; ; attempt++) {
    const diff = ledgerTotalsDiff(ledger);
    if (!diff) return { ledger, drift: [] };
    const base = { fy: ctx.fy, funder: ledger.funder, kind: 'ledger-totals' as const, pence: diff.offPence };
    if (!diff.overCommitted && (await store.repairLedgerTotals(ledger, diff.totals)) === 'repaired') {
      return { ledger: { ...ledger, ...diff.totals }, drift: [{ ...base, repaired: true, detail: diff.detail }] };
    }
    const reread = (await store.getLedgers(ctx.fy)).find((l) => l.funder === ledger.funder);
    if (diff.overCommitted || attempt + 1 >= ATTEMPTS || !reread) {
      const why = diff.overCommitted ? 'more is committed than the pot holds' : 'the ledger kept changing';
      return { ledger, drift: [{ ...base, repaired: false, detail: `${diff.detail}: ${why}` }] };
    }
    ledger = reread;
  }
}

// ---- 5. Payments by instalment -------------------------------------------------------------

/**
 * The payment invariants of every entry (domain/ledger.ts paymentDrift; docs/design.md §3.1):
 * paid ≤ share, Σ parts = share, the bid and the ledger agree on what is paid. Reported for a
 * person, never rewritten: money that left the fund is not undone by a job.
 */
function checkPayments(
  ctx: YearContext,
  bids: ReadonlyMap<string, Bid>,
  ledgers: readonly Ledger[],
): { drift: Drift[]; /** When each payment still in its grace period was made. */ unsettled: string[] } {
  const now = ctx.deps.now().getTime();
  const unsettled: string[] = [];
  const settled = (at: string) => {
    const done = now - Date.parse(at) >= ctx.options.graceMs;
    if (!done) unsettled.push(at);
    return done;
  };
  const drift: Drift[] = [];
  for (const ledger of ledgers) {
    for (const [bidId, allocation] of Object.entries(ledger.allocations)) {
      const bid = bids.get(bidId);
      if (!bid || bid.fy !== ctx.fy) continue;
      for (const found of paymentDrift(bid, ledger.funder, allocation, settled)) {
        drift.push({
          fy: ctx.fy,
          funder: ledger.funder,
          bidId,
          kind: found.kind,
          pence: found.pence,
          repaired: false,
          detail: found.detail,
        });
      }
    }
  }
  return { drift, unsettled };
}
