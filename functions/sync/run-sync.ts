/**
 * One pass of the scheduled sync (docs/design.md §7), the same code in Lambda, `npm start`'s timer and
 * `npm run sync`:
 *
 *   lease → ingest the intake → per FY: delta check (one page of the change feed + the ledgers)
 *     → unchanged: nothing more, nothing written
 *     → changed: all bids → reconcile (repair) → export if the snapshot differs → remember state
 *   → metrics → release the lease
 *
 * A second run while one holds the lease returns `skipped` at once. A run that fails throws
 * (after giving the lease back), so the scheduler retries; every step is safe to repeat.
 */
import { createHash, randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { normaliseFinancialYear, printableText, type Bid, type MonitoringReturn } from '../../domain';
import type { AppLogger } from '../logger';
import type { SyncState, SyncStore } from '../store/sync-store';
import type { BudgetRecord, Ledger } from '../store/types';
import { encodeSyncToken, listBids, SYNC_OVERLAP_MS } from '../use-cases/bid-queries';
import type { UseCaseDeps } from '../use-cases/deps';
import { LeaseLostError, SyncIncompleteError } from './errors';
import { snapshotDigest, snapshotTables, type ExportedFiles } from './export';
import { exportYearWithPanel } from './panel-export';
import type { FileArea } from './file-area';
import { ingestIntake, type IngestReport } from './ingest';
import { DEFAULT_GRACE_MS, reconcileYear, type Drift, type InFlightApproval } from './reconcile';
import { canonicalJson } from './canonical-json';
import { fullestLedger, LEDGER_WARN_PERCENT, type LedgerFullness } from '../store/ledger-capacity';

/** Where metrics go: Powertools EMF in Lambda, the log locally, a list in tests. */
export interface SyncMetrics {
  count(name: string, value: number): void;
}

export interface SyncDeps {
  fund: UseCaseDeps;
  sync: SyncStore;
  intake: FileArea;
  exports: FileArea;
  logger: AppLogger;
  metrics?: SyncMetrics;
}

export interface SyncOptions {
  /** How long the lease lasts without renewal; a run renews it as it goes. */
  leaseTtlMs?: number;
  /** Half-finished approvals younger than this are left alone (their request may still finish). */
  graceMs?: number;
  /** Leave intake files modified more recently than this (local folders: a copy may be in progress). */
  intakeSettleMs?: number;
  /** Page size of the change feed. */
  deltaPageSize?: number;
  owner?: string;
}

export interface YearReport {
  fy: string;
  /** failed: this year could not be synced (see error); the other years went on. */
  outcome: 'unchanged' | 'reconciled' | 'failed';
  /** Why the year failed; it is tried again on the next run. */
  error?: string;
  /** Why a full pass ran: no state yet, bids changed, ledgers changed, an in-flight approval to look at again. */
  reason?: string;
  deltaPages: number;
  drift: Drift[];
  inFlight: InFlightApproval[];
  eventsRecorded: number;
  exported?: ExportedFiles;
  /** The year's fullest ledger item, against DynamoDB's 400 KB limit (reconciled years only). */
  fullestLedger?: LedgerFullness;
  /** A close of the year that had stopped half-way was finished (docs/design.md §3.1). */
  finishedClose?: boolean;
}

export interface DriftTotals {
  count: number;
  pence: number;
}

export interface CompletedSync {
  status: 'completed';
  owner: string;
  startedAt: string;
  finishedAt: string;
  ingest: IngestReport;
  years: YearReport[];
  driftFound: DriftTotals;
  driftRemaining: DriftTotals;
}

export type SyncReport = { status: 'skipped'; reason: string; heldBy: string; until: string } | CompletedSync;

export const DEFAULT_LEASE_TTL_MS = 10 * 60_000;
const DEFAULT_DELTA_PAGE = 1000;

export async function runSync(deps: SyncDeps, options: SyncOptions = {}): Promise<SyncReport> {
  const { fund, sync, logger } = deps;
  const ttl = options.leaseTtlMs ?? DEFAULT_LEASE_TTL_MS;
  const owner = options.owner ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const started = fund.now();
  const lease = await sync.acquireLease(owner, started, ttl);
  if (lease.kind === 'held') {
    logger.info('another sync is running; this run does nothing', { heldBy: lease.owner, until: lease.until });
    deps.metrics?.count('SyncSkipped', 1);
    return { status: 'skipped', reason: 'another sync is running', heldBy: lease.owner, until: lease.until };
  }
  let renewedAt = started.getTime();
  const keepLease = async () => {
    const now = fund.now();
    if (now.getTime() - renewedAt < ttl / 3) return;
    if (!(await sync.renewLease(owner, now, ttl))) throw new LeaseLostError();
    renewedAt = now.getTime();
  };

  try {
    const ingest = await ingestIntake(
      { fund, sync, intake: deps.intake, logger, keepLease },
      options.intakeSettleMs !== undefined ? { settleMs: options.intakeSettleMs } : {},
    );
    const states = new Map((await sync.syncStates()).map((s) => [s.fy, s]));
    const years = new Set([...(await fund.store.years()), ...states.keys(), ...ingest.files.flatMap((f) => f.years)]);
    const reports: YearReport[] = [];
    for (const fy of [...years].sort()) {
      await keepLease();
      reports.push(await isolatedYear(deps, fy, states.get(fy), options));
    }
    const report = summarise(owner, started, fund.now(), ingest, reports);
    emit(deps, report);
    // A file or year that failed blocked nothing else, but the run is not a success: fail it for the scheduler.
    const failed = [
      ...ingest.files.filter((f) => f.outcome === 'failed').map((f) => ({ name: `intake file ${f.name}`, error: f.error })),
      ...reports.filter((y) => y.outcome === 'failed').map((y) => ({ name: `year ${y.fy}`, error: y.error })),
    ];
    if (failed.length > 0) throw new SyncIncompleteError(report, failed);
    return report;
  } finally {
    await sync.releaseLease(owner).catch((error: unknown) => logger.warn('could not give the sync lease back', { error: String(error) }));
  }
}

/**
 * One year, kept from the others: a year whose key is not a financial year (written before fy was
 * normalised) or whose reconcile or export throws is reported as failed, and the run goes on.
 */
async function isolatedYear(deps: SyncDeps, fy: string, state: SyncState | undefined, options: SyncOptions): Promise<YearReport> {
  const failed = (error: string): YearReport => {
    deps.logger.error('sync of a financial year failed; the other years go on', { fy: printableText(fy), error });
    return { fy, outcome: 'failed', error, deltaPages: 0, drift: [], inFlight: [], eventsRecorded: 0 };
  };
  const canonical = normaliseFinancialYear(fy);
  if (!canonical.ok || canonical.value !== fy) {
    return failed(`${JSON.stringify(fy)} is not a financial year written like 2025/26: its bids must be corrected by a person`);
  }
  try {
    return await syncYear(deps, fy, state, options);
  } catch (error) {
    if (error instanceof LeaseLostError) throw error;
    return failed(error instanceof Error ? error.message : String(error));
  }
}

async function syncYear(deps: SyncDeps, fy: string, state: SyncState | undefined, options: SyncOptions): Promise<YearReport> {
  const { fund, sync } = deps;
  const now = fund.now();
  let deltaPages = 0;
  let reason = 'first sync of this year';
  if (state) {
    const change = await changeSince(deps, fy, state, now, options.deltaPageSize ?? DEFAULT_DELTA_PAGE);
    deltaPages = change.pages;
    if (!change.reason) return { fy, outcome: 'unchanged', deltaPages, drift: [], inFlight: [], eventsRecorded: 0 };
    reason = change.reason;
  }

  const indexBids = await fund.store.bidsOfYear(fy);
  const outboxCheckFrom = state && state.after !== '' ? new Date(Date.parse(state.after) - SYNC_OVERLAP_MS).toISOString() : undefined;
  const result = await reconcileYear(fund, fy, indexBids, {
    graceMs: options.graceMs ?? DEFAULT_GRACE_MS,
    ...(outboxCheckFrom !== undefined ? { outboxCheckFrom } : {}),
  });

  const [budget, budgetEvents, declarations, returns] = await Promise.all([
    fund.store.getBudget(fy),
    fund.store.budgetHistory(fy),
    fund.store.declarations(fy),
    fund.store.returnsOfYear(fy),
  ]);
  const snapshot = { fy, bids: result.bids, ledgers: result.ledgers, budgetEvents, declarations, returns };
  const tables = snapshotTables(snapshot);
  const exportDigest = snapshotDigest(tables);
  const exported = exportDigest !== state?.exportDigest ? await exportYearWithPanel(fund, deps.exports, snapshot, tables, now) : undefined;

  let after = state?.after ?? '';
  for (const bid of result.bids) if (bid.updatedAt > after) after = bid.updatedAt;
  const windowStart = after === '' ? '' : new Date(Date.parse(after) - SYNC_OVERLAP_MS).toISOString();
  const next: SyncState = {
    fy,
    syncToken: encodeSyncToken({ fy, after }),
    after,
    windowDigest: windowDigest(result.bids.filter((b) => b.updatedAt >= windowStart)),
    ledgerDigest: ledgerDigest(result.ledgers, budget),
    returnsDigest: returnsDigest(returns),
    ...(result.recheckAfter !== undefined ? { recheckAfter: result.recheckAfter } : {}),
    openDrift: result.drift.filter((d) => !d.repaired).length,
    exportDigest,
    exportedAt: exported ? now.toISOString() : (state?.exportedAt ?? now.toISOString()),
    exportFiles: exported ? [...exported.files, ...exported.latest] : (state?.exportFiles ?? []),
    updatedAt: now.toISOString(),
    revision: (state?.revision ?? 0) + 1,
  };
  if ((await sync.putSyncState(next)) === 'conflict') throw new LeaseLostError();
  const fullest = fullestLedger(result.ledgers);
  return {
    fy,
    outcome: 'reconciled',
    reason,
    deltaPages,
    drift: result.drift,
    inFlight: result.inFlight,
    ...(fullest ? { fullestLedger: fullest } : {}),
    ...(result.finishedClose ? { finishedClose: true } : {}),
    eventsRecorded: result.eventsRecorded,
    ...(exported ? { exported } : {}),
  };
}

/** Has anything changed since the last full pass? One page of the change feed when nothing has. */
async function changeSince(
  deps: SyncDeps,
  fy: string,
  state: SyncState,
  now: Date,
  limit: number,
): Promise<{ reason?: string; pages: number }> {
  let pages = 0;
  let cursor: string | undefined;
  const seen: Bid[] = [];
  do {
    const page = await listBids(deps.fund, { fy, since: state.syncToken, limit, ...(cursor !== undefined ? { cursor } : {}) });
    pages++;
    const fresh = page.bids.find((bid) => bid.updatedAt > state.after);
    if (fresh) return { reason: `bid ${fresh.id} changed`, pages };
    seen.push(...page.bids);
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  // The feed re-reads a window before the token (clocks, index lag): the same bids at the same
  // versions as last time are no change.
  if (windowDigest(seen) !== state.windowDigest) return { reason: 'a bid changed', pages };
  const [ledgers, budget, close] = await Promise.all([
    deps.fund.store.getLedgers(fy),
    deps.fund.store.getBudget(fy),
    deps.fund.store.getYearClose(fy),
  ]);
  if (ledgerDigest(ledgers, budget) !== state.ledgerDigest) return { reason: 'the budget or a ledger changed', pages };
  if (close && !close.completed) return { reason: 'a close of the year stopped half-way', pages };
  // A monitoring return is its own item: filing or deciding one changes no bid (docs/design.md §1.4).
  if (returnsDigest(await deps.fund.store.returnsOfYear(fy)) !== (state.returnsDigest ?? returnsDigest([]))) {
    return { reason: 'a monitoring return changed', pages };
  }
  if (state.openDrift) return { reason: 'drift the last pass could not repair is still open', pages };
  if (state.recheckAfter !== undefined && state.recheckAfter <= now.toISOString()) {
    return { reason: 'an approval in flight last time is past its grace period', pages };
  }
  return { pages };
}

function windowDigest(bids: readonly Bid[]): string {
  const pairs = bids.map((b) => `${b.id}:${b.version}`).sort();
  return createHash('sha256').update(pairs.join('\n')).digest('hex');
}

/** A digest of the year's monitoring returns: each return's bid, quarter and version (every change bumps it). */
export function returnsDigest(returns: readonly MonitoringReturn[]): string {
  const keys = returns.map((r) => `${r.bidId}:${r.quarter}:${r.version}`).sort();
  return createHash('sha256').update(keys.join('\n')).digest('hex');
}

/**
 * A digest of the year's money settings and ledgers (fund and cost share from the budget record,
 * pots and allocations from the ledgers) that does not depend on the order attributes come back in.
 */
export function ledgerDigest(ledgers: readonly Ledger[], budget: BudgetRecord | undefined): string {
  return createHash('sha256')
    .update(canonicalJson({ budget: budget ?? null, ledgers: [...ledgers].sort((a, b) => a.funder.localeCompare(b.funder)) }))
    .digest('hex');
}

function totals(drift: readonly Drift[]): DriftTotals {
  return { count: drift.length, pence: drift.reduce((sum, d) => sum + d.pence, 0) };
}

function summarise(owner: string, started: Date, finished: Date, ingest: IngestReport, years: YearReport[]): CompletedSync {
  const drift = years.flatMap((y) => y.drift);
  return {
    status: 'completed',
    owner,
    startedAt: started.toISOString(),
    finishedAt: finished.toISOString(),
    ingest,
    years,
    driftFound: totals(drift),
    driftRemaining: totals(drift.filter((d) => !d.repaired)),
  };
}

/** The fullest ledger item among the years this run reconciled. */
export function fullestOfRun(years: readonly YearReport[]): LedgerFullness | undefined {
  return years.flatMap((y) => (y.fullestLedger ? [y.fullestLedger] : [])).sort((a, b) => b.bytes - a.bytes)[0];
}

function emit(deps: SyncDeps, report: CompletedSync): void {
  const { logger, metrics } = deps;
  const drift = report.years.flatMap((y) => y.drift);
  for (const d of drift) {
    if (d.repaired) logger.warn('reconcile drift found and repaired', { ...d });
    else logger.error('reconcile drift that needs a person', { ...d });
  }
  const inFlight = report.years.reduce((n, y) => n + y.inFlight.length, 0);
  const exported = report.years.filter((y) => y.exported).length;
  logger.info('sync finished', {
    created: report.ingest.created,
    rejectedRows: report.ingest.rejectedRows,
    duplicateRows: report.ingest.duplicateRows,
    possibleCorrections: report.ingest.possibleCorrections,
    files: report.ingest.files.map((f) => ({
      name: f.name,
      outcome: f.outcome,
      created: f.created.length,
      rejected: f.rejectedRows,
      duplicates: f.duplicateRows,
      possibleCorrections: f.possibleCorrections,
    })),
    years: report.years.map((y) => ({
      fy: printableText(y.fy),
      outcome: y.outcome,
      reason: y.reason,
      drift: y.drift.length,
      exported: !!y.exported,
      ...(y.finishedClose ? { finishedClose: true } : {}),
      ...(y.error !== undefined ? { error: y.error } : {}),
    })),
    driftFound: report.driftFound,
    driftRemaining: report.driftRemaining,
    inFlight,
  });
  const fullest = fullestOfRun(report.years);
  if (fullest && fullest.percent >= LEDGER_WARN_PERCENT) {
    logger.warn('a ledger item is nearing DynamoDB’s 400 KB item limit: plan sharding the pot (docs/design.md §3) before approvals fail', {
      ...fullest,
    });
  }
  if (!metrics) return;
  if (fullest) metrics.count('LedgerFullestPercent', fullest.percent);
  metrics.count('IngestedBids', report.ingest.created);
  metrics.count('RejectedRows', report.ingest.rejectedRows);
  metrics.count('DuplicateRows', report.ingest.duplicateRows);
  metrics.count('PossibleCorrections', report.ingest.possibleCorrections);
  metrics.count('IngestFailedFiles', report.ingest.files.filter((f) => f.outcome === 'failed').length);
  metrics.count('SyncFailedYears', report.years.filter((y) => y.outcome === 'failed').length);
  metrics.count('ReconcileDriftCount', report.driftFound.count);
  metrics.count('ReconcileDriftPence', report.driftFound.pence);
  metrics.count('ReconcileDriftRemainingCount', report.driftRemaining.count);
  metrics.count('ReconcileDriftRemainingPence', report.driftRemaining.pence);
  metrics.count('ReconcileInFlight', inFlight);
  metrics.count('ExportedSnapshots', exported);
}
