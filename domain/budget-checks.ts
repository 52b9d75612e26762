/**
 * Budget checks 1–6 of docs/design.md §1 as pure functions. The add-in runs them over the sheet
 * (with the proposals typed there), the backend over the store; both read the same results.
 */
import { FUNDER_IDS, type FunderId } from './alliance';
import { costLinesMismatch, costLinesMismatchMessage } from './cost-lines';
import type { CostShare } from './cost-share';
import { funderName, organisationName, scopeAllowedFor, scopeName } from './funders';
import { formatPounds, type Pence } from './money';
import type { Budget } from './schemas/budget';
import { fundedAmount, type Bid } from './schemas/bid';
import { splitAmount } from './split';

export type CheckId = 'pot' | 'fund' | 'allocation' | 'split' | 'scope' | 'headroom';

/** The check numbers of docs/design.md §1, for messages and the sheet. */
export const CHECK_NUMBERS: Readonly<Record<CheckId, number>> = { pot: 1, fund: 2, allocation: 3, split: 4, scope: 5, headroom: 6 };

export interface CheckFinding {
  check: CheckId;
  /** error: a rule is broken; warning: a rule would break if pending decisions went ahead. */
  severity: 'error' | 'warning';
  message: string;
  funder?: FunderId;
  bidId?: string;
  /** The amounts the message speaks of, in pence, for tools and tests. */
  amounts: Record<string, Pence>;
}

/** The fields of a bid the per-bid checks read. */
export type CheckedBid = Pick<
  Bid,
  | 'id'
  | 'leadOrganisation'
  | 'scope'
  | 'requestedPence'
  | 'proposedPence'
  | 'recommendedPence'
  | 'costLines'
  | 'shares'
  | 'status'
  | 'decisions'
>;

/** Check 1: per funder, committed ≤ pot. */
export function checkPots(budget: Budget): CheckFinding[] {
  return budget.funders
    .filter((f) => f.committedPence > f.potPence)
    .map((f) => ({
      check: 'pot',
      severity: 'error',
      funder: f.funder,
      message: `${funderName(f.funder)} has committed ${formatPounds(f.committedPence)}, ${formatPounds(f.committedPence - f.potPence)} over its pot of ${formatPounds(f.potPence)}`,
      amounts: { potPence: f.potPence, committedPence: f.committedPence, excessPence: f.committedPence - f.potPence },
    }));
}

/** Check 2: Σ committed ≤ the fund. */
export function checkFundTotal(budget: Budget): CheckFinding[] {
  const committedPence = budget.funders.reduce((sum, f) => sum + f.committedPence, 0);
  if (committedPence <= budget.fundPence) return [];
  const excessPence = committedPence - budget.fundPence;
  return [
    {
      check: 'fund',
      severity: 'error',
      message: `${formatPounds(committedPence)} is committed in ${budget.fy}, ${formatPounds(excessPence)} over the fund of ${formatPounds(budget.fundPence)}`,
      amounts: { fundPence: budget.fundPence, committedPence, excessPence },
    },
  ];
}

/** Check 3: allocation ≤ requested, and cost lines sum to the request. */
export function checkAllocation(bid: CheckedBid): CheckFinding[] {
  const findings: CheckFinding[] = [];
  for (const [field, allocated] of [
    ['proposed', bid.proposedPence],
    ['recommended', bid.recommendedPence],
  ] as const) {
    if (allocated !== null && allocated > bid.requestedPence) {
      findings.push({
        check: 'allocation',
        severity: 'error',
        bidId: bid.id,
        message: `${field} ${formatPounds(allocated)} is more than the ${formatPounds(bid.requestedPence)} requested`,
        amounts: { requestedPence: bid.requestedPence, allocatedPence: allocated, excessPence: allocated - bid.requestedPence },
      });
    }
  }
  const costLines = costLinesMismatch(bid);
  if (costLines) {
    findings.push({
      check: 'allocation',
      severity: 'error',
      bidId: bid.id,
      message: costLinesMismatchMessage(costLines),
      amounts: { ...costLines },
    });
  }
  return findings;
}

/** Check 4: the funders' shares sum exactly to the amount being funded. */
export function checkSplit(bid: CheckedBid): CheckFinding[] {
  const amountPence = fundedAmount(bid);
  const sharesPence = FUNDER_IDS.reduce((sum, f) => sum + (bid.shares[f] ?? 0), 0);
  if (sharesPence === amountPence) return [];
  return [
    {
      check: 'split',
      severity: 'error',
      bidId: bid.id,
      message: `shares sum to ${formatPounds(sharesPence)}, not the ${formatPounds(amountPence)} to be funded`,
      amounts: { amountPence, sharesPence },
    },
  ];
}

/** Check 5: the scope fits the lead organisation. */
export function checkScope(bid: CheckedBid): CheckFinding[] {
  if (scopeAllowedFor(bid.leadOrganisation, bid.scope)) return [];
  return [
    {
      check: 'scope',
      severity: 'error',
      bidId: bid.id,
      message: `${organisationName(bid.leadOrganisation)} cannot lead a bid for ${scopeName(bid.scope)}`,
      amounts: {},
    },
  ];
}

/** Checks 3–5 for one bid (a sheet row, or a stored bid). */
export function checkBid(bid: CheckedBid): CheckFinding[] {
  return [...checkAllocation(bid), ...checkSplit(bid), ...checkScope(bid)];
}

/** Per funder, Σ shares of recommended bids that funder has not yet decided. */
export function pendingShares(bids: Iterable<Pick<Bid, 'status' | 'shares' | 'decisions'>>): Record<FunderId, Pence> {
  const pending = zeroPerFunder();
  for (const bid of bids) {
    if (bid.status !== 'recommended') continue;
    for (const funder of FUNDER_IDS) {
      if (bid.decisions[funder] === 'pending') pending[funder] += bid.shares[funder] ?? 0;
    }
  }
  return pending;
}

/** A proposal typed in the sheet for a bid the board has not yet recommended. */
export interface SheetProposal {
  scope: Bid['scope'];
  proposedPence: Pence;
}

/** Per funder, Σ the split of the sheet's proposals. Proposals that cannot split add nothing. */
export function proposalShares(proposals: Iterable<SheetProposal>, costShare: CostShare): Record<FunderId, Pence> {
  const totals = zeroPerFunder();
  for (const proposal of proposals) {
    const split = splitAmount(proposal.proposedPence, proposal.scope, costShare);
    if (!split.ok) continue;
    for (const funder of FUNDER_IDS) totals[funder] += split.value[funder] ?? 0;
  }
  return totals;
}

/**
 * Check 6: committed + recommended-but-undecided (+ proposals in the sheet) beyond a pot is a
 * warning naming the funder and the excess.
 */
export function checkHeadroom(budget: Budget, proposedInSheet: Partial<Record<FunderId, Pence>> = {}): CheckFinding[] {
  const findings: CheckFinding[] = [];
  for (const f of budget.funders) {
    const proposedPence = proposedInSheet[f.funder] ?? 0;
    const outlookPence = f.committedPence + f.pendingPence + proposedPence;
    if (outlookPence <= f.potPence) continue;
    const excessPence = outlookPence - f.potPence;
    const condition =
      proposedPence > 0
        ? 'if every recommended bid is approved and the sheet’s proposals go ahead'
        : 'if every recommended bid is approved';
    findings.push({
      check: 'headroom',
      severity: 'warning',
      funder: f.funder,
      message: `${condition}, ${funderName(f.funder)} is ${formatPounds(excessPence)} over`,
      amounts: { potPence: f.potPence, committedPence: f.committedPence, pendingPence: f.pendingPence, proposedPence, excessPence },
    });
  }
  return findings;
}

export interface BudgetCheckInput {
  budget: Budget;
  bids: Iterable<CheckedBid>;
  /** Proposals typed in the sheet for bids not yet recommended. */
  sheetProposals?: Iterable<SheetProposal>;
}

/** All six checks over a financial year. Errors first, then warnings. */
export function runBudgetChecks(input: BudgetCheckInput): CheckFinding[] {
  const perBid = [...input.bids].flatMap(checkBid);
  const proposed = input.sheetProposals ? proposalShares(input.sheetProposals, input.budget.costShare) : {};
  return [...checkPots(input.budget), ...checkFundTotal(input.budget), ...perBid, ...checkHeadroom(input.budget, proposed)];
}

function zeroPerFunder(): Record<FunderId, Pence> {
  return Object.fromEntries(FUNDER_IDS.map((f) => [f, 0])) as Record<FunderId, Pence>;
}
