/**
 * Budget checks 1–8 of docs/design.md §1.3 as pure functions. The add-in runs them over the sheet
 * (with the proposals typed there), the backend over the store; both read the same results.
 */
import { FUNDER_IDS, type FunderId } from './alliance';
import { costLinesMismatch, costLinesMismatchMessage } from './cost-lines';
import type { CostShare } from './cost-share';
import { funderName, organisationName, scopeAllowedFor, scopeName } from './funders';
import { formatPounds, type Pence } from './money';
import { paidPence } from './payments';
import { DEFAULT_RETURN_DUE_DAYS, quarterId, quartersOwed, returnDueOn } from './returns';
import type { Budget } from './schemas/budget';
import { fundedAmount, type Bid } from './schemas/bid';
import type { MonitoringReturn } from './schemas/monitoring-return';
import { splitAmount } from './split';

export type CheckId = 'pot' | 'fund' | 'allocation' | 'split' | 'scope' | 'headroom' | 'overdue-return' | 'spend-trailing';

/** The check numbers of docs/design.md §1, for messages and the sheet. */
export const CHECK_NUMBERS: Readonly<Record<CheckId, number>> = {
  pot: 1,
  fund: 2,
  allocation: 3,
  split: 4,
  scope: 5,
  headroom: 6,
  'overdue-return': 7,
  'spend-trailing': 8,
};

export interface CheckFinding {
  check: CheckId;
  /** error: a rule is broken; warning: a rule would break if pending decisions went ahead. */
  severity: 'error' | 'warning';
  message: string;
  funder?: FunderId;
  bidId?: string;
  /** The amounts the message speaks of, in pence, for tools and tests. */
  amounts: Record<string, Pence>;
  /** For checks 7–8: the quarter the finding is about (2026-27-Q2). */
  quarter?: string;
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

/** Check 2: Σ committed ≤ the fund, plus money carried in from a closed year (docs/design.md §3.1). */
export function checkFundTotal(budget: Budget): CheckFinding[] {
  const committedPence = budget.funders.reduce((sum, f) => sum + f.committedPence, 0);
  const carriedInPence = budget.funders.reduce((sum, f) => sum + (f.carriedInPence ?? 0), 0);
  const ceilingPence = budget.fundPence + carriedInPence;
  if (committedPence <= ceilingPence) return [];
  const excessPence = committedPence - ceilingPence;
  const what = carriedInPence > 0 ? 'the fund and the money carried in' : 'the fund';
  return [
    {
      check: 'fund',
      severity: 'error',
      message: `${formatPounds(committedPence)} is committed in ${budget.fy}, ${formatPounds(excessPence)} over ${what} of ${formatPounds(ceilingPence)}`,
      amounts: { fundPence: budget.fundPence, committedPence, excessPence, ...(carriedInPence > 0 ? { carriedInPence } : {}) },
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

/** The fields of a bid checks 7–8 read. */
export type ReportingBid = Pick<Bid, 'id' | 'fy' | 'status' | 'createdAt' | 'shares' | 'decisions' | 'payments'>;
/** The fields of a monitoring return checks 7–8 read. */
export type CheckedReturn = Pick<MonitoringReturn, 'bidId' | 'quarter' | 'status' | 'spendToDatePence'>;

export interface MonitoringCheckInput {
  bids: Iterable<ReportingBid>;
  returns: Iterable<CheckedReturn>;
  /** Today as an ISO date (2026-11-02): a return due before today and not filed is overdue. */
  today: string;
  /** Days after a quarter's end a return falls due: the year's returnDueDays (default DEFAULT_RETURN_DUE_DAYS). */
  dueDays?: number;
}

/** A return that counts as filed for checks 7–8: sent back, it is owed again. */
const isFiled = (r: CheckedReturn) => r.status === 'submitted' || r.status === 'accepted';

/**
 * Check 7 (docs/design.md §1.4): every quarter an approved or released bid owes whose due date
 * has passed must have a submitted or accepted return.
 */
export function checkOverdueReturns(input: MonitoringCheckInput): CheckFinding[] {
  const filed = new Set([...input.returns].filter(isFiled).map((r) => `${r.bidId} ${r.quarter}`));
  const findings: CheckFinding[] = [];
  for (const bid of input.bids) {
    for (const quarter of quartersOwed(bid)) {
      const dueOn = returnDueOn(quarter, input.dueDays ?? DEFAULT_RETURN_DUE_DAYS);
      const id = quarterId(quarter);
      if (dueOn >= input.today || filed.has(`${bid.id} ${id}`)) continue;
      findings.push({
        check: 'overdue-return',
        severity: 'warning',
        bidId: bid.id,
        quarter: id,
        message: `the ${id} monitoring return for ${bid.id} was due on ${dueOn} and has not been filed`,
        amounts: {},
      });
    }
  }
  return findings;
}

/** Spend to date may trail what was paid by at most this fraction (25 %) before check 8 warns. */
export const SPEND_TRAILING_TOLERANCE = { numerator: 1, denominator: 4 } as const;

/**
 * Check 8: the latest filed return's spend to date trails what was paid (domain/payments.ts
 * paidSoFar: instalment parts released, or whole shares released unscheduled) by more than 25 %.
 * Integer arithmetic: spend × 4 < paid × 3 is "more than a quarter below paid".
 */
export function checkSpendTrailing(input: Pick<MonitoringCheckInput, 'bids' | 'returns'>): CheckFinding[] {
  const latest = new Map<string, CheckedReturn>();
  for (const r of input.returns) {
    if (!isFiled(r)) continue;
    const seen = latest.get(r.bidId);
    // Quarter ids of one year sort in time order as text.
    if (!seen || r.quarter > seen.quarter) latest.set(r.bidId, r);
  }
  const { numerator, denominator } = SPEND_TRAILING_TOLERANCE;
  const findings: CheckFinding[] = [];
  for (const bid of input.bids) {
    const filed = latest.get(bid.id);
    const paid = paidPence(bid);
    if (!filed || paid === 0) continue;
    if (filed.spendToDatePence * denominator >= paid * (denominator - numerator)) continue;
    const shortfallPence = paid - filed.spendToDatePence;
    findings.push({
      check: 'spend-trailing',
      severity: 'warning',
      bidId: bid.id,
      quarter: filed.quarter,
      message: `${bid.id} reports ${formatPounds(filed.spendToDatePence)} spent to ${filed.quarter}, ${formatPounds(shortfallPence)} behind the ${formatPounds(paid)} paid (more than 25 %)`,
      amounts: { paidPence: paid, spendToDatePence: filed.spendToDatePence, shortfallPence },
    });
  }
  return findings;
}

export interface BudgetCheckInput {
  budget: Budget;
  bids: Iterable<CheckedBid>;
  /** Proposals typed in the sheet for bids not yet recommended. */
  sheetProposals?: Iterable<SheetProposal>;
  /** The year's monitoring returns, for checks 7–8 (skipped without them). */
  monitoring?: MonitoringCheckInput;
}

/** All the checks over a financial year. Errors first, then warnings. */
export function runBudgetChecks(input: BudgetCheckInput): CheckFinding[] {
  const perBid = [...input.bids].flatMap(checkBid);
  const proposed = input.sheetProposals ? proposalShares(input.sheetProposals, input.budget.costShare) : {};
  // Materialised once: the iterables may be single-pass.
  const monitoring = input.monitoring
    ? { ...input.monitoring, bids: [...input.monitoring.bids], returns: [...input.monitoring.returns] }
    : undefined;
  const returnFindings = monitoring ? [...checkOverdueReturns(monitoring), ...checkSpendTrailing(monitoring)] : [];
  return [
    ...checkPots(input.budget),
    ...checkFundTotal(input.budget),
    ...perBid,
    ...checkHeadroom(input.budget, proposed),
    ...returnFindings,
  ];
}

function zeroPerFunder(): Record<FunderId, Pence> {
  return Object.fromEntries(FUNDER_IDS.map((f) => [f, 0])) as Record<FunderId, Pence>;
}
