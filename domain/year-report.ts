/**
 * The year's report (docs/design.md §1.4), pure: from the year's bids, their returns and their
 * audit events, the totals by funder, lead organisation, crime type and cyber strand, the RAG
 * counts of the latest returns, and the decisions with their references.
 *
 * Per bid: requested counts unless it is a draft or withdrawn; recommended while the
 * recommendation stands (recommended, approved, released); approved is the shares funders
 * approved or released while the bid holds them (what the ledgers commit); paid is what was
 * actually paid (domain/payments.ts paidSoFar: paid instalment parts, or whole shares released
 * without a schedule).
 */
import { checkOverdueReturns, checkSpendTrailing } from './budget-checks';
import { CRIME_TYPES, CYBER_STRANDS, FUNDER_IDS, LEAD_ORGANISATION_IDS, type FunderId } from './alliance';
import type { CostShare } from './cost-share';
import { holdsShare } from './ledger';
import { paidSoFar } from './payments';
import { REPORTING_STATUSES } from './returns';
import type { AuditEvent } from './schemas/audit';
import type { Bid } from './schemas/bid';
import type { MonitoringReturn } from './schemas/monitoring-return';
import type { RagCounts, ReportDecision, ReportTotals, YearReport } from './schemas/year-report';
import { splitAmount } from './split';

/** The audit actions the report lists as decisions. */
export const REPORTED_DECISIONS: ReadonlySet<AuditEvent['action']> = new Set<AuditEvent['action']>([
  'recommend',
  'not-recommend',
  'approve',
  'decline',
  'release',
]);

const zero = (): ReportTotals => ({
  bids: 0,
  requestedPence: 0,
  recommendedPence: 0,
  approvedPence: 0,
  paidPence: 0,
  reportedSpendPence: 0,
  returnedPence: 0,
});

const RECOMMENDATION_STANDS: readonly Bid['status'][] = ['recommended', 'approved', 'released'];

/** A bid's amounts, whole or for one funder's part. */
function amountsOf(bid: Bid, spend: number, costShare: CostShare, funder?: FunderId): ReportTotals {
  const funders = funder ? [funder] : FUNDER_IDS.filter((f) => bid.shares[f] !== undefined);
  // A funder's part of the request: the request split as the year's cost share would split it.
  const split = funder ? splitAmount(bid.requestedPence, bid.scope, costShare) : undefined;
  const requested = funder ? (split?.ok ? (split.value[funder] ?? 0) : 0) : bid.requestedPence;
  const counted = bid.status !== 'draft' && bid.status !== 'withdrawn';
  const recommended = RECOMMENDATION_STANDS.includes(bid.status) ? (funder ? (bid.shares[funder] ?? 0) : (bid.recommendedPence ?? 0)) : 0;
  const paid = paidSoFar(bid);
  const sum = (keep: (d: Bid['decisions'][FunderId]) => boolean) =>
    holdsShare(bid.status) ? funders.reduce((s, f) => s + (keep(bid.decisions[f]) ? (bid.shares[f] ?? 0) : 0), 0) : 0;
  return {
    bids: 1,
    requestedPence: counted ? requested : 0,
    recommendedPence: recommended,
    approvedPence: sum((d) => d === 'approved' || d === 'released'),
    paidPence: holdsShare(bid.status) ? funders.reduce((s, f) => s + (paid[f] ?? 0), 0) : 0,
    reportedSpendPence: funder ? 0 : spend,
    // Underspend given back (docs/design.md §3.1), per funder from bid.returned.
    returnedPence: holdsShare(bid.status) ? funders.reduce((s, f) => s + (bid.returned?.[f] ?? 0), 0) : 0,
  };
}

function add(into: ReportTotals, more: ReportTotals): void {
  into.bids += more.bids;
  into.requestedPence += more.requestedPence;
  into.recommendedPence += more.recommendedPence;
  into.approvedPence += more.approvedPence;
  into.paidPence += more.paidPence;
  into.reportedSpendPence += more.reportedSpendPence;
  into.returnedPence += more.returnedPence;
}

/** Each bid's latest filed (submitted or accepted) return. */
export function latestFiledReturns(returns: Iterable<MonitoringReturn>): Map<string, MonitoringReturn> {
  const latest = new Map<string, MonitoringReturn>();
  for (const r of returns) {
    if (r.status === 'returned') continue;
    const seen = latest.get(r.bidId);
    if (!seen || r.quarter > seen.quarter) latest.set(r.bidId, r);
  }
  return latest;
}

export interface YearReportInput {
  fy: string;
  costShare: CostShare;
  bids: readonly Bid[];
  returns: readonly MonitoringReturn[];
  /** The audit events of the year's bids (any order). */
  events: readonly AuditEvent[];
  /** The report's day (ISO date) for check 7; without it, no overdue findings. */
  today?: string;
  /** The year's return due days (docs/design.md §1.4); default DEFAULT_RETURN_DUE_DAYS. */
  dueDays?: number;
}

export function buildYearReport(input: YearReportInput): YearReport {
  const latest = latestFiledReturns(input.returns);
  const totals = zero();
  const byFunder = new Map(FUNDER_IDS.map((f) => [f, zero()]));
  const byOrganisation = new Map(LEAD_ORGANISATION_IDS.map((o) => [o, zero()]));
  const byCrimeType = new Map(CRIME_TYPES.map((c) => [c, zero()]));
  const byStrand = new Map(CYBER_STRANDS.map((s) => [s, zero()]));
  const outcomeRag: RagCounts = { green: 0, amber: 0, red: 0, none: 0 };
  for (const bid of input.bids) {
    const filed = latest.get(bid.id);
    const whole = amountsOf(bid, filed?.spendToDatePence ?? 0, input.costShare);
    add(totals, whole);
    add(byOrganisation.get(bid.leadOrganisation)!, whole);
    for (const crimeType of bid.crimeTypes) add(byCrimeType.get(crimeType)!, whole);
    for (const strand of bid.cyberStrands ?? []) add(byStrand.get(strand)!, whole);
    for (const funder of FUNDER_IDS) {
      if (bid.shares[funder] === undefined) continue;
      add(byFunder.get(funder)!, amountsOf(bid, 0, input.costShare, funder));
    }
    if (REPORTING_STATUSES.includes(bid.status)) outcomeRag[filed?.rag ?? 'none']++;
  }
  const titles = new Map(input.bids.map((b) => [b.id, b.title]));
  const decisions: ReportDecision[] = input.events
    .filter((e) => REPORTED_DECISIONS.has(e.action) && titles.has(e.bidId))
    .sort((a, b) => a.at.localeCompare(b.at) || a.bidId.localeCompare(b.bidId) || a.version - b.version)
    .map((e) => {
      const amount = e.amounts?.sharePence ?? e.amounts?.recommendedPence;
      return {
        bidId: e.bidId,
        title: titles.get(e.bidId)!,
        action: e.action,
        at: e.at,
        actor: e.actor,
        role: e.role,
        version: e.version,
        ...(e.funder !== undefined ? { funder: e.funder } : {}),
        ...(amount !== undefined ? { amountPence: amount } : {}),
        ...(e.reference !== undefined ? { reference: e.reference } : {}),
        ...(e.reason !== undefined ? { reason: e.reason } : {}),
      };
    });
  const rows = <K extends string, N extends string>(name: N, map: Map<K, ReportTotals>) =>
    [...map].map(([key, t]) => ({ [name]: key, totals: t }) as { [P in N]: K } & { totals: ReportTotals });
  return {
    fy: input.fy,
    totals,
    byFunder: rows('funder', byFunder),
    byLeadOrganisation: rows('leadOrganisation', byOrganisation),
    byCrimeType: rows('crimeType', byCrimeType),
    byCyberStrand: rows('cyberStrand', byStrand),
    outcomeRag,
    decisions,
    // The same checks 7–8 the add-in runs (docs/design.md §1.3).
    returnFindings: [
      ...(input.today !== undefined
        ? checkOverdueReturns({
            bids: input.bids,
            returns: input.returns,
            today: input.today,
            ...(input.dueDays !== undefined ? { dueDays: input.dueDays } : {}),
          })
        : []),
      ...checkSpendTrailing({ bids: input.bids, returns: input.returns }),
    ].map((f) => ({
      check: f.check as 'overdue-return' | 'spend-trailing',
      severity: f.severity,
      message: f.message,
      ...(f.bidId !== undefined ? { bidId: f.bidId } : {}),
      ...(f.quarter !== undefined ? { quarter: f.quarter } : {}),
      amounts: f.amounts,
    })),
  };
}
