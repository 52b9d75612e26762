/** Bid actions (lifecycle transitions) and the proposal batch. */
import * as z from 'zod/mini';
import { bidIdSchema, bidSchema } from './bid';
import { lineTextSchema, longTextSchema, penceSchema, positivePenceSchema } from './common';

export const BID_ACTIONS = [
  'submit',
  'request-info',
  'recommend',
  'not-recommend',
  'approve',
  'decline',
  'release',
  'withdraw',
  'vary',
  'approve-variation',
  'withdraw-variation',
  'decline-variation',
  'return-underspend',
] as const;
export const bidActionSchema = z
  .enum(BID_ACTIONS, { error: `must be one of ${BID_ACTIONS.join(', ')}` })
  .check(z.meta({ id: 'BidAction' }));
export type BidAction = z.infer<typeof bidActionSchema>;

/** The PCC's decision notice number (e.g. WPCC3-0089) or the board minute a decision rests on. */
export const decisionReferenceSchema = lineTextSchema(64);

const actionFields = {
  amountPence: z.optional(positivePenceSchema),
  reason: z.optional(longTextSchema(2000)),
  reference: z.optional(decisionReferenceSchema),
  /** A PCC approving confirms the register of interests was checked (decision notices say so). */
  interestsConfirmed: z.optional(z.boolean({ error: 'must be true or false' })),
};

export const actionBodySchema = z.strictObject(actionFields).check(
  z.meta({
    id: 'ActionBody',
    description:
      'recommend needs amountPence; approve needs interestsConfirmed: true; reason and reference (a decision notice or board minute) are kept in the audit trail',
  }),
);
export type ActionBody = z.infer<typeof actionBodySchema>;

/** Most rows one batch may carry; the add-in sends larger pushes in several batches. */
export const MAX_BATCH_ROWS = 1000;

export const allocationRowSchema = z
  .strictObject({
    bidId: bidIdSchema,
    version: z.number({ error: 'must be the bid version you last saw' }).check(z.int(), z.gte(1)),
    proposedPence: z.nullable(penceSchema),
  })
  .check(z.meta({ id: 'AllocationRow' }));
export type AllocationRow = z.infer<typeof allocationRowSchema>;

export const allocationBatchSchema = z
  .strictObject({
    allocations: z
      .array(allocationRowSchema)
      .check(
        z.minLength(1, { error: 'must hold at least one row' }),
        z.maxLength(MAX_BATCH_ROWS, { error: `must hold at most ${MAX_BATCH_ROWS} rows` }),
      ),
  })
  .check(z.meta({ id: 'AllocationBatch' }));
export type AllocationBatch = z.infer<typeof allocationBatchSchema>;

export const ALLOCATION_OUTCOMES = ['ok', 'version-conflict', 'invalid'] as const;

export const allocationResultSchema = z
  .strictObject({
    bidId: z.string(),
    status: z.enum(ALLOCATION_OUTCOMES),
    /** The refusal's kind (e.g. year-closed, invalid-transition). */
    problem: z.optional(z.string()),
    reason: z.optional(z.string()),
    /** On ok the updated bid; on a conflict the server's current bid, to show beside the local value. */
    bid: z.optional(bidSchema),
  })
  .check(z.meta({ id: 'AllocationResult' }));
export type AllocationResult = z.infer<typeof allocationResultSchema>;

export const allocationBatchResultSchema = z
  .strictObject({ results: z.array(allocationResultSchema) })
  .check(z.meta({ id: 'AllocationBatchResult' }));

/** One decision typed in the sheet: a lifecycle action on the version of the bid the sheet showed. */
export const decisionRowSchema = z
  .strictObject({
    bidId: bidIdSchema,
    version: z.number({ error: 'must be the bid version you last saw' }).check(z.int(), z.gte(1)),
    action: bidActionSchema,
    ...actionFields,
  })
  .check(z.meta({ id: 'DecisionRow' }));
export type DecisionRow = z.infer<typeof decisionRowSchema>;

export const decisionBatchSchema = z
  .strictObject({
    decisions: z
      .array(decisionRowSchema)
      .check(
        z.minLength(1, { error: 'must hold at least one row' }),
        z.maxLength(MAX_BATCH_ROWS, { error: `must hold at most ${MAX_BATCH_ROWS} rows` }),
      ),
  })
  .check(z.meta({ id: 'DecisionBatch' }));
export type DecisionBatch = z.infer<typeof decisionBatchSchema>;

export const DECISION_OUTCOMES = ['ok', 'version-conflict', 'invalid', 'forbidden', 'over-budget'] as const;
export type DecisionOutcome = (typeof DECISION_OUTCOMES)[number];

export const decisionResultSchema = z
  .strictObject({
    bidId: z.string(),
    status: z.enum(DECISION_OUTCOMES),
    /** The refusal's kind (e.g. conflict-of-interest, separation-of-duties, interests-not-confirmed). */
    problem: z.optional(z.string()),
    reason: z.optional(z.string()),
    /** On ok the bid after the decision; on a conflict the server's current bid. */
    bid: z.optional(bidSchema),
  })
  .check(z.meta({ id: 'DecisionResult' }));
export type DecisionResult = z.infer<typeof decisionResultSchema>;

export const decisionBatchResultSchema = z
  .strictObject({ results: z.array(decisionResultSchema) })
  .check(z.meta({ id: 'DecisionBatchResult' }));
