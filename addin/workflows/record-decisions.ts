/**
 * Record decisions: the Decision cells of the Bids sheet sent as one decision batch (or several
 * of 1,000), each row with the version it was typed against, so a decision on a stale row comes
 * back a conflict rather than landing on a bid that changed.
 * read sheet → rows with a Decision, checked → API batches → re-read sheet → fold results → write
 */
import { readBidsSheet, writeBidsSheet } from '../excel/bids-sheet';
import { writeBudgetSheet } from '../excel/budget-sheet';
import { summariseBudget, type BudgetSummary } from '../sheet/budget-summary';
import {
  applyDecisionResults,
  decisionLists,
  selectDecisions,
  skippedNotes,
  type DecisionConflict,
  type DecisionOptions,
  type RecordedRow,
} from '../sheet/decision-plan';
import { sheetProposals, withChecks, type RowIssue } from '../sheet/sync-plan';
import { now, paymentsOf, requireYear, type WorkflowDeps } from './workflows';

export interface RecordResult {
  sent: number;
  recorded: number;
  conflicts: DecisionConflict[];
  refused: RowIssue[];
  /** Rows with a Decision not sent: each names the column to fix. */
  skipped: RowIssue[];
  /** Every sent row's outcome, in sheet order. */
  rows: RecordedRow[];
  summary: BudgetSummary | null;
  at: Date;
}

export async function recordDecisions(deps: WorkflowDeps, fy: string, options: DecisionOptions): Promise<RecordResult> {
  const cache = deps.cache.forYear(fy);
  deps.onProgress?.({ label: 'Reading your decisions…' });
  const selection = await deps.runExcel(async (context) => {
    const { snapshot, layout } = await readBidsSheet(context);
    requireYear(snapshot, fy);
    const selected = selectDecisions(snapshot, options);
    // Say in the Check column why a row was not sent, when nothing else is going to be written.
    if (selected.decisions.length === 0 && selected.skipped.length > 0) {
      const budget = await deps.client.budget(fy);
      const rows = withChecks(snapshot.rows, cache.bids, budget.costShare, skippedNotes(selected.skipped), cache.monitoring(now(deps)));
      await writeBidsSheet(context, { fy, rows, baseline: [...snapshot.baseline.values()] }, layout, { namespace: deps.namespace });
    }
    return selected;
  });
  const empty = { recorded: 0, conflicts: [], refused: [], rows: [], summary: null, at: now(deps) };
  if (selection.decisions.length === 0) return { sent: 0, skipped: selection.skipped, ...empty };

  deps.onProgress?.({ label: 'Recording decisions…', done: 0, total: selection.decisions.length });
  // If this throws, nothing was written: the Decision cells stay for the next try.
  const results = await deps.client.recordDecisions(selection.decisions, (done, total) =>
    deps.onProgress?.({ label: 'Recording decisions…', done, total }),
  );
  cache.remember(results.flatMap((r) => (r.bid ? [r.bid] : [])));
  const budget = await deps.client.budget(fy).catch(() => null);
  const outcome = await deps.runExcel(async (context) => {
    deps.onProgress?.({ label: 'Updating the Bids sheet…' });
    const { snapshot, layout } = await readBidsSheet(context);
    const folded = applyDecisionResults(fy, snapshot, selection.decisions, results);
    const notes = new Map([...skippedNotes(selection.skipped), ...folded.notes]);
    const rows = budget ? withChecks(folded.plan.rows, cache.bids, budget.costShare, notes, cache.monitoring(now(deps))) : folded.plan.rows;
    await writeBidsSheet(context, { ...folded.plan, rows }, layout, {
      namespace: deps.namespace,
      ...(deps.actor ? { decisionLists: decisionLists(deps.actor, rows, cache.bids, cache.declarations) } : {}),
    });
    const summary = budget ? summariseBudget(budget, sheetProposals(rows), paymentsOf(deps, cache.bids)) : null;
    if (summary) await writeBudgetSheet(context, summary, { readAt: now(deps) });
    return { folded, summary };
  });
  return {
    sent: selection.decisions.length,
    recorded: outcome.folded.recorded,
    conflicts: outcome.folded.conflicts,
    refused: outcome.folded.refused,
    skipped: selection.skipped,
    rows: outcome.folded.rows,
    summary: outcome.summary,
    at: now(deps),
  };
}
