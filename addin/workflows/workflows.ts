/**
 * What the pane's buttons do, end to end: API ↔ pure plan ↔ Excel adapters. Excel is reached
 * only through `runExcel` (Excel.run in the add-in, a mocked context in tests).
 * pull:  API (full or delta) → read sheet → plan (keep unsent edits, find conflicts) → checks → write
 * push:  read sheet → changed rows only → API batch → re-read sheet → fold results → write
 * record decisions: record-decisions.ts, the same shape as push
 * payments: payments-pull.ts (with every pull) and payments.ts (releases)
 */
import { describeRepeat, repeatedBids, type Actor, type Bid, type Budget, type Declaration, type MonitoringReturn } from '../../domain';
import type { FundshareClient } from '../api/client';
import { readBidsSheet, writeBidsSheet } from '../excel/bids-sheet';
import { writeBudgetSheet } from '../excel/budget-sheet';
import { writePanelSheet } from '../excel/panel-sheet';
import { monitoringMessages, type MonitoringMessages } from '../sheet/monitoring-checks';
import { panelLayout } from '../sheet/panel-layout';
import { summariseBudget, type BudgetSummary } from '../sheet/budget-summary';
import { paymentTotals, type PaymentTotals } from '../sheet/payment-rows';
import { writePayments } from './payments-pull';
import { CHECK_OK } from '../sheet/columns';
import { decisionLists } from '../sheet/decision-plan';
import type { RowData } from '../sheet/bid-rows';
import {
  applyPushResults,
  mergeByVersion,
  planPull,
  resolveConflict,
  selectPush,
  sheetProposals,
  withChecks,
  type Conflict,
  type RowIssue,
  type SheetSnapshot,
} from '../sheet/sync-plan';

export type RunExcel = <T>(work: (context: Excel.RequestContext) => Promise<T>) => Promise<T>;

export interface Progress {
  label: string;
  done?: number;
  total?: number;
}

/** The bids this pane has seen for one year, and the token for the next delta pull. */
export class BidCache {
  fy: string | null = null;
  bids = new Map<string, Bid>();
  syncToken: string | null = null;
  /** The year's declarations of interest, read with each pull by a board member (for the Decision drop-downs). */
  declarations: Declaration[] = [];
  /** The year's monitoring returns, read with each pull and check (for checks 7–8). */
  returns: MonitoringReturn[] = [];
  /** Days after a quarter's end its return is due, from the year's budget (check 7); the default until read. */
  returnDueDays: number | undefined = undefined;

  forYear(fy: string): this {
    if (this.fy !== fy) {
      this.fy = fy;
      this.bids = new Map();
      this.syncToken = null;
      this.declarations = [];
      this.returns = [];
      this.returnDueDays = undefined;
    }
    return this;
  }

  /** Checks 7–8 per bid over the bids and returns last read, as of today. */
  monitoring(today: Date): MonitoringMessages {
    return monitoringMessages(this.bids.values(), this.returns, today, this.returnDueDays);
  }

  remember(bids: readonly Bid[]): void {
    this.bids = mergeByVersion(this.bids, bids);
  }
}

export interface WorkflowDeps {
  client: FundshareClient;
  runExcel: RunExcel;
  /** The custom functions namespace written into the share formulas. */
  namespace: string;
  cache: BidCache;
  onProgress?: (progress: Progress) => void;
  now?: () => Date;
  /** The signed-in user, for the Decision drop-downs (without one, pulls write none). */
  actor?: Actor;
}

export class WorkflowError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WorkflowError';
  }
}

export interface PullResult {
  bids: number;
  delta: boolean;
  conflicts: Conflict[];
  keptEdits: number;
  orphans: RowIssue[];
  failedChecks: number;
  /** Open bids of the year that repeat the project of an earlier one (a corrected plan sent again?). */
  repeats: RowIssue[];
  summary: BudgetSummary;
  at: Date;
}

/** The year's repeated projects (domain/repeats.ts), as rows needing a person's look. */
const repeatsOf = (bids: Iterable<Bid>): RowIssue[] =>
  repeatedBids(bids).map((r) => ({ bidId: r.bidId, title: r.title, message: describeRepeat(r) }));

const failedChecks = (rows: readonly RowData[]) => rows.filter((r) => r.check !== '' && r.check !== CHECK_OK).length;

export async function pullBids(deps: WorkflowDeps, fy: string): Promise<PullResult> {
  const cache = deps.cache.forYear(fy);
  const delta = cache.syncToken !== null;
  deps.onProgress?.({ label: delta ? 'Reading changes from Fundshare…' : 'Reading bids from Fundshare…' });
  const board = deps.actor?.roles.includes('board') === true;
  const [page, budget, declarations, returns] = await Promise.all([
    deps.client.listBids(fy, {
      ...(cache.syncToken ? { since: cache.syncToken } : {}),
      onPage: ({ bids }) => deps.onProgress?.({ label: `Read ${bids} bids…` }),
    }),
    deps.client.budget(fy),
    board ? deps.client.declarations(fy) : Promise.resolve([]),
    deps.client.yearReturns(fy),
  ]);
  cache.remember(page.bids);
  cache.declarations = declarations;
  cache.returns = returns;
  cache.returnDueDays = budget.returnDueDays;
  const all = [...cache.bids.values()];
  const outcome = await deps.runExcel(async (context) => {
    deps.onProgress?.({ label: 'Reading the Bids sheet…' });
    const { snapshot, layout } = await readBidsSheet(context);
    const pulled = planPull(fy, all, snapshot);
    const rows = withChecks(pulled.plan.rows, cache.bids, budget.costShare, pulled.notes, cache.monitoring(now(deps)));
    deps.onProgress?.({ label: 'Writing the Bids sheet…', done: 0, total: rows.length });
    await writeBidsSheet(context, { ...pulled.plan, rows }, layout, {
      namespace: deps.namespace,
      ...(deps.actor ? { decisionLists: decisionLists(deps.actor, rows, cache.bids, cache.declarations) } : {}),
      onProgress: (done, total) => deps.onProgress?.({ label: 'Writing the Bids sheet…', done, total }),
    });
    const summary = summariseBudget(budget, sheetProposals(rows), paymentsOf(deps, cache.bids));
    await writeBudgetSheet(context, summary, { readAt: now(deps) });
    deps.onProgress?.({ label: 'Writing the Payments sheet…' });
    await writePayments(context, cache.bids, deps.actor);
    return { pulled, rows, summary };
  });
  // Only once the sheet holds them: a failed write leaves the next pull a full one.
  cache.syncToken = page.syncToken;
  return {
    bids: all.length,
    delta,
    conflicts: outcome.pulled.conflicts,
    keptEdits: outcome.pulled.keptEdits,
    orphans: outcome.pulled.orphans,
    failedChecks: failedChecks(outcome.rows),
    repeats: repeatsOf(all),
    summary: outcome.summary,
    at: now(deps),
  };
}

export interface CheckResult {
  rows: number;
  failed: { bidId: string; title: string; message: string }[];
  /** As in PullResult, from the bids last read from Fundshare. */
  repeats: RowIssue[];
  summary: BudgetSummary;
}

export function requireYear(snapshot: SheetSnapshot, fy: string): void {
  if (snapshot.fy !== null && snapshot.fy !== fy) {
    throw new WorkflowError(`The Bids sheet holds ${snapshot.fy}, not ${fy}: choose ${snapshot.fy} or pull ${fy} first.`);
  }
  if (snapshot.fy === null && snapshot.rows.length === 0) throw new WorkflowError('The Bids sheet is empty: pull bids first.');
}

/** Budget checks 1–8 over the sheet as it stands (with the proposals typed in it; 7–8 from the year's returns). */
export async function checkSheet(deps: WorkflowDeps, fy: string): Promise<CheckResult> {
  deps.onProgress?.({ label: 'Reading the budget…' });
  const [budget, returns] = await Promise.all([deps.client.budget(fy), deps.client.yearReturns(fy)]);
  const cache = deps.cache.forYear(fy);
  cache.returns = returns;
  cache.returnDueDays = budget.returnDueDays;
  const bids = cache.bids;
  const monitoring = cache.monitoring(now(deps));
  return deps.runExcel(async (context) => {
    deps.onProgress?.({ label: 'Checking the Bids sheet…' });
    const { snapshot, layout } = await readBidsSheet(context);
    requireYear(snapshot, fy);
    const rows = withChecks(snapshot.rows, bids, budget.costShare, new Map(), monitoring);
    await writeBidsSheet(context, { fy, rows, baseline: [...snapshot.baseline.values()] }, layout, { namespace: deps.namespace });
    const summary = summariseBudget(budget, sheetProposals(rows), paymentsOf(deps, bids));
    await writeBudgetSheet(context, summary, { readAt: now(deps) });
    const failed = rows
      .filter((r) => r.check !== '' && r.check !== CHECK_OK)
      .map((r) => ({ bidId: r.id, title: r.title, message: r.check }));
    return { rows: rows.length, failed, repeats: repeatsOf(bids.values()), summary };
  });
}

export interface PushResult {
  sent: number;
  saved: number;
  conflicts: Conflict[];
  refused: RowIssue[];
  /** Changed rows not sent because they are not amounts. */
  skipped: RowIssue[];
  summary: BudgetSummary | null;
  at: Date;
}

/** Send only the changed proposals, with their versions; show conflicts, never overwrite them. */
export async function pushAllocations(deps: WorkflowDeps, fy: string): Promise<PushResult> {
  const cache = deps.cache.forYear(fy);
  deps.onProgress?.({ label: 'Reading your changes…' });
  const selection = await deps.runExcel(async (context) => {
    const { snapshot } = await readBidsSheet(context);
    requireYear(snapshot, fy);
    return selectPush(snapshot);
  });
  if (selection.allocations.length === 0) {
    return { sent: 0, saved: 0, conflicts: [], refused: [], skipped: selection.skipped, summary: null, at: now(deps) };
  }
  deps.onProgress?.({ label: 'Sending proposals…', done: 0, total: selection.allocations.length });
  // If this throws, nothing was written: the edits stay in the sheet, still unsent.
  const results = await deps.client.proposeAllocations(selection.allocations, (done, total) =>
    deps.onProgress?.({ label: 'Sending proposals…', done, total }),
  );
  cache.remember(results.flatMap((r) => (r.bid ? [r.bid] : [])));
  const budget = await deps.client.budget(fy).catch(() => null);
  const outcome = await deps.runExcel(async (context) => {
    deps.onProgress?.({ label: 'Updating the Bids sheet…' });
    const { snapshot, layout } = await readBidsSheet(context);
    const folded = applyPushResults(fy, snapshot, selection.allocations, results);
    const rows = budget
      ? withChecks(folded.plan.rows, cache.bids, budget.costShare, folded.notes, cache.monitoring(now(deps)))
      : folded.plan.rows;
    await writeBidsSheet(context, { ...folded.plan, rows }, layout, { namespace: deps.namespace });
    const summary = budget ? summariseBudget(budget, sheetProposals(rows), paymentsOf(deps, cache.bids)) : null;
    if (summary) await writeBudgetSheet(context, summary, { readAt: now(deps) });
    return { folded, summary };
  });
  return {
    sent: selection.allocations.length,
    saved: outcome.folded.saved,
    conflicts: outcome.folded.conflicts,
    refused: outcome.folded.refused,
    skipped: selection.skipped,
    summary: outcome.summary,
    at: now(deps),
  };
}

/** Settle one conflict: keep the sheet's value (re-based on the server's version) or take the server's. */
export async function settleConflict(deps: WorkflowDeps, fy: string, bidId: string, choice: 'keep-mine' | 'use-server'): Promise<Bid> {
  const server = await deps.client.bid(bidId);
  const budget = await deps.client.budget(fy);
  deps.cache.forYear(fy).remember([server]);
  await deps.runExcel(async (context) => {
    const { snapshot, layout } = await readBidsSheet(context);
    requireYear(snapshot, fy);
    const plan = resolveConflict(snapshot, fy, server, choice);
    const rows = withChecks(plan.rows, deps.cache.bids, budget.costShare, new Map(), deps.cache.monitoring(now(deps)));
    await writeBidsSheet(context, { ...plan, rows }, layout, { namespace: deps.namespace });
  });
  return server;
}

/** Read the budget; in Excel, also lay it out on the Budget sheet with the sheet's proposals. */
export async function refreshBudget(deps: Omit<WorkflowDeps, 'runExcel'> & { runExcel?: RunExcel }, fy: string): Promise<BudgetSummary> {
  deps.onProgress?.({ label: 'Reading the budget…' });
  const budget: Budget = await deps.client.budget(fy);
  const payments = paymentsOf(deps, deps.cache.forYear(fy).bids);
  if (!deps.runExcel) return summariseBudget(budget, [], payments);
  return deps.runExcel(async (context) => {
    const { snapshot } = await readBidsSheet(context);
    const proposals = snapshot.fy === fy ? sheetProposals(snapshot.rows) : [];
    const summary = summariseBudget(budget, proposals, payments);
    await writeBudgetSheet(context, summary, { readAt: now(deps) });
    return summary;
  });
}

export interface PanelResult {
  tables: number;
  charts: number;
  decisions: number;
}

/** The panel pack (docs/design.md §6): the year's report laid out on the Panel sheet with its charts. */
export async function writePanelPack(deps: WorkflowDeps, fy: string): Promise<PanelResult> {
  deps.onProgress?.({ label: 'Reading the year’s report…' });
  const report = await deps.client.yearReport(fy);
  const layout = panelLayout(report);
  await deps.runExcel(async (context) => {
    deps.onProgress?.({ label: 'Writing the Panel sheet…' });
    await writePanelSheet(context, layout, now(deps));
  });
  return { tables: layout.blocks.length, charts: layout.blocks.filter((b) => b.chart).length, decisions: report.decisions.length };
}

export const now = (deps: { now?: () => Date }) => (deps.now ? deps.now() : new Date());

/** The Budget sheet's payment columns from the pulled bids (docs/design.md §3.1). */
export const paymentsOf = (deps: { now?: () => Date }, bids: ReadonlyMap<string, Bid>): PaymentTotals =>
  paymentTotals(bids.values(), now(deps));
