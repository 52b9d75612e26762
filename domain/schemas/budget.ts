/** The budget of a financial year: fund, cost share, and per-funder pots and ledger totals. */
import * as z from 'zod/mini';
import { FUNDER_IDS } from '../alliance';
import { BASIS_POINTS_TOTAL, defaultCostShare, validateCostShare } from '../cost-share';
import { financialYearSchema, funderIdSchema, penceSchema } from './common';

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
  })
  .check(
    z.refine((body) => Object.keys(body).length > 0, { error: 'set at least one of fundPence, pots, costShare' }),
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
  })
  .check(z.meta({ id: 'FunderBudget' }));
export type FunderBudget = z.infer<typeof funderBudgetSchema>;

export const budgetSchema = z
  .strictObject({
    fy: financialYearSchema,
    fundPence: penceSchema,
    costShare: costShareSchema,
    funders: z.array(funderBudgetSchema),
  })
  .check(z.meta({ id: 'Budget' }));
export type Budget = z.infer<typeof budgetSchema>;

/** A budget as set: the fund, the cost share and each funder's pot. */
export const budgetSettingSchema = z
  .strictObject({ fundPence: penceSchema, costShare: costShareSchema, pots: z.partialRecord(funderIdSchema, penceSchema) })
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
    /** null when this change created the year's budget. */
    before: z.nullable(budgetSettingSchema),
    after: budgetSettingSchema,
  })
  .check(z.meta({ id: 'BudgetEvent' }));
export type BudgetEvent = z.infer<typeof budgetEventSchema>;
