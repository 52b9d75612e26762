/** Bid actions (lifecycle transitions) and the proposal batch. */
import * as z from 'zod';
import { bidIdSchema, bidSchema } from './bid';
import { longTextSchema, penceSchema, positivePenceSchema } from './common';

export const BID_ACTIONS = ['submit', 'request-info', 'recommend', 'not-recommend', 'approve', 'decline', 'release', 'withdraw'] as const;
export const bidActionSchema = z.enum(BID_ACTIONS, { error: `must be one of ${BID_ACTIONS.join(', ')}` }).meta({ id: 'BidAction' });
export type BidAction = z.infer<typeof bidActionSchema>;

export const actionBodySchema = z
  .strictObject({
    amountPence: positivePenceSchema.optional(),
    reason: longTextSchema(2000).optional(),
  })
  .meta({ id: 'ActionBody', description: 'recommend needs amountPence; reason is kept in the audit trail' });
export type ActionBody = z.infer<typeof actionBodySchema>;

/** Most rows one batch may carry; the add-in sends larger pushes in several batches. */
export const MAX_BATCH_ROWS = 1000;

export const allocationRowSchema = z
  .strictObject({
    bidId: bidIdSchema,
    version: z.number({ error: 'must be the bid version you last saw' }).int().min(1),
    proposedPence: penceSchema.nullable(),
  })
  .meta({ id: 'AllocationRow' });
export type AllocationRow = z.infer<typeof allocationRowSchema>;

export const allocationBatchSchema = z
  .strictObject({
    allocations: z
      .array(allocationRowSchema)
      .min(1, { error: 'must hold at least one row' })
      .max(MAX_BATCH_ROWS, { error: `must hold at most ${MAX_BATCH_ROWS} rows` }),
  })
  .meta({ id: 'AllocationBatch' });
export type AllocationBatch = z.infer<typeof allocationBatchSchema>;

export const ALLOCATION_OUTCOMES = ['ok', 'version-conflict', 'invalid'] as const;

export const allocationResultSchema = z
  .strictObject({
    bidId: z.string(),
    status: z.enum(ALLOCATION_OUTCOMES),
    reason: z.string().optional(),
    /** On ok the updated bid; on a conflict the server's current bid, to show beside the local value. */
    bid: bidSchema.optional(),
  })
  .meta({ id: 'AllocationResult' });
export type AllocationResult = z.infer<typeof allocationResultSchema>;

export const allocationBatchResultSchema = z
  .strictObject({ results: z.array(allocationResultSchema) })
  .meta({ id: 'AllocationBatchResult' });
