/**
 * The Budget sheet's numbers, per funder: pot, committed, pending (recommended, undecided),
 * proposed in the sheet, remaining, what stays free if everything goes ahead, and the
 * headroom warning (budget check 6), and the money after approval (paid to date, due this
 * quarter, returned, clawback due; docs/design.md §3.1). Also what the pane shows outside Excel.
 */
import {
  checkFundTotal,
  checkHeadroom,
  checkPots,
  FUNDER_IDS,
  funderName,
  proposalShares,
  type Budget,
  type CheckFinding,
  type FunderId,
  type Pence,
  type SheetProposal,
} from '../../domain';
import type { FunderPayments, PaymentTotals } from './payment-rows';

export interface FunderSummary extends FunderPayments {
  funder: FunderId;
  name: string;
  potPence: Pence;
  committedPence: Pence;
  releasedPence: Pence;
  pendingPence: Pence;
  proposedPence: Pence;
  remainingPence: Pence;
  /** pot − committed − pending − proposed; negative when everything going ahead would overspend. */
  freeIfAllGoAheadPence: Pence;
  /** The headroom warning naming the funder and the excess, or ''. */
  warning: string;
}

export interface BudgetSummary {
  fy: string;
  fundPence: Pence;
  funders: FunderSummary[];
  totals: Omit<FunderSummary, 'funder' | 'name' | 'warning'>;
  /** Checks 1, 2 and 6 over the year. */
  findings: CheckFinding[];
}

const NO_PAYMENTS: FunderPayments = { paidPence: 0, dueThisQuarterPence: 0, returnedPence: 0, clawbackDuePence: 0 };

/** `payments`: paymentTotals over the year's pulled bids; without them the payment columns are 0. */
export function summariseBudget(budget: Budget, proposals: readonly SheetProposal[] = [], payments?: PaymentTotals): BudgetSummary {
  const proposed = proposalShares(proposals, budget.costShare);
  const headroom = checkHeadroom(budget, proposed);
  const findings = [...checkPots(budget), ...checkFundTotal(budget), ...headroom];
  const order = new Map(FUNDER_IDS.map((f, i) => [f, i]));
  const funders = [...budget.funders]
    .sort((a, b) => (order.get(a.funder) ?? 0) - (order.get(b.funder) ?? 0))
    .map((f): FunderSummary => {
      const proposedPence = proposed[f.funder] ?? 0;
      return {
        funder: f.funder,
        name: funderName(f.funder),
        potPence: f.potPence,
        committedPence: f.committedPence,
        releasedPence: f.releasedPence,
        pendingPence: f.pendingPence,
        proposedPence,
        remainingPence: f.remainingPence,
        freeIfAllGoAheadPence: f.potPence - f.committedPence - f.pendingPence - proposedPence,
        warning: headroom.find((h) => h.funder === f.funder)?.message ?? '',
        ...(payments?.[f.funder] ?? NO_PAYMENTS),
      };
    });
  const sum = (pick: (f: FunderSummary) => Pence) => funders.reduce((total, f) => total + pick(f), 0);
  return {
    fy: budget.fy,
    fundPence: budget.fundPence,
    funders,
    totals: {
      potPence: sum((f) => f.potPence),
      committedPence: sum((f) => f.committedPence),
      releasedPence: sum((f) => f.releasedPence),
      pendingPence: sum((f) => f.pendingPence),
      proposedPence: sum((f) => f.proposedPence),
      remainingPence: sum((f) => f.remainingPence),
      freeIfAllGoAheadPence: sum((f) => f.freeIfAllGoAheadPence),
      paidPence: sum((f) => f.paidPence),
      dueThisQuarterPence: sum((f) => f.dueThisQuarterPence),
      returnedPence: sum((f) => f.returnedPence),
      clawbackDuePence: sum((f) => f.clawbackDuePence),
    },
    findings,
  };
}
