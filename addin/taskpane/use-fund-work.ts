/**
 * The pane's work on the sheet and the API: the budget summary, Pull / Check / Push, conflicts,
 * rows needing attention and the last sync. The workflows themselves are plain TypeScript
 * (addin/workflows/); this hook holds what the pane shows of their results.
 */
import { useCallback, useRef, useState } from 'react';
import { buildConfig } from '../config';
import { recalculate, runExcel } from '../excel/host';
import { refreshFunctionBudgets } from '../functions/budget-source';
import { actorOfUser, setSession, type Session } from '../session';
import type { DecisionConflict, RecordedRow } from '../sheet/decision-plan';
import type { BudgetSummary } from '../sheet/budget-summary';
import type { Conflict, RowIssue } from '../sheet/sync-plan';
import { releasePayments } from '../workflows/payments';
import { pushSchedules } from '../workflows/schedule';
import { recordDecisions } from '../workflows/record-decisions';
import { BidCache, checkSheet, pullBids, pushAllocations, refreshBudget, settleConflict, writePanelPack } from '../workflows/workflows';
import { pullNotice, checkNotice, pushNotice, recordNotice, releaseNotice, scheduleNotice } from './notices';
import { remembered } from './remembered';
import type { Activity } from './use-activity';

export type ConflictChoice = 'keep-mine' | 'use-server';

export interface FundWork {
  summary: BudgetSummary | null;
  conflicts: Conflict[];
  problems: RowIssue[];
  lastSync: Date | null;
  /** The last Record decisions: each sent row's outcome, and the decisions typed on rows that changed meanwhile. */
  recorded: RecordedRow[];
  decisionConflicts: DecisionConflict[];
  /** The "register of interests was checked" tick an approval needs. */
  interestsConfirmed: boolean;
  confirmInterests: (checked: boolean) => void;
  /** Makes `active` the session and reads the year's budget. */
  begin: (active: Session) => Promise<void>;
  changeYear: (active: Session, fy: string) => Promise<void>;
  refresh: (active: Session) => Promise<void>;
  pull: (active: Session) => Promise<void>;
  check: (active: Session) => Promise<void>;
  /** Write the Panel sheet from the year's report. */
  panel: (active: Session) => Promise<void>;
  push: (active: Session) => Promise<void>;
  settle: (active: Session, conflict: Conflict, choice: ConflictChoice) => Promise<void>;
  record: (active: Session) => Promise<void>;
  /** A PCC's releases chosen on the Payments sheet (docs/design.md §3.1). */
  release: (active: Session) => Promise<void>;
  /** Finance's payment schedules typed on the Schedule sheet (docs/design.md §3.1). */
  schedule: (active: Session) => Promise<void>;
  /** Forget what the signed-out session showed. */
  clear: () => void;
}

interface Options {
  inExcel: boolean;
  fy: string;
  activity: Activity;
  /** After a pull the Bids sheet exists: the history can follow its selection. */
  afterPull: () => Promise<void>;
}

export function useFundWork({ inExcel, fy, activity, afterPull }: Options): FundWork {
  const { run, setBusy, setNotice } = activity;
  const [summary, setSummary] = useState<BudgetSummary | null>(null);
  const [conflicts, setConflicts] = useState<Conflict[]>([]);
  const [problems, setProblems] = useState<RowIssue[]>([]);
  const [lastSync, setLastSync] = useState<Date | null>(null);
  const [recorded, setRecorded] = useState<RecordedRow[]>([]);
  const [decisionConflicts, setDecisionConflicts] = useState<DecisionConflict[]>([]);
  const [interestsConfirmed, confirmInterests] = useState(false);
  const cache = useRef(new BidCache());

  const deps = useCallback(
    (active: Session) => ({
      client: active.client,
      runExcel,
      namespace: buildConfig.namespace,
      cache: cache.current,
      onProgress: setBusy,
      actor: actorOfUser(active.user),
    }),
    [setBusy],
  );

  const loadBudget = useCallback(
    async (active: Session, year: string) => {
      setSummary(await refreshBudget({ ...deps(active), runExcel: inExcel ? runExcel : undefined }, year));
      refreshFunctionBudgets();
    },
    [deps, inExcel],
  );

  const begin = useCallback(
    async (active: Session) => {
      remembered.setApiUrl(active.apiUrl);
      setSession(active);
      cache.current = new BidCache();
      await loadBudget(active, fy);
      if (inExcel) await recalculate().catch(() => undefined);
    },
    [fy, inExcel, loadBudget],
  );

  const quiet = <T>(label: string, work: () => Promise<T>) => run(label, work).then(() => undefined);

  return {
    summary,
    conflicts,
    problems,
    lastSync,
    recorded,
    decisionConflicts,
    interestsConfirmed,
    confirmInterests,
    begin,
    changeYear: (active, year) => {
      setConflicts([]);
      return quiet('Reading the budget…', () => loadBudget(active, year));
    },
    refresh: (active) => quiet('Reading the budget…', () => loadBudget(active, fy)),
    pull: (active) =>
      quiet('Pulling bids…', async () => {
        const result = await pullBids(deps(active), fy);
        setSummary(result.summary);
        setConflicts(result.conflicts);
        setProblems([...result.orphans, ...result.repeats]);
        setLastSync(result.at);
        refreshFunctionBudgets();
        await afterPull();
        setNotice(pullNotice(result));
      }),
    check: (active) =>
      quiet('Checking…', async () => {
        const result = await checkSheet(deps(active), fy);
        setSummary(result.summary);
        setProblems([...result.failed, ...result.repeats]);
        setNotice(checkNotice(result));
      }),
    panel: (active) =>
      quiet('Writing the panel pack…', async () => {
        const result = await writePanelPack(deps(active), fy);
        setNotice(`Panel sheet written: ${result.tables} tables, ${result.charts} charts, ${result.decisions} decisions.`);
      }),
    push: (active) =>
      quiet('Pushing allocations…', async () => {
        const result = await pushAllocations(deps(active), fy);
        if (result.summary) setSummary(result.summary);
        setConflicts(result.conflicts);
        setProblems([...result.refused, ...result.skipped]);
        setLastSync(result.at);
        refreshFunctionBudgets();
        setNotice(pushNotice(result));
      }),
    settle: (active, conflict, choice) =>
      quiet('Updating the row…', async () => {
        await settleConflict(deps(active), fy, conflict.bidId, choice);
        setConflicts((list) => list.filter((c) => c.bidId !== conflict.bidId));
        setNotice(choice === 'keep-mine' ? 'Kept your value; push to send it.' : "Took the server's value.");
      }),
    record: (active) =>
      quiet('Recording decisions…', async () => {
        const result = await recordDecisions(deps(active), fy, { interestsConfirmed });
        if (result.summary) setSummary(result.summary);
        setRecorded(result.rows);
        setDecisionConflicts(result.conflicts);
        setProblems([...result.refused, ...result.skipped]);
        if (result.sent > 0) setLastSync(result.at);
        refreshFunctionBudgets();
        setNotice(recordNotice(result));
      }),
    release: (active) =>
      quiet('Releasing payments…', async () => {
        const result = await releasePayments(deps(active), fy);
        setProblems(result.refused);
        if (result.released > 0) setLastSync(result.at);
        refreshFunctionBudgets();
        setNotice(releaseNotice(result));
      }),
    schedule: (active) =>
      quiet('Pushing schedules…', async () => {
        const result = await pushSchedules(deps(active), fy);
        setProblems(result.refused);
        if (result.scheduled > 0) setLastSync(result.at);
        refreshFunctionBudgets();
        setNotice(scheduleNotice(result));
      }),
    clear: () => {
      setSummary(null);
      setConflicts([]);
      setRecorded([]);
      setDecisionConflicts([]);
    },
  };
}
