/**
 * What the Bids sheet should hold after a pull, a push or a conflict choice, worked out in plain
 * TypeScript from what the sheet holds now. The rules that keep finance staff's work safe:
 * - an unsent edit (a proposal that differs from what was last pulled) is never overwritten;
 * - when the server changed a bid under an unsent edit, both values are kept and shown as a
 *   conflict until the user chooses;
 * - rows keep the order the user gave them; new bids go at the end.
 */
import type { MonitoringMessages } from './monitoring-checks';
import {
  BID_STATUSES,
  CHECK_NUMBERS,
  checkBid,
  fundedAmount,
  isLeadOrganisationId,
  isScope,
  PROPOSABLE_STATUSES,
  scopeChoicesText,
  splitAmount,
  formatPounds,
  type AllocationResult,
  type AllocationRow,
  type Bid,
  type BidStatus,
  type CostShare,
  type Pence,
  type SheetProposal,
} from '../../domain';
import { CHECK_OK } from './columns';
import { bidToRowData, hasDecision, proposalOf, type ProposedCell, type RowData } from './bid-rows';

/** What a row was when last pulled: the version an edit is based on and the server's proposal then. */
export interface BaselineEntry {
  id: string;
  version: number;
  proposedPence: Pence | null;
}

/** The sheet as read: rows in sheet order, the pulled baseline, and the year the sheet holds. */
export interface SheetSnapshot {
  fy: string | null;
  rows: RowData[];
  baseline: Map<string, BaselineEntry>;
}

/** What to write: every row in order and the baseline to keep beside it. */
export interface SheetPlan {
  fy: string;
  rows: RowData[];
  baseline: BaselineEntry[];
}

/** A bid the server changed under an unsent edit: both values, side by side, until the user chooses. */
export interface Conflict {
  bidId: string;
  title: string;
  localPence: Pence | null;
  serverPence: Pence | null;
  serverVersion: number;
  baseVersion: number;
  serverBid: Bid;
}

export interface RowIssue {
  bidId: string;
  title: string;
  message: string;
}

export class PlanError extends Error {
  constructor(
    readonly kind: 'unsent-other-year',
    message: string,
  ) {
    super(message);
    this.name = 'PlanError';
  }
}

export const samePence = (cell: ProposedCell, pence: Pence | null): boolean => cell.ok && cell.pence === pence;
const showPence = (pence: Pence | null): string => (pence === null ? 'blank' : formatPounds(pence));

/** The baseline of a row; without one (state lost), a row at the server's version is compared with the server. */
function baseOf(snapshot: SheetSnapshot, row: RowData, bid: Bid | undefined): BaselineEntry | undefined {
  const stored = snapshot.baseline.get(row.id);
  if (stored) return stored;
  if (bid && row.version === bid.version) return { id: row.id, version: bid.version, proposedPence: bid.proposedPence };
  return undefined;
}

/** Rows whose proposal differs from what was pulled: the work that must never be lost. */
export function unsentEdits(snapshot: SheetSnapshot): RowData[] {
  return snapshot.rows.filter((row) => {
    if (row.id === '') return false;
    const base = snapshot.baseline.get(row.id);
    return base !== undefined && !samePence(row.proposed, base.proposedPence);
  });
}

/** Merge a delta into the bids already known: a bid is replaced only by the same or a newer version. */
export function mergeByVersion(known: ReadonlyMap<string, Bid>, changed: readonly Bid[]): Map<string, Bid> {
  const merged = new Map(known);
  for (const bid of changed) {
    const current = merged.get(bid.id);
    if (!current || bid.version >= current.version) merged.set(bid.id, bid);
  }
  return merged;
}

function conflictMessage(conflict: Conflict): string {
  return `Conflict: the server has ${showPence(conflict.serverPence)} (version ${conflict.serverVersion}); yours is ${showPence(conflict.localPence)}. Choose in the Fundshare pane.`;
}

function conflictRow(row: RowData, server: Bid, base: BaselineEntry): { row: RowData; conflict: Conflict } {
  const conflict: Conflict = {
    bidId: server.id,
    title: server.title,
    localPence: row.proposed.ok ? row.proposed.pence : null,
    serverPence: server.proposedPence,
    serverVersion: server.version,
    baseVersion: base.version,
    serverBid: server,
  };
  // Show the server's other fields, but keep the user's proposal and the version it was made against.
  return { row: { ...bidToRowData(server, row.proposed, '', row.decision), version: base.version }, conflict };
}

/** Messages for the Check column that this operation decided (conflicts, refusals), by bid id. */
export type RowNotes = Map<string, string>;

export interface PullPlan {
  plan: SheetPlan;
  notes: RowNotes;
  conflicts: Conflict[];
  /** Unsent edits carried over onto the fresh data. */
  keptEdits: number;
  /** Rows kept from the sheet because they hold unsent edits for bids the server no longer lists in this year. */
  orphans: RowIssue[];
}

/**
 * Lay every bid of the year over the sheet. `bids` is the complete set for the year (a full pull,
 * or the known bids merged with a delta).
 */
export function planPull(fy: string, bids: readonly Bid[], snapshot: SheetSnapshot): PullPlan {
  const edits = unsentEdits(snapshot);
  if (snapshot.fy !== null && snapshot.fy !== fy && edits.length > 0) {
    throw new PlanError(
      'unsent-other-year',
      `The Bids sheet holds ${edits.length} unsent proposal${edits.length === 1 ? '' : 's'} for ${snapshot.fy}. Push them (choose ${snapshot.fy}) before pulling ${fy}.`,
    );
  }
  const sameYear = snapshot.fy === null || snapshot.fy === fy;
  const byId = new Map(bids.map((b) => [b.id, b]));
  const rows: RowData[] = [];
  const baseline: BaselineEntry[] = [];
  const conflicts: Conflict[] = [];
  const orphans: RowIssue[] = [];
  const notes: RowNotes = new Map();
  const placed = new Set<string>();
  let keptEdits = 0;

  for (const row of sameYear ? snapshot.rows : []) {
    if (row.id === '') {
      // A row the user added by hand: theirs to keep, never sent.
      if (hasContent(row)) rows.push(row);
      continue;
    }
    if (placed.has(row.id)) continue;
    const server = byId.get(row.id);
    const base = baseOf(snapshot, row, server);
    const edited = base !== undefined && !samePence(row.proposed, base.proposedPence);
    if (!server) {
      if (edited && base) {
        orphans.push({ bidId: row.id, title: row.title, message: `not in ${fy} on the server any more; the proposal was not sent` });
        rows.push(row);
        notes.set(row.id, `Not in ${fy} on the server any more; your proposal was not sent.`);
        baseline.push(base);
        placed.add(row.id);
      }
      continue;
    }
    placed.add(row.id);
    const fresh = (proposed?: ProposedCell) => keepDecision(bidToRowData(server, proposed), row, server, notes);
    if (!edited || !base) {
      rows.push(fresh());
      baseline.push({ id: server.id, version: server.version, proposedPence: server.proposedPence });
    } else if (server.version === base.version) {
      rows.push(fresh(row.proposed));
      baseline.push(base);
      keptEdits++;
    } else if (samePence(row.proposed, server.proposedPence)) {
      // Someone made the same change on the server: nothing left to send.
      rows.push(fresh());
      baseline.push({ id: server.id, version: server.version, proposedPence: server.proposedPence });
    } else {
      const { row: kept, conflict } = conflictRow(row, server, base);
      rows.push(kept);
      baseline.push(base);
      conflicts.push(conflict);
      notes.set(conflict.bidId, conflictMessage(conflict));
      keptEdits++;
    }
  }
  for (const bid of bids) {
    if (placed.has(bid.id)) continue;
    rows.push(bidToRowData(bid));
    baseline.push({ id: bid.id, version: bid.version, proposedPence: bid.proposedPence });
  }
  return { plan: { fy, rows, baseline }, notes, conflicts, keptEdits, orphans };
}

export const staleDecisionNote = (server: Bid): string =>
  `The bid changed on the server since you typed your decision (now ${server.status}, version ${server.version}): Record will report it as a conflict.`;

/**
 * A decision typed in the sheet survives a pull. Typed against an older version, the row keeps
 * that version, so Record sends it as it was made and the server reports the conflict: a pull
 * never silently moves a decision onto a bid that changed under it.
 */
function keepDecision(next: RowData, row: RowData, server: Bid, notes: RowNotes): RowData {
  if (!hasDecision(row)) return next;
  if (row.version !== null && row.version !== server.version) {
    if (!notes.has(row.id)) notes.set(row.id, staleDecisionNote(server));
    return { ...next, decision: row.decision, version: row.version };
  }
  return { ...next, decision: row.decision };
}

export interface PushSelection {
  /** Rows to send: the changed proposals, each with the version it was made against. */
  allocations: AllocationRow[];
  /** Changed rows that cannot be sent as they stand (not an amount, no version). */
  skipped: RowIssue[];
}

/** Only the changed rows, with their versions. */
export function selectPush(snapshot: SheetSnapshot): PushSelection {
  const allocations: AllocationRow[] = [];
  const skipped: RowIssue[] = [];
  for (const row of unsentEdits(snapshot)) {
    const base = snapshot.baseline.get(row.id) as BaselineEntry;
    if (!row.proposed.ok) {
      skipped.push({ bidId: row.id, title: row.title, message: row.proposed.message });
      continue;
    }
    allocations.push({ bidId: row.id, version: base.version, proposedPence: row.proposed.pence });
  }
  return { allocations, skipped };
}

export interface PushOutcome {
  plan: SheetPlan;
  notes: RowNotes;
  saved: number;
  conflicts: Conflict[];
  refused: RowIssue[];
}

/**
 * Fold the per-row results of a push into the sheet as re-read after the push (so anything typed
 * while the push ran is kept as a new unsent edit).
 */
export function applyPushResults(
  fy: string,
  snapshot: SheetSnapshot,
  sent: readonly AllocationRow[],
  results: readonly AllocationResult[],
): PushOutcome {
  const sentById = new Map(sent.map((row) => [row.bidId, row]));
  const resultById = new Map(results.map((r) => [r.bidId, r]));
  const rows: RowData[] = [];
  const baseline: BaselineEntry[] = [];
  const conflicts: Conflict[] = [];
  const refused: RowIssue[] = [];
  const notes: RowNotes = new Map();
  let saved = 0;
  for (const row of snapshot.rows) {
    const base = snapshot.baseline.get(row.id);
    const result = resultById.get(row.id);
    const sentRow = sentById.get(row.id);
    if (!result || !sentRow || !base) {
      rows.push(row);
      if (base) baseline.push(base);
      continue;
    }
    if (result.status === 'ok' && result.bid) {
      saved++;
      const server = result.bid;
      const unchangedSinceSend = samePence(row.proposed, sentRow.proposedPence);
      const next = unchangedSinceSend ? bidToRowData(server) : bidToRowData(server, row.proposed);
      rows.push({ ...next, decision: row.decision });
      baseline.push({ id: server.id, version: server.version, proposedPence: server.proposedPence });
    } else if (result.status === 'version-conflict' && result.bid) {
      const { row: kept, conflict } = conflictRow(row, result.bid, base);
      rows.push(kept);
      baseline.push(base);
      conflicts.push(conflict);
      notes.set(conflict.bidId, conflictMessage(conflict));
    } else {
      const reason = result.reason ?? 'the service refused this row';
      refused.push({ bidId: row.id, title: row.title, message: reason });
      rows.push(row);
      notes.set(row.id, `Not saved: ${reason}`);
      baseline.push(base);
    }
  }
  return { plan: { fy, rows, baseline: dedupeBaseline(baseline) }, notes, saved, conflicts, refused };
}

/** The user's choice on one conflict: keep their value (re-based on the server's version) or take the server's. */
export function resolveConflict(snapshot: SheetSnapshot, fy: string, server: Bid, choice: 'keep-mine' | 'use-server'): SheetPlan {
  const rows = snapshot.rows.map((row) => {
    if (row.id !== server.id) return row;
    if (choice === 'use-server') return bidToRowData(server, undefined, '', row.decision);
    return bidToRowData(server, row.proposed, '', row.decision);
  });
  const baseline = [...snapshot.baseline.values()].map((entry) =>
    entry.id === server.id ? { id: server.id, version: server.version, proposedPence: server.proposedPence } : entry,
  );
  if (!snapshot.baseline.has(server.id)) baseline.push({ id: server.id, version: server.version, proposedPence: server.proposedPence });
  return { fy, rows, baseline };
}

export const NO_ID_NOTE = 'No ID: not a Fundshare bid, never sent';

export function hasContent(row: RowData): boolean {
  return row.title !== '' || row.requestedPence !== null || !row.proposed.ok || row.proposed.pence !== null || row.scope !== '';
}

export function dedupeBaseline(entries: BaselineEntry[]): BaselineEntry[] {
  return [...new Map(entries.map((e) => [e.id, e])).values()];
}

const isBidStatus = (value: string): value is BidStatus => (BID_STATUSES as readonly string[]).includes(value);

/** Checks 3–5 for one row as it stands in the sheet (with the user's proposal), as sentences. */
export function rowCheckMessages(row: RowData, bid: Bid | undefined, costShare: CostShare): string[] {
  const problems: string[] = [];
  if (!row.proposed.ok) problems.push(row.proposed.message);
  if (!isScope(row.scope)) problems.push(`scope must be ${scopeChoicesText()}`);
  if (!isLeadOrganisationId(row.leadOrganisation)) problems.push(`lead organisation "${row.leadOrganisation}" is not known`);
  if (row.requestedPence === null) problems.push('requested is not an amount in pounds');
  if (!isBidStatus(row.status)) problems.push(`status "${row.status}" is not known`);
  if (problems.length > 0 || !row.proposed.ok || !isScope(row.scope) || !isLeadOrganisationId(row.leadOrganisation)) return problems;
  if (row.requestedPence === null || !isBidStatus(row.status)) return problems;
  const amounts = { requestedPence: row.requestedPence, proposedPence: row.proposed.pence, recommendedPence: row.recommendedPence };
  // The server's shares when the row is as the server has it; else the split of the sheet's amount.
  const unchanged =
    bid && bid.proposedPence === amounts.proposedPence && bid.scope === row.scope && bid.recommendedPence === row.recommendedPence;
  const split = unchanged ? undefined : splitAmount(fundedAmount(amounts), row.scope, costShare);
  if (split && !split.ok) return [split.error.message];
  const findings = checkBid({
    id: row.id,
    leadOrganisation: row.leadOrganisation,
    scope: row.scope,
    ...amounts,
    costLines: bid?.costLines,
    shares: unchanged && bid ? bid.shares : split && split.ok ? split.value : {},
    status: row.status,
    decisions: bid?.decisions ?? {},
  });
  return findings.map((f) => `Check ${CHECK_NUMBERS[f.check]}: ${f.message}`);
}

/** Fill the Check column of every row; this operation's notes (conflicts, refusals) come first. */
export function withChecks(
  rows: readonly RowData[],
  bids: ReadonlyMap<string, Bid>,
  costShare: CostShare,
  notes: RowNotes = new Map(),
  /** Checks 7–8 per bid (monitoring-checks.ts), from the returns last read. */
  monitoring: MonitoringMessages = new Map(),
): RowData[] {
  return rows.map((row) => {
    const note = notes.get(row.id);
    if (note !== undefined) return { ...row, check: note };
    if (row.id === '') return { ...row, check: NO_ID_NOTE };
    const messages = [...rowCheckMessages(row, bids.get(row.id), costShare), ...(monitoring.get(row.id) ?? [])];
    return { ...row, check: messages.length === 0 ? CHECK_OK : messages.join('; ') };
  });
}

/** Proposals typed in the sheet for bids the board has not yet decided on (headroom check 6). */
export function sheetProposals(rows: readonly RowData[]): SheetProposal[] {
  const proposals: SheetProposal[] = [];
  for (const row of rows) {
    if (!row.proposed.ok || row.proposed.pence === null || !isScope(row.scope)) continue;
    if (!isBidStatus(row.status) || !PROPOSABLE_STATUSES.includes(row.status)) continue;
    proposals.push({ scope: row.scope, proposedPence: row.proposed.pence });
  }
  return proposals;
}

export { proposalOf };
