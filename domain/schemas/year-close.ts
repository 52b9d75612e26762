/** Closing a financial year (docs/design.md §3.1): the request, each funder's outturn, and the close as recorded. */
import * as z from 'zod/mini';
import { FUNDER_IDS } from '../alliance';
import { financialYearSchema, funderIdSchema, isoTimestampSchema, penceSchema, subjectSchema } from './common';

/** POST /years/{fy}/close: for every funder with a pot that year, whether its uncommitted money is carried forward. */
export const yearCloseBodySchema = z
  .strictObject({
    carryForward: z
      .partialRecord(funderIdSchema, z.boolean({ error: 'must be true or false' }))
      .check(
        z.meta({ description: "Per funder: carry its uncommitted money into the next year's pot. Every funder with a pot must be named." }),
      ),
  })
  .check(z.meta({ id: 'YearCloseBody', example: { carryForward: Object.fromEntries(FUNDER_IDS.map((f, i) => [f, i === 0])) } }));
export type YearCloseBody = z.infer<typeof yearCloseBodySchema>;

const outturnFields = {
  potPence: penceSchema,
  committedPence: penceSchema,
  /** Paid out: instalment parts paid, and shares released whole. */
  paidPence: penceSchema,
  /** Underspend the projects gave back. */
  returnedPence: penceSchema,
  /** pot − committed: what the year did not commit. */
  uncommittedPence: penceSchema,
  /** What went into the next year's pot (the uncommitted money, or nothing). */
  carriedPence: penceSchema,
};

export const funderOutturnSchema = z.strictObject({ funder: funderIdSchema, ...outturnFields }).check(z.meta({ id: 'FunderOutturn' }));
export type FunderOutturn = z.infer<typeof funderOutturnSchema>;

export const outturnSchema = z
  .strictObject({ funders: z.array(funderOutturnSchema), totals: z.strictObject(outturnFields) })
  .check(z.meta({ id: 'Outturn' }));
export type Outturn = z.infer<typeof outturnSchema>;

/** A closed year as recorded: who closed it, when, the outturn and what was carried forward. */
export const yearCloseSchema = z
  .strictObject({
    fy: financialYearSchema,
    /** The year the carried money went to. */
    nextFy: financialYearSchema,
    closedAt: isoTimestampSchema,
    closedBy: subjectSchema,
    role: z.string(),
    requestId: z.string(),
    carryForward: z.partialRecord(funderIdSchema, z.boolean()),
    /** Absent only while the close is being completed (a retry or the sync finishes it). */
    outturn: z.optional(outturnSchema),
    /** Every step done: ledgers closed, money carried in, history recorded. */
    completed: z.boolean(),
  })
  .check(z.meta({ id: 'YearClose' }));
export type YearClose = z.infer<typeof yearCloseSchema>;
