/** The budget of a financial year: fund, cost share, and per-funder pots and ledger totals. */
import * as z from 'zod/mini';
import { FUNDER_IDS } from '../alliance';
import { BASIS_POINTS_TOTAL, defaultCostShare, validateCostShare } from '../cost-share';
import { financialYearSchema, funderIdSchema, penceSchema } from './common';
import { yearCloseSchema } from './year-close';

/** A return falls due this many days after its quarter ends (docs/design.md §1.4), set per year. */
export const returnDueDaysSchema = z
  .number({ error: 'must be a whole number of days' })
  .check(
    z.int({ error: 'must be a whole number of days' }),
    z.gte(1, { error: 'must be at least 1 day' }),
    z.lte(365, { error: 'must be at most 365 days' }),
    z.meta({ description: 'Days after a quarter ends that its monitoring return falls due (default 30)', example: 30 }),
  );

export const costShareSchema = z
  .record(funderIdSchema, z.number().check(z.int({ error: 'must be whole basis points' }), z.gte(0), z.lte(BASIS_POINTS_TOTAL)), {
    error: `must give basis points for each of ${FUNDER_IDS.join(', ')}`,
  })
  .check(
    z.superRefine((weights, ctx) => {
      const checked = validateCostShare(weights);
      if (!checked.ok)
        ctx.addIssue({ code: 'custom', message: checked.error.message, path: checked.error.funder ? [checked.error.funder] : [] });
    }),
    z.meta({
      id: 'CostShare',
      description: 'Weight per funder in basis points, summing to 10,000',
      example: defaultCostShare(),
    }),
  );

export const budgetPutSchema = z
  .strictObject({
    fundPence: z.optional(penceSchema),
    pots: z.optional(z.partialRecord(funderIdSchema, penceSchema)),
    costShare: z.optional(costShareSchema),
    returnDueDays: z.optional(returnDueDaysSchema),
  })
  .check(
    z.refine((body) => Object.keys(body).length > 0, { error: 'set at least one of fundPence, pots, costShare, returnDueDays' }),
    z.meta({ id: 'BudgetPut' }),
  );
export type BudgetPut = z.infer<typeof budgetPutSchema>;

export const funderBudgetSchema = z
  .strictObject({
    funder: funderIdSchema,
    potPence: penceSchema,
    committedPence: penceSchema,
    releasedPence: penceSchema,
    pendingPence: penceSchema,
    remainingPence: z.number().check(z.int()),
    /** Part of the pot carried in from earlier years' closes (docs/design.md §3.1); absent: none. */
    carriedInPence: z.optional(penceSchema),
  })
  .check(z.meta({ id: 'FunderBudget' }));
export type FunderBudget = z.infer<typeof funderBudgetSchema>;

export const budgetSchema = z
  .strictObject({
    fy: financialYearSchema,
    fundPence: penceSchema,
    costShare: costShareSchema,
    funders: z.array(funderBudgetSchema),
    /** The API always sends it (the year's setting, else 30); optional for budgets built elsewhere. */
    returnDueDays: z.optional(returnDueDaysSchema),
    /** Present once the year is closed: who closed it, when, the outturn and the carry-forward. */
    closed: z.optional(yearCloseSchema),
  })
  .check(z.meta({ id: 'Budget' }));
export type Budget = z.infer<typeof budgetSchema>;

/** A budget as set: the fund, the cost share and each funder's pot. */
export const budgetSettingSchema = z
  .strictObject({
    fundPence: penceSchema,
    costShare: costShareSchema,
    pots: z.partialRecord(funderIdSchema, penceSchema),
    returnDueDays: z.optional(returnDueDaysSchema),
  })
  .check(z.meta({ id: 'BudgetSetting' }));
export type BudgetSetting = z.infer<typeof budgetSettingSchema>;

/** The audit trail of a year's budget: who set what, when, from what. Append-only. */
export const budgetEventSchema = z
  .strictObject({
    fy: financialYearSchema,
    at: z.string().check(z.meta({ format: 'date-time' })),
    actor: z.string(),
    role: z.string(),
    requestId: z.string(),
    /** What happened: the admin set the budget (absent or set), the year was closed, or money was carried in. */
    action: z.optional(z.enum(['set', 'close', 'carry-in'])),
    /** For a close or a carry-in: what moved, in words ("carried forward £1,000.00 to 2027/28"). */
    detail: z.optional(z.string()),
    /** For a close or a carry-in: per funder, the money carried. */
    carriedPence: z.optional(z.partialRecord(funderIdSchema, penceSchema)),
    /** null when this change created the year's budget. */
    before: z.nullable(budgetSettingSchema),
    after: budgetSettingSchema,
  })
  .check(z.meta({ id: 'BudgetEvent' }));
export type BudgetEvent = z.infer<typeof budgetEventSchema>;
