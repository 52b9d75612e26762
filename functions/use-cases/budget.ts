/** The budget of a financial year: reading the summary, and an admin setting fund, pots and cost share. */
import {
  authorize,
  carriedInPence,
  defaultCostShare,
  DEFAULT_RETURN_DUE_DAYS,
  defaultPots,
  DEFAULT_FUND_PENCE,
  domainError,
  err,
  formatPounds,
  FUNDER_IDS,
  funderName,
  ok,
  pendingShares,
  type Actor,
  type Budget,
  type BudgetEvent,
  type BudgetPut,
  type DomainError,
  type FunderId,
  type Pence,
  type Result,
  type YearClose,
  yearClosed,
} from '../../domain';
import type { BudgetRecord, Ledger } from '../store/types';
import type { UseCaseDeps } from './deps';

/** Fund, cost share and per-funder pot / committed / released / pending / remaining; the close once closed. */
export async function getBudget(deps: UseCaseDeps, fy: string): Promise<Result<Budget, DomainError>> {
  const [budget, close] = await Promise.all([deps.store.getBudget(fy), deps.store.getYearClose(fy)]);
  if (!budget) return err(domainError('not-found', `no budget is set for ${fy}; an admin sets it with PUT /years/{fy}/budget`));
  const [ledgers, recommended] = await Promise.all([deps.store.getLedgers(fy), deps.store.recommendedSharesOfYear(fy)]);
  return ok(summarise(budget, ledgers, pendingShares(recommended), close));
}

export function summarise(
  budget: BudgetRecord,
  ledgers: readonly Ledger[],
  pending: Record<FunderId, Pence>,
  close: YearClose | undefined,
): Budget {
  return {
    fy: budget.fy,
    fundPence: budget.fundPence,
    costShare: budget.costShare,
    returnDueDays: budget.returnDueDays ?? DEFAULT_RETURN_DUE_DAYS,
    ...(close ? { closed: close } : {}),
    funders: FUNDER_IDS.map((funder) => {
      const ledger = ledgers.find((l) => l.funder === funder);
      const carriedIn = carriedInPence(ledger);
      return {
        funder,
        potPence: ledger?.potPence ?? 0,
        committedPence: ledger?.committedPence ?? 0,
        releasedPence: ledger?.releasedPence ?? 0,
        pendingPence: pending[funder],
        remainingPence: ledger?.remainingPence ?? 0,
        ...(carriedIn > 0 ? { carriedInPence: carriedIn } : {}),
      };
    }),
  };
}

/**
 * Set fund, pots and/or cost share. A new year starts at £1.5M and the configured cost share.
 * Pots not given follow fund × weight when the fund or cost share changes; a pot never falls
 * below what is already committed against it (409 naming the funder).
 */
export async function setBudget(
  deps: UseCaseDeps,
  fy: string,
  put: BudgetPut,
  actor: Actor,
  requestId: string = deps.newRequestId(),
): Promise<Result<Budget, DomainError>> {
  const granted = authorize(actor, 'set-budget');
  if (!granted.ok) return granted;
  const { store } = deps;
  const [existing, close] = await Promise.all([store.getBudget(fy), store.getYearClose(fy)]);
  const fundPence = put.fundPence ?? existing?.fundPence ?? DEFAULT_FUND_PENCE;
  const costShare = put.costShare ?? existing?.costShare ?? defaultCostShare();
  const returnDueDays = put.returnDueDays ?? existing?.returnDueDays;
  const ledgers = await store.getLedgers(fy);
  const derived = defaultPots(fundPence, costShare);
  const rederive = !existing || put.fundPence !== undefined || put.costShare !== undefined;
  // docs/design.md §3.1: money carried in from a closed year stays with its funder when pots are re-derived.
  const carried = (f: FunderId) => carriedInPence(ledgers.find((l) => l.funder === f));
  const pots = Object.fromEntries(
    FUNDER_IDS.map((f) => [
      f,
      put.pots?.[f] ?? (rederive ? derived[f] + carried(f) : (ledgers.find((l) => l.funder === f)?.potPence ?? derived[f])),
    ]),
  ) as Record<FunderId, Pence>;

  if (close && existing && !unchanged(existing, { fundPence, costShare, pots }, ledgers)) {
    return err(yearClosed(fy, 'changing its fund, pots or cost share'));
  }
  const potTotal = FUNDER_IDS.reduce((sum, f) => sum + pots[f], 0);
  const ceiling = fundPence + FUNDER_IDS.reduce((sum, f) => sum + carried(f), 0);
  if (potTotal > ceiling) {
    const what = ceiling === fundPence ? 'the fund' : 'the fund and the money carried in';
    return err(
      domainError('invalid', `pots total ${formatPounds(potTotal)}, more than ${what} of ${formatPounds(ceiling)}`, {
        issues: [{ path: 'pots', message: `must not total more than ${what} of ${formatPounds(ceiling)}` }],
      }),
    );
  }
  for (const ledger of ledgers) {
    const pot = pots[ledger.funder];
    if (pot < ledger.committedPence) return err(belowCommitted(ledger.funder, pot, ledger.committedPence));
  }
  // A PUT that sets what is already set changes nothing, so it writes nothing: no history event.
  if (existing && unchanged(existing, { fundPence, costShare, pots }, ledgers) && existing.returnDueDays === returnDueDays) {
    return getBudget(deps, fy);
  }

  // Ledgers first (each a conditional write); undo the ones already moved if a later one fails.
  const moved: { funder: FunderId; from: Pence; to: Pence }[] = [];
  for (const funder of FUNDER_IDS) {
    const ledger = ledgers.find((l) => l.funder === funder);
    const to = pots[funder];
    if (!ledger) {
      if ((await store.createLedger(fy, funder, to)) === 'exists') return retryLater(moved);
      continue;
    }
    if (ledger.potPence === to) continue;
    const outcome = await store.setPot(fy, funder, ledger.potPence, to);
    if (outcome.kind === 'set') {
      moved.push({ funder, from: ledger.potPence, to });
      continue;
    }
    await undo(moved);
    if (outcome.kind === 'closed') return err(yearClosed(fy, 'changing its pots'));
    return outcome.kind === 'below-committed'
      ? err(belowCommitted(funder, to, outcome.committedPence))
      : err(domainError('version-conflict', `${funderName(funder)}'s ledger changed while the budget was being set; try again`));
  }
  const onlyReturnDueDays = existing !== undefined && unchanged(existing, { fundPence, costShare, pots }, ledgers);
  if (onlyReturnDueDays && returnDueDays !== undefined) {
    // returnDueDays goes on in a closed year (docs/design.md §3.1): it alone skips the close's condition.
    await store.setReturnDueDays(fy, returnDueDays);
  } else if (
    (await store.putBudget({ fy, fundPence, costShare, ...(returnDueDays !== undefined ? { returnDueDays } : {}) })) === 'closed'
  ) {
    // A close marked the budget after this request read it (docs/design.md §3.1): no fund change lands behind it.
    await undo(moved);
    return err(yearClosed(fy, 'changing its fund, pots or cost share'));
  }
  // The year's budget history: who set what, from what (one event per request, however often retried).
  const before = existing
    ? {
        fundPence: existing.fundPence,
        costShare: existing.costShare,
        pots: Object.fromEntries(ledgers.map((l) => [l.funder, l.potPence])),
        ...(existing.returnDueDays !== undefined ? { returnDueDays: existing.returnDueDays } : {}),
      }
    : null;
  await store.recordBudgetEvent({
    fy,
    at: deps.now().toISOString(),
    actor: actor.sub,
    role: granted.value,
    requestId,
    before,
    after: { fundPence, costShare, pots, ...(returnDueDays !== undefined ? { returnDueDays } : {}) },
  });
  return getBudget(deps, fy);

  async function undo(list: typeof moved) {
    for (const m of list.reverse()) await store.setPot(fy, m.funder, m.to, m.from);
  }
  async function retryLater(list: typeof moved): Promise<Result<Budget, DomainError>> {
    await undo(list);
    return err(domainError('version-conflict', `the budget for ${fy} is being set by someone else; try again`));
  }
}

function unchanged(
  existing: { fundPence: Pence; costShare: Budget['costShare'] },
  next: { fundPence: Pence; costShare: Budget['costShare']; pots: Record<FunderId, Pence> },
  ledgers: readonly Ledger[],
): boolean {
  return (
    existing.fundPence === next.fundPence &&
    FUNDER_IDS.every((f) => existing.costShare[f] === next.costShare[f] && ledgers.find((l) => l.funder === f)?.potPence === next.pots[f])
  );
}

/** Every change to a year's budget, oldest first. */
export async function budgetHistory(deps: UseCaseDeps, fy: string): Promise<BudgetEvent[]> {
  return deps.store.budgetHistory(fy);
}

function belowCommitted(funder: FunderId, potPence: Pence, committedPence: Pence): DomainError {
  return domainError(
    'pot-below-committed',
    `${funderName(funder)}'s pot cannot be ${formatPounds(potPence)}: ${formatPounds(committedPence)} is already committed`,
    { funder, amounts: { potPence, committedPence } },
  );
}
