/**
 * Record decisions, in plain TypeScript: the Decision drop-down's choices per row, the rows to
 * send (checked here first, so a typo never reaches the server) and the server's per-row answers
 * folded back into the sheet. A row the server refused or found stale keeps its Decision cells.
 */
import {
  BID_ACTIONS,
  decisionChoices,
  decisionReferenceSchema,
  formatPounds,
  parsePounds,
  type Actor,
  type Bid,
  type BidAction,
  type DecisionOutcome,
  type DecisionResult,
  type DecisionRow,
  type Declaration,
} from '../../domain';
import { bidToRowData, hasDecision, NO_DECISION, type RowData } from './bid-rows';
import {
  dedupeBaseline,
  samePence,
  type BaselineEntry,
  type RowIssue,
  type RowNotes,
  type SheetPlan,
  type SheetSnapshot,
} from './sync-plan';

/** The Decision drop-down of each row: the actions this user may take on its bid ([] for none, or a row the pane has not read). */
export function decisionLists(
  actor: Actor,
  rows: readonly RowData[],
  bids: ReadonlyMap<string, Bid>,
  declarations: readonly Declaration[] = [],
): string[][] {
  return rows.map((row) => {
    const bid = bids.get(row.id);
    // A row showing an older version than the bid (a stale decision kept) offers nothing new.
    return bid && (row.version === null || row.version === bid.version) ? decisionChoices(actor, bid, declarations) : [];
  });
}

export interface DecisionOptions {
  /** The user ticked "I confirm the register of interests was checked" in the pane. */
  interestsConfirmed: boolean;
}

export interface DecisionSelection {
  decisions: DecisionRow[];
  /** Rows with a Decision that cannot be sent as they stand, each naming the column to fix. */
  skipped: RowIssue[];
}

const isBidAction = (value: string): value is BidAction => (BID_ACTIONS as readonly string[]).includes(value);

export const CONFIRM_INTERESTS_LABEL = 'I confirm the register of interests was checked';

/** One row's decision as the API takes it, or why it cannot be sent. */
function decisionOf(row: RowData, options: DecisionOptions): DecisionRow | string {
  const { action, amount, reference } = row.decision;
  if (!isBidAction(action)) return `Decision: "${action}" is not a decision; choose one from the cell's drop-down`;
  if (row.version === null) return 'Version is blank: pull the bids, then type the decision again';
  const decision: DecisionRow = { bidId: row.id, version: row.version, action };
  const amountBlank = amount === '' || (typeof amount === 'string' && amount.trim() === '');
  if (action === 'recommend') {
    if (amountBlank) return 'Decision £: recommend needs the amount in pounds';
    const pence = typeof amount === 'boolean' ? null : parsePounds(amount, { allowZero: false });
    if (!pence || !pence.ok) return `Decision £ ${pence ? pence.error.message : 'must be an amount in pounds'}`;
    decision.amountPence = pence.value;
  } else if (!amountBlank) {
    return `Decision £ is only for recommend; clear it for ${action}`;
  }
  if (reference !== '') {
    const parsed = decisionReferenceSchema.safeParse(reference);
    if (!parsed.success) return `Reference ${parsed.error.issues[0]?.message ?? 'is not valid'}`;
    decision.reference = parsed.data;
  }
  if (action === 'approve') {
    if (!options.interestsConfirmed)
      return `Decision: approve was not sent; tick "${CONFIRM_INTERESTS_LABEL}" in the pane, then Record again`;
    decision.interestsConfirmed = true;
  }
  return decision;
}

/** The rows with a Decision filled, checked: those to send, and those to fix first. */
export function selectDecisions(snapshot: SheetSnapshot, options: DecisionOptions): DecisionSelection {
  const decisions: DecisionRow[] = [];
  const skipped: RowIssue[] = [];
  for (const row of snapshot.rows) {
    if (row.id === '' || !hasDecision(row)) continue;
    const decision = decisionOf(row, options);
    if (typeof decision === 'string') skipped.push({ bidId: row.id, title: row.title, message: decision });
    else decisions.push(decision);
  }
  return { decisions, skipped };
}

/** A decision typed against a version the bid has left: what was typed beside what the server holds now. */
export interface DecisionConflict {
  bidId: string;
  title: string;
  yours: string;
  server: string;
  serverBid: Bid;
}

/** One sent row's outcome, for the pane. */
export interface RecordedRow {
  bidId: string;
  title: string;
  outcome: DecisionOutcome;
  message: string;
}

export interface DecisionOutcomeFold {
  plan: SheetPlan;
  notes: RowNotes;
  recorded: number;
  conflicts: DecisionConflict[];
  refused: RowIssue[];
  rows: RecordedRow[];
}

export const describeDecision = (d: DecisionRow): string =>
  `${d.action}${d.amountPence !== undefined ? ` ${formatPounds(d.amountPence)}` : ''}${d.reference ? ` (${d.reference})` : ''} on version ${d.version}`;

const describeBid = (bid: Bid): string =>
  `${bid.status}${bid.recommendedPence !== null ? ` ${formatPounds(bid.recommendedPence)}` : ''}, version ${bid.version}`;

/** Mark the rows that were not sent in the Check column, so the sheet says what to fix. */
export function skippedNotes(skipped: readonly RowIssue[]): RowNotes {
  return new Map(skipped.map((s) => [s.bidId, `Decision not sent: ${s.message}`]));
}

/**
 * Fold the per-row answers into the sheet as re-read after sending: a recorded row takes the
 * returned bid and its Decision cells are cleared; a conflict shows the server's bid and keeps
 * the decision for the user to look at again; a refusal keeps the row as it was.
 */
export function applyDecisionResults(
  fy: string,
  snapshot: SheetSnapshot,
  sent: readonly DecisionRow[],
  results: readonly DecisionResult[],
): DecisionOutcomeFold {
  const sentById = new Map(sent.map((d) => [d.bidId, d]));
  const resultById = new Map(results.map((r) => [r.bidId, r]));
  const rows: RowData[] = [];
  const baseline: BaselineEntry[] = [];
  const notes: RowNotes = new Map();
  const conflicts: DecisionConflict[] = [];
  const refused: RowIssue[] = [];
  const recordedRows: RecordedRow[] = [];
  let recorded = 0;
  for (const row of snapshot.rows) {
    const base = snapshot.baseline.get(row.id);
    const result = resultById.get(row.id);
    const decision = sentById.get(row.id);
    if (!result || !decision) {
      rows.push(row);
      if (base) baseline.push(base);
      continue;
    }
    // A proposal typed but not pushed stays an unsent edit on the fresh row.
    const edited = base !== undefined && !samePence(row.proposed, base.proposedPence);
    const server = result.bid;
    const take = (bid: Bid, keep: boolean) => {
      rows.push(bidToRowData(bid, edited ? row.proposed : undefined, '', keep ? row.decision : NO_DECISION));
      baseline.push(edited && base ? base : { id: bid.id, version: bid.version, proposedPence: bid.proposedPence });
    };
    if (result.status === 'ok' && server) {
      recorded++;
      take(server, false);
      recordedRows.push({ bidId: row.id, title: row.title, outcome: 'ok', message: `now ${describeBid(server)}` });
    } else if (result.status === 'version-conflict' && server) {
      const conflict = {
        bidId: row.id,
        title: row.title,
        yours: describeDecision(decision),
        server: describeBid(server),
        serverBid: server,
      };
      conflicts.push(conflict);
      take(server, true);
      const message = `the bid changed on the server (now ${conflict.server}); your ${conflict.yours} was not recorded. Check it and Record again.`;
      notes.set(row.id, `Conflict: ${message}`);
      recordedRows.push({ bidId: row.id, title: row.title, outcome: result.status, message });
    } else {
      const reason = result.reason ?? 'the service refused this decision';
      refused.push({ bidId: row.id, title: row.title, message: `${decision.action} not recorded: ${reason}` });
      rows.push(row);
      if (base) baseline.push(base);
      notes.set(row.id, `Decision not recorded: ${reason}`);
      recordedRows.push({ bidId: row.id, title: row.title, outcome: result.status, message: reason });
    }
  }
  return { plan: { fy, rows, baseline: dedupeBaseline(baseline) }, notes, recorded, conflicts, refused, rows: recordedRows };
}
