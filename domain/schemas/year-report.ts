/** The year's report for the panel (GET /years/{fy}/report): totals, outcome RAG counts, decisions. */
import * as z from 'zod/mini';
import { auditActionSchema } from './audit';
import { roleSchema } from './actor';
import { crimeTypeSchema, cyberStrandSchema, financialYearSchema, funderIdSchema, leadOrganisationSchema, penceSchema } from './common';

/** The money of a group of bids (docs/design.md §1.4 defines each amount). */
export const reportTotalsSchema = z
  .object({
    bids: z.number().check(z.int()),
    requestedPence: penceSchema,
    recommendedPence: penceSchema,
    approvedPence: penceSchema,
    paidPence: penceSchema,
    /** Σ spend to date of each bid's latest filed monitoring return. */
    reportedSpendPence: penceSchema,
    /** Σ underspend the projects returned to the funders (bid.returned, docs/design.md §3.1). */
    returnedPence: penceSchema,
  })
  .check(z.meta({ id: 'ReportTotals' }));
export type ReportTotals = z.infer<typeof reportTotalsSchema>;

export const reportDecisionSchema = z
  .object({
    bidId: z.string(),
    title: z.string(),
    action: auditActionSchema,
    at: z.string(),
    actor: z.string(),
    role: z.union([roleSchema, z.literal('system')]),
    funder: z.optional(funderIdSchema),
    amountPence: z.optional(z.nullable(penceSchema)),
    /** The decision notice number or board minute, when the decision recorded one. */
    reference: z.optional(z.string()),
    reason: z.optional(z.string()),
    /** The audit event's version of the bid: with bidId, the reference into GET /bids/{id}/history. */
    version: z.number().check(z.int()),
  })
  .check(z.meta({ id: 'ReportDecision' }));
export type ReportDecision = z.infer<typeof reportDecisionSchema>;

export const ragCountsSchema = z
  .object({ green: z.number(), amber: z.number(), red: z.number(), none: z.number() })
  .check(
    z.meta({ id: 'RagCounts', description: 'Approved or released bids by the RAG of their latest filed return; none: no return yet' }),
  );
export type RagCounts = z.infer<typeof ragCountsSchema>;

/** A finding of budget checks 7–8 (docs/design.md §1.3), as domain/budget-checks.ts reports it. */
export const returnFindingSchema = z
  .object({
    check: z.enum(['overdue-return', 'spend-trailing']),
    severity: z.enum(['error', 'warning']),
    message: z.string(),
    bidId: z.optional(z.string()),
    quarter: z.optional(z.string()),
    amounts: z.record(z.string(), z.number()),
  })
  .check(z.meta({ id: 'ReturnFinding' }));

export const yearReportSchema = z
  .object({
    fy: financialYearSchema,
    totals: reportTotalsSchema,
    byFunder: z.array(z.object({ funder: funderIdSchema, totals: reportTotalsSchema })),
    byLeadOrganisation: z.array(z.object({ leadOrganisation: leadOrganisationSchema, totals: reportTotalsSchema })),
    /** A bid with several crime types counts under each (the rows may sum to more than the totals). */
    byCrimeType: z.array(z.object({ crimeType: crimeTypeSchema, totals: reportTotalsSchema })),
    /** Cyber bids under each strand they name (likewise). */
    byCyberStrand: z.array(z.object({ cyberStrand: cyberStrandSchema, totals: reportTotalsSchema })),
    outcomeRag: ragCountsSchema,
    decisions: z.array(reportDecisionSchema),
    /** Budget checks 7 (overdue returns, as of the report's day) and 8 (spend trailing payment). */
    returnFindings: z.array(returnFindingSchema),
  })
  .check(z.meta({ id: 'YearReport' }));
export type YearReport = z.infer<typeof yearReportSchema>;
