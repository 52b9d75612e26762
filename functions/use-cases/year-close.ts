/**
 * Closing a financial year (docs/design.md §3.1): the outturn per funder, and each PCC's
 * uncommitted money carried into the next year's pot when it says so.
 *
 * The steps, in a fixed order under one request id, each idempotent:
 *   1. the close record (a conditional put: one per year). From here the year is closed, and
 *      the rest is a roll-forward that a retry (same Idempotency-Key) or the sync finishes;
 *   2. each of the year's ledgers, then its budget, marked closedBy the request: no commit, raised
 *      share, pot or fund change lands after this (each item's own condition, so no approval or
 *      budget PUT races past it);
 *   3. the outturn, read from the ledgers after 2, fixed on the record once: a retry carries
 *      what the first attempt computed, never a second figure;
 *   4. the carried money into the next year's ledgers (its budget and ledgers created if none),
 *      one conditional update per funder guarded by the carriedIn marker: never carried twice;
 *   5. a budget event on both years (keyed by the request id: one each however often retried);
 *   6. the record marked completed.
 */
import {
  authorize,
  carryForwardIssues,
  defaultCostShare,
  domainError,
  err,
  formatPounds,
  funderName,
  nextFinancialYear,
  ok,
  yearClosed,
  yearOutturn,
  type Actor,
  type BudgetSetting,
  type DomainError,
  type FunderId,
  type Outturn,
  type Pence,
  type Result,
  type YearClose,
  type YearCloseBody,
} from '../../domain';
import type { UseCaseDeps } from './deps';

export async function closeYear(
  deps: UseCaseDeps,
  fy: string,
  body: YearCloseBody,
  actor: Actor,
  requestId: string,
): Promise<Result<YearClose, DomainError>> {
  const granted = authorize(actor, 'close-year');
  if (!granted.ok) return granted;
  const { store } = deps;
  const [existing, budget, ledgers] = await Promise.all([store.getYearClose(fy), store.getBudget(fy), store.getLedgers(fy)]);
  if (existing) return existing.requestId === requestId ? ok(await finishYearClose(deps, existing)) : err(alreadyClosed(existing));
  if (!budget) return err(domainError('no-budget', `no budget is set for ${fy}: there is nothing to close`));
  const issues = carryForwardIssues(
    fy,
    ledgers.map((l) => l.funder),
    body.carryForward,
  );
  if (issues.length > 0) return err(domainError('invalid', issues.map((i) => `${i.path}: ${i.message}`).join('; '), { issues }));
  const next = nextFinancialYear(fy);
  if (!next.ok) return next;
  if (Object.values(body.carryForward).some(Boolean) && (await store.getYearClose(next.value))) {
    return err(yearClosed(next.value, 'carrying money into it'));
  }

  const close: YearClose = {
    fy,
    nextFy: next.value,
    closedAt: deps.now().toISOString(),
    closedBy: actor.sub,
    role: granted.value,
    requestId,
    carryForward: body.carryForward,
    completed: false,
  };
  const recorded = await store.recordYearClose(close);
  if (recorded !== 'recorded' && recorded.requestId !== requestId) return err(alreadyClosed(recorded));
  await deps.checkpoint?.('year-close-recorded', { fy, requestId });
  return ok(await finishYearClose(deps, recorded === 'recorded' ? close : recorded));
}

/** Steps 2–6 for a recorded close: what a retry and the sync's reconcile run to finish one. */
export async function finishYearClose(deps: UseCaseDeps, close: YearClose): Promise<YearClose> {
  if (close.completed) return close;
  const { store } = deps;
  const { fy, requestId } = close;
  const ledgers = await store.getLedgers(fy);
  for (const ledger of ledgers) if (ledger.closedBy !== requestId) await store.closeLedger(fy, ledger.funder, requestId);
  // The budget too, so a fund change that read the year as open cannot land after this (its put is conditional).
  await store.closeBudget(fy, requestId);
  await deps.checkpoint?.('year-ledgers-closed', { fy, requestId });

  let current = close;
  if (!current.outturn) {
    // Read after every ledger is closed: nothing can be committed any more behind this figure.
    const outturn = yearOutturn(await store.getLedgers(fy), close.carryForward);
    current = (await store.setYearCloseOutturn(fy, requestId, outturn)) ?? { ...current, outturn };
  }
  const outturn = current.outturn ?? yearOutturn(ledgers, close.carryForward);
  await carryInto(deps, current, outturn);
  await deps.checkpoint?.('year-carried-in', { fy, requestId });
  await recordCloseEvents(deps, current, outturn);
  await store.completeYearClose(fy, requestId);
  return { ...current, outturn, completed: true };
}

/** Step 4: each carried funder's money into the next year's pot, at most once (the carriedIn marker). */
async function carryInto(deps: UseCaseDeps, close: YearClose, outturn: Outturn): Promise<void> {
  const { store } = deps;
  const carried = outturn.funders.filter((f) => f.carriedPence > 0);
  if (carried.length === 0) return;
  // A year not set yet starts with no fund of its own and the carried pots (a later PUT adds the fund).
  if (!(await store.getBudget(close.nextFy))) await store.createBudget({ fy: close.nextFy, fundPence: 0, costShare: defaultCostShare() });
  for (const line of carried) {
    await store.createLedger(close.nextFy, line.funder, 0);
    await store.carryIn(close.nextFy, line.funder, close.fy, { pence: line.carriedPence, requestId: close.requestId, at: close.closedAt });
  }
}

/** Step 5: "carried forward £x to 2027/28" on the closed year, "carried in £x from 2026/27" on the next. */
async function recordCloseEvents(deps: UseCaseDeps, close: YearClose, outturn: Outturn): Promise<void> {
  const { store } = deps;
  const carried = Object.fromEntries(outturn.funders.filter((f) => f.carriedPence > 0).map((f) => [f.funder, f.carriedPence])) as Partial<
    Record<FunderId, Pence>
  >;
  const total = outturn.totals.carriedPence;
  const base = { at: close.closedAt, actor: close.closedBy, role: close.role, requestId: close.requestId, carriedPence: carried };
  const [budget, nextBudget, nextLedgers] = await Promise.all([
    store.getBudget(close.fy),
    store.getBudget(close.nextFy),
    total > 0 ? store.getLedgers(close.nextFy) : Promise.resolve([]),
  ]);
  const setting: BudgetSetting = {
    fundPence: budget?.fundPence ?? 0,
    costShare: budget?.costShare ?? defaultCostShare(),
    pots: Object.fromEntries(outturn.funders.map((f) => [f.funder, f.potPence])),
  };
  await store.recordBudgetEvent({
    ...base,
    fy: close.fy,
    action: 'close',
    detail: `closed ${close.fy}: ${total > 0 ? `carried forward ${formatPounds(total)} to ${close.nextFy} (${carriedText(carried)})` : 'nothing carried forward'}`,
    before: setting,
    after: setting,
  });
  if (total === 0 || !nextBudget) return;
  // The next year's pots before and after this close's carry-in (its markers say how much each took).
  const after = Object.fromEntries(nextLedgers.map((l) => [l.funder, l.potPence]));
  const before = Object.fromEntries(
    nextLedgers.map((l) => [
      l.funder,
      l.potPence - (l.carriedIn?.[close.fy]?.requestId === close.requestId ? l.carriedIn[close.fy]!.pence : 0),
    ]),
  );
  const nextSetting = { fundPence: nextBudget.fundPence, costShare: nextBudget.costShare };
  await store.recordBudgetEvent({
    ...base,
    fy: close.nextFy,
    action: 'carry-in',
    detail: `carried in ${formatPounds(total)} from ${close.fy} (${carriedText(carried)})`,
    before: { ...nextSetting, pots: before },
    after: { ...nextSetting, pots: after },
  });
}

function carriedText(carried: Partial<Record<FunderId, Pence>>): string {
  return Object.entries(carried)
    .map(([funder, pence]) => `${funderName(funder as FunderId)} ${formatPounds(pence ?? 0)}`)
    .join(', ');
}

function alreadyClosed(close: YearClose): DomainError {
  return domainError('year-closed', `${close.fy} was already closed by ${close.closedBy} at ${close.closedAt}`);
}
