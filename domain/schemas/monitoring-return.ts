/**
 * Monitoring returns (docs/design.md §1.4): each quarter a funded project reports its spend to
 * date, its actuals against the bid's outcome measures, a RAG rating and a narrative; finance
 * accepts the return or sends it back. A return keeps its own history.
 */
import * as z from 'zod/mini';
import { roleSchema } from './actor';
import { financialYearSchema, isoTimestampSchema, lineTextSchema, longTextSchema, penceSchema, subjectSchema } from './common';
import { MAX_OUTCOME_MEASURES, quantitySchema } from './outcome';

export const RAG_RATINGS = ['green', 'amber', 'red'] as const;
export const ragSchema = z.enum(RAG_RATINGS, { error: `must be one of ${RAG_RATINGS.join(', ')}` }).check(z.meta({ id: 'Rag' }));
export type Rag = z.infer<typeof ragSchema>;

/** submitted: awaiting finance; accepted: final; returned: sent back to the project to file again. */
export const RETURN_STATUSES = ['submitted', 'accepted', 'returned'] as const;
export const returnStatusSchema = z.enum(RETURN_STATUSES).check(z.meta({ id: 'ReturnStatus' }));
export type ReturnStatus = z.infer<typeof returnStatusSchema>;

export const RETURN_ACTIONS = ['accept', 'return'] as const;
export const returnActionSchema = z.enum(RETURN_ACTIONS, { error: `must be one of ${RETURN_ACTIONS.join(', ')}` });
export type ReturnAction = z.infer<typeof returnActionSchema>;

/** A quarter of a financial year as written in paths and files: 2026-27-Q2 (Q1 is April to June). */
export const QUARTER_PATTERN = /^(\d{4})-(\d{2})-Q([1-4])$/;
export const quarterSchema = z
  .string({ error: 'must be a quarter like 2026-27-Q2' })
  .check(z.regex(QUARTER_PATTERN, { error: 'must be a quarter like 2026-27-Q2' }), z.meta({ example: '2026-27-Q2' }));

export const outcomeActualSchema = z
  .strictObject({ measure: lineTextSchema(200), value: quantitySchema })
  .check(z.meta({ id: 'OutcomeActual', description: 'The value reached so far against one of the bid’s outcome measures' }));
export type OutcomeActual = z.infer<typeof outcomeActualSchema>;

/** The body of PUT /bids/{id}/returns/{quarter}. */
export const returnPutSchema = z
  .strictObject({
    spendToDatePence: penceSchema,
    actuals: z
      .array(outcomeActualSchema, { error: 'must be a list of actuals' })
      .check(z.maxLength(MAX_OUTCOME_MEASURES, { error: `must have at most ${MAX_OUTCOME_MEASURES} actuals` })),
    rag: ragSchema,
    narrative: longTextSchema(5000).check(z.minLength(1, { error: 'must not be empty' })),
  })
  .check(z.meta({ id: 'ReturnPut', description: 'A quarter’s monitoring return as the project files it' }));
export type ReturnPut = z.infer<typeof returnPutSchema>;

export const returnActionBodySchema = z
  .strictObject({ reason: z.optional(longTextSchema(2000)) })
  .check(z.meta({ id: 'ReturnActionBody', description: 'Why finance sends a return back (or a note on acceptance)' }));
export type ReturnActionBody = z.infer<typeof returnActionBodySchema>;

export const returnEventSchema = z
  .strictObject({
    at: isoTimestampSchema,
    actor: subjectSchema,
    role: roleSchema,
    action: z.enum(['file', 'accept', 'return']),
    from: z.nullable(returnStatusSchema),
    to: returnStatusSchema,
    version: z.number().check(z.int()),
    spendToDatePence: z.optional(penceSchema),
    rag: z.optional(ragSchema),
    reason: z.optional(z.string()),
    requestId: z.string(),
  })
  .check(z.meta({ id: 'ReturnEvent' }));
export type ReturnEvent = z.infer<typeof returnEventSchema>;

export const monitoringReturnSchema = z
  .strictObject({
    bidId: z.string(),
    fy: financialYearSchema,
    quarter: quarterSchema,
    status: returnStatusSchema,
    spendToDatePence: penceSchema,
    actuals: z.array(outcomeActualSchema),
    rag: ragSchema,
    narrative: z.string(),
    /** When the quarter's return falls due (ISO date, end of the quarter + the due days). */
    dueOn: z.string().check(z.meta({ format: 'date' })),
    version: z.number().check(z.int(), z.gte(1)),
    filedAt: isoTimestampSchema,
    filedBy: subjectSchema,
    updatedAt: isoTimestampSchema,
    /** Every filing and decision, oldest first (the return's own audit trail). */
    history: z.array(returnEventSchema),
  })
  .check(z.meta({ id: 'MonitoringReturn' }));
export type MonitoringReturn = z.infer<typeof monitoringReturnSchema>;

export const returnListSchema = z.object({ returns: z.array(monitoringReturnSchema) }).check(z.meta({ id: 'ReturnList' }));
