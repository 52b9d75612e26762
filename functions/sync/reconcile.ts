/**
 * Reconcile one financial year (DESIGN §3, §7): the ledgers against the bids.
 *
 *   bids (index) → outboxes of recently changed bids whose audit copy is missing, copied over
 *     → ledgers → each allocation that does not match its bid is re-read and repaired:
 *         closed bid still holding a share → uncommit (roll forward)
 *         released decision, committed entry → release (roll forward)
 *         approval that never reached the bid, past the grace period → roll back
 *           (take the entry → fence the bid with a repair version → uncommit → audit)
 *         anything else (share ≠ bid, entry for no bid) → drift that needs a person
 *     → approved shares with no entry → drift that needs a person
 *     → totals recomputed from the entries; wrong totals rewritten (conditional)
 *
 * Every repair is re-checked against a consistent read of the bid first: the index may lag.
 */
import { FUNDER_IDS, type AuditEvent, type Bid, type FunderId, type Pence } from '../../domain';
import type { Ledger, LedgerAllocation } from '../store/types';
import { inParallel } from '../concurrency';
import type { UseCaseDeps } from '../use-cases/deps';
import { settleActions, SHARE_FREE_STATUSES } from '../use-cases/settle';

export type DriftKind =
  | 'closed-bid-share'
  | 'unreleased-share'
  | 'unfinished-approval'
  | 'missing-allocation'
  | 'share-mismatch'
  | 'orphan-allocation'
  | 'unexpected-allocation'
  | 'ledger-totals';

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

/** Committed = every share on the ledger, released = those paid out, remaining = pot − committed. */
export function ledgerTotals(ledger: Ledger): Pick<Ledger, 'committedPence' | 'releasedPence' | 'remainingPence'> {
  let committedPence = 0;
  let releasedPence = 0;
  for (const allocation of Object.values(ledger.allocations)) {
    committedPence += allocation.sharePence;
    if (allocation.state === 'released') releasedPence += allocation.sharePence;
  }
  return { committedPence, releasedPence, remainingPence: ledger.potPence - committedPence };
}

/** Does the entry agree with the bid as the index shows it? (Only disagreements are re-read.) */
function agrees(bid: Bid | undefined, fy: string, funder: FunderId, allocation: LedgerAllocation): boolean {
  if (!bid || bid.fy !== fy || bid.shares[funder] !== allocation.sharePence) return false;
  const decision = bid.decisions[funder];
  if (allocation.state === 'committed') return decision === 'approved' && (bid.status === 'approved' || bid.status === 'recommended');
  return decision === 'released' && (bid.status === 'approved' || bid.status === 'released');
}

export async function reconcileYear(
  deps: UseCaseDeps,
  fy: string,
  indexBids: readonly Bid[],
  options: ReconcileOptions,
): Promise<YearReconcile> {
  const { store } = deps;
  const bids = new Map(indexBids.map((b) => [b.id, b]));
  const drift: Drift[] = [];
  const inFlight: InFlightApproval[] = [];
  let eventsRecorded = 0;
  let touched = false;

  // 1. Outboxes: a crash between a bid write and its audit copy leaves events unrecorded. One
  //    batched look for the audit item of each changed bid's version finds the few that lack it;
  //    only those are read whole. (A version the index has not caught up with is changed after
  //    outboxCheckFrom, so the next pass, whose window overlaps this one, looks at it again.)
  const changed = indexBids.filter((b) => options.outboxCheckFrom === undefined || b.updatedAt >= options.outboxCheckFrom);
  const unrecorded = await store.versionsWithoutAudit(changed.map((b) => ({ bidId: b.id, version: b.version })));
  await inParallel(unrecorded, options.concurrency ?? 16, async ({ bidId }) => {
    const stored = await store.readBid(bidId);
    if (!stored) return;
    if (stored.bid.fy === fy) bids.set(bidId, stored.bid);
    if (stored.unrecorded.length > 0) {
      await store.recordEvents(stored.unrecorded);
      eventsRecorded += stored.unrecorded.length;
    }
  });

  // 2. Entries that disagree with their bids. Ledgers are read after the bids, so an approval
  //    the index shows has its entry in what we read (the entry is written before the bid).
  let ledgers = await store.getLedgers(fy);
  for (const ledger of ledgers) {
    for (const [bidId, allocation] of Object.entries(ledger.allocations)) {
      if (agrees(bids.get(bidId), fy, ledger.funder, allocation)) continue;
      touched = (await examine(ledger.funder, bidId, allocation)) || touched;
    }
  }

  // 3. Approved or released shares with no entry: money the ledger does not know about.
  if (touched) ledgers = await store.getLedgers(fy);
  for (const bid of [...bids.values()]) {
    // A withdrawn or declined bid keeps its decisions but rightly holds no share.
    if (SHARE_FREE_STATUSES.has(bid.status)) continue;
    for (const funder of FUNDER_IDS) {
      const decision = bid.decisions[funder];
      if (decision !== 'approved' && decision !== 'released') continue;
      if (ledgers.find((l) => l.funder === funder)?.allocations[bid.id]) continue;
      const stored = await store.readBid(bid.id);
      const now = stored?.bid;
      if (!now || SHARE_FREE_STATUSES.has(now.status) || (now.decisions[funder] !== 'approved' && now.decisions[funder] !== 'released'))
        continue;
      const fresh = (await store.getLedgers(fy)).find((l) => l.funder === funder);
      if (fresh?.allocations[bid.id]) continue;
      drift.push({
        fy,
        funder,
        bidId: bid.id,
        kind: 'missing-allocation',
        pence: now.shares[funder] ?? 0,
        repaired: false,
        detail: `${funder} ${now.decisions[funder]} ${bid.id} but its ledger holds no share for it`,
      });
    }
  }

  // 4. Totals from the entries (step 3 wrote nothing: the ledgers read for it are current).
  const finalLedgers: Ledger[] = [];
  for (let ledger of ledgers) {
    for (let attempt = 0; ; attempt++) {
      const totals = ledgerTotals(ledger);
      const off =
        Math.abs(totals.committedPence - ledger.committedPence) +
        Math.abs(totals.releasedPence - ledger.releasedPence) +
        Math.abs(totals.remainingPence - ledger.remainingPence);
      if (off === 0) break;
      const detail = `stored committed/released/remaining ${ledger.committedPence}/${ledger.releasedPence}/${ledger.remainingPence}p, entries say ${totals.committedPence}/${totals.releasedPence}/${totals.remainingPence}p`;
      if (totals.remainingPence >= 0 && (await store.repairLedgerTotals(ledger, totals)) === 'repaired') {
        drift.push({ fy, funder: ledger.funder, kind: 'ledger-totals', pence: off, repaired: true, detail });
        ledger = { ...ledger, ...totals };
        break;
      }
      const reread = (await store.getLedgers(fy)).find((l) => l.funder === ledger.funder);
      if (totals.remainingPence < 0 || attempt + 1 >= ATTEMPTS || !reread) {
        drift.push({
          fy,
          funder: ledger.funder,
          kind: 'ledger-totals',
          pence: off,
          repaired: false,
          detail: totals.remainingPence < 0 ? `${detail}: more is committed than the pot holds` : `${detail}: the ledger kept changing`,
        });
        break;
      }
      ledger = reread;
    }
    finalLedgers.push(ledger);
  }

  const recheck = inFlight.map((a) => Date.parse(a.since) + options.graceMs).sort((a, b) => a - b)[0];
  return {
    fy,
    bids: [...bids.values()].filter((b) => b.fy === fy),
    ledgers: finalLedgers,
    drift,
    inFlight,
    eventsRecorded,
    ...(recheck !== undefined ? { recheckAfter: new Date(recheck).toISOString() } : {}),
  };

  /** Re-read the bid and settle one disagreeing entry. Returns whether the ledger was written. */
  async function examine(funder: FunderId, bidId: string, seen: LedgerAllocation): Promise<boolean> {
    let allocation: LedgerAllocation | undefined = seen;
    let wrote = false;
    for (let attempt = 0; attempt < ATTEMPTS && allocation; attempt++) {
      const stored = await store.readBid(bidId);
      if (!stored || stored.bid.fy !== fy) {
        drift.push(
          unrepaired('orphan-allocation', `${funder}'s ledger holds ${allocation.sharePence}p for ${bidId}, which is not a bid of ${fy}`),
        );
        return wrote;
      }
      const bid = stored.bid;
      bids.set(bid.id, bid);
      const decision = bid.decisions[funder];
      const [action] = settleActions(bid, [{ ...emptyLedger(fy, funder), allocations: { [bidId]: allocation } }]);

      if (action?.kind === 'uncommit') {
        // Only the entry we saw (by its request id): never a share committed since.
        const out = await store.uncommitShare(fy, funder, bidId, allocation.requestId);
        if (out.kind === 'uncommitted') {
          drift.push(repaired('closed-bid-share', out.sharePence, `${bidId} is ${bid.status}; its ${funder} share went back to the pot`));
          return true;
        }
      } else if (action?.kind === 'release') {
        const out = await store.releaseShare(fy, funder, bidId);
        if (out.kind === 'released') {
          drift.push(repaired('unreleased-share', allocation.sharePence, `${bidId}: ${funder} released it; the ledger now says so too`));
          return true;
        }
        if (out.kind === 'already-released') return wrote;
      } else if (bid.status === 'recommended' && decision === 'pending' && allocation.state === 'committed') {
        const age = deps.now().getTime() - Date.parse(allocation.at);
        if (age < options.graceMs) {
          inFlight.push({ fy, funder, bidId, sharePence: allocation.sharePence, since: allocation.at });
          return wrote;
        }
        const outcome = await rollBackApproval(funder, stored, allocation);
        if (outcome === 'rolled-back') {
          drift.push(
            repaired('unfinished-approval', allocation.sharePence, `${funder}'s approval of ${bidId} never reached the bid; rolled back`),
          );
          return true;
        }
        if (outcome === 'completed') return true;
        wrote = true; // the entry changed hands or state: look again
      } else {
        if (bid.shares[funder] !== allocation.sharePence) {
          drift.push(
            unrepaired(
              'share-mismatch',
              `${funder}'s ledger holds ${allocation.sharePence}p for ${bidId} but the bid's share is ${bid.shares[funder] ?? 0}p`,
            ),
          );
        } else if (!agrees(bid, fy, funder, allocation)) {
          drift.push(
            unrepaired(
              'unexpected-allocation',
              `${funder}'s entry for ${bidId} is ${allocation.state} but the bid is ${bid.status} (${decision ?? 'no decision'})`,
            ),
          );
        }
        return wrote;
      }
      allocation = (await store.getLedgers(fy)).find((l) => l.funder === funder)?.allocations[bidId];
    }
    if (allocation) drift.push(unrepaired('unexpected-allocation', `${funder}'s entry for ${bidId} kept changing; look again next run`));
    return wrote;

    function repaired(kind: DriftKind, pence: Pence, detail: string): Drift {
      return { fy, funder, bidId, kind, pence, repaired: true, detail };
    }
    function unrepaired(kind: DriftKind, detail: string): Drift {
      return { fy, funder, bidId, kind, pence: allocation?.sharePence ?? 0, repaired: false, detail };
    }
  }

  /**
   * Roll back an approval whose request committed the share but never wrote the bid:
   *   1. take the entry (so the stale request can no longer settle it)
   *   2. fence the bid with a repair version (the stale request's bid write now conflicts),
   *      unless the approval did land meanwhile — then the entry is legitimate and stays
   *   3. give the share back   4. audit.
   * A crash after 2 is finished next run: the bid's last request is then the entry's own.
   */
  async function rollBackApproval(
    funder: FunderId,
    stored: NonNullable<Awaited<ReturnType<UseCaseDeps['store']['readBid']>>>,
    allocation: LedgerAllocation,
  ): Promise<'rolled-back' | 'completed' | 'changed'> {
    let current = stored;
    let repairId = allocation.requestId;
    // A repair of ours wrote the bid, then stopped before giving the share back: finish it.
    const ourEarlierRepair = allocation.requestId.startsWith(REPAIR_PREFIX) && current.lastRequestId === allocation.requestId;
    if (!ourEarlierRepair) {
      repairId = `${REPAIR_PREFIX}${deps.newRequestId()}`;
      if (!(await store.takeAllocation(fy, funder, current.bid.id, allocation.requestId, repairId))) return 'changed';
      for (let attempt = 0; ; attempt++) {
        const latest = await store.readBid(current.bid.id);
        if (!latest) return 'changed';
        current = latest;
        const decision = current.bid.decisions[funder];
        if (decision === 'approved' || decision === 'released') return 'completed';
        if (current.bid.status !== 'recommended' || decision !== 'pending') break; // settled by the next pass
        const at = deps.now().toISOString();
        const next: Bid = { ...current.bid, version: current.bid.version + 1, updatedAt: at, updatedBy: 'sync' };
        const event: AuditEvent = {
          bidId: next.id,
          at,
          actor: 'sync',
          role: 'system',
          action: 'repair',
          from: current.bid.status,
          to: next.status,
          version: next.version,
          funder,
          amounts: { sharePence: allocation.sharePence },
          reason: `rolled back an approval that never finished (request ${allocation.requestId})`,
          requestId: repairId,
        };
        const outbox = [...current.unrecorded, event];
        if ((await store.replaceBid(next, current.bid.version, outbox, repairId)) === 'written') {
          current = { bid: next, lastRequestId: repairId, unrecorded: outbox };
          bids.set(next.id, next);
          break;
        }
        if (attempt + 1 >= ATTEMPTS) return 'changed';
      }
      if (current.lastRequestId !== repairId) return 'changed';
    }
    const out = await store.uncommitShare(fy, funder, current.bid.id, repairId);
    await store.recordEvents(current.unrecorded);
    return out.kind === 'uncommitted' ? 'rolled-back' : 'changed';
  }
}

function emptyLedger(fy: string, funder: FunderId): Ledger {
  return { fy, funder, potPence: 0, committedPence: 0, releasedPence: 0, remainingPence: 0, allocations: {} };
}
