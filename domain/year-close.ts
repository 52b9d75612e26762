/**
 * Closing a financial year (docs/design.md §3.1), pure: each funder's outturn from its ledger
 * (pot, committed, paid, returned, uncommitted), what is carried into the next year, and which
 * funders the close must name.
 *
 *   committed = Σ (share − returned) (ledgerTotals)      uncommitted = pot − committed
 *   paid      = Σ paidPence, or the share of an entry released whole without instalments
 *   returned  = Σ returnedPence (underspend given back)
 *   carried   = uncommitted when the funder's flag is true, else 0
 */
import { FUNDER_IDS, type FunderId } from './alliance';
import { domainError, type DomainError } from './errors';
import { formatFinancialYear, parseFinancialYear } from './financial-year';
import { funderName } from './funders';
import { ledgerTotals, type Ledger, type LedgerAllocation } from './ledger';
import type { Pence } from './money';
import { err, ok, type Result } from './result';
import type { FieldIssue } from './schemas/bid';
import type { FunderOutturn, Outturn } from './schemas/year-close';

/** What an entry has paid out: its instalment parts, or its whole share when released at once. */
export function entryPaidPence(allocation: Pick<LedgerAllocation, 'paidPence' | 'state' | 'sharePence'>): Pence {
  if (allocation.paidPence !== undefined) return allocation.paidPence;
  return allocation.state === 'released' ? allocation.sharePence : 0;
}

/** One funder's outturn from its ledger; `carry` says whether its uncommitted money moves on. */
export function funderOutturn(ledger: Pick<Ledger, 'funder' | 'potPence' | 'allocations'>, carry: boolean): FunderOutturn {
  const { committedPence, remainingPence } = ledgerTotals(ledger);
  let paidPence = 0;
  let returnedPence = 0;
  for (const allocation of Object.values(ledger.allocations)) {
    paidPence += entryPaidPence(allocation);
    returnedPence += allocation.returnedPence ?? 0;
  }
  // A ledger over its pot (drift reconcile reports) carries nothing rather than a negative amount.
  const uncommittedPence = Math.max(remainingPence, 0);
  return {
    funder: ledger.funder,
    potPence: ledger.potPence,
    committedPence,
    paidPence,
    returnedPence,
    uncommittedPence,
    carriedPence: carry ? uncommittedPence : 0,
  };
}

/** The year's outturn: one line per funder with a ledger (in alliance order), and their totals. */
export function yearOutturn(
  ledgers: readonly Pick<Ledger, 'funder' | 'potPence' | 'allocations'>[],
  carryForward: Partial<Record<FunderId, boolean>>,
): Outturn {
  const funders = FUNDER_IDS.flatMap((funder) => {
    const ledger = ledgers.find((l) => l.funder === funder);
    return ledger ? [funderOutturn(ledger, carryForward[funder] === true)] : [];
  });
  const sum = (key: Exclude<keyof FunderOutturn, 'funder'>) => funders.reduce((total, f) => total + f[key], 0);
  return {
    funders,
    totals: {
      potPence: sum('potPence'),
      committedPence: sum('committedPence'),
      paidPence: sum('paidPence'),
      returnedPence: sum('returnedPence'),
      uncommittedPence: sum('uncommittedPence'),
      carriedPence: sum('carriedPence'),
    },
  };
}

/** The close must name exactly the funders with a pot that year (a ledger), each true or false. */
export function carryForwardIssues(
  fy: string,
  fundersWithPot: readonly FunderId[],
  carryForward: Partial<Record<FunderId, boolean>>,
): FieldIssue[] {
  const issues: FieldIssue[] = [];
  for (const funder of fundersWithPot) {
    if (carryForward[funder] === undefined)
      issues.push({
        path: `carryForward.${funder}`,
        message: `must say whether ${funderName(funder)}'s uncommitted money is carried forward`,
      });
  }
  for (const funder of Object.keys(carryForward) as FunderId[]) {
    if (!fundersWithPot.includes(funder))
      issues.push({ path: `carryForward.${funder}`, message: `${funderName(funder)} has no pot in ${fy}` });
  }
  return issues;
}

/** The financial year after this one (2026/27 → 2027/28). */
export function nextFinancialYear(fy: string): Result<string, DomainError> {
  const start = parseFinancialYear(fy);
  const next = start.ok ? parseFinancialYear(formatFinancialYear(start.value + 1)) : start;
  if (!start.ok || !next.ok) return err(domainError('invalid', `${fy} has no next financial year to carry money into`));
  return ok(formatFinancialYear(next.value));
}

/** The refusal of anything that would start or commit money in a closed year. */
export function yearClosed(fy: string, what: string): DomainError {
  return domainError('year-closed', `${fy} is closed: ${what} is no longer possible; payments and returns on its approved bids go on`);
}
