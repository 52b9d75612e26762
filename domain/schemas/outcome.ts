/**
 * Outcome measures (docs/design.md §1.4): what a bid promises to achieve, each a measure, its
 * unit and a target. Optional while a bid is drafted and submitted; required before approval.
 */
import * as z from 'zod/mini';
import { lineTextSchema } from './common';

/** At most this many measures on one bid. */
export const MAX_OUTCOME_MEASURES = 20;

/** A non-negative, finite quantity (a target or an actual: people, visits, percent). */
export const quantitySchema = z.number({ error: 'must be a number' }).check(
  z.refine((n) => Number.isFinite(n), { error: 'must be a finite number' }),
  z.gte(0, { error: 'must not be negative' }),
  z.lte(1_000_000_000, { error: 'must be at most 1,000,000,000' }),
);

export const outcomeMeasureSchema = z
  .strictObject({
    measure: lineTextSchema(200),
    unit: lineTextSchema(50),
    target: quantitySchema,
  })
  .check(z.meta({ id: 'OutcomeMeasure', description: 'What the bid promises: a measure, its unit and the target' }));
export type OutcomeMeasure = z.infer<typeof outcomeMeasureSchema>;

export const outcomeMeasuresSchema = z.array(outcomeMeasureSchema, { error: 'must be a list of outcome measures' }).check(
  z.maxLength(MAX_OUTCOME_MEASURES, { error: `must have at most ${MAX_OUTCOME_MEASURES} outcome measures` }),
  z.refine((list) => new Set(list.map((m) => m.measure.toLowerCase())).size === list.length, {
    error: 'must not name a measure twice',
  }),
);
