/** The append-only audit trail: one event per change to a bid or its money. */
import * as z from 'zod/mini';
import { bidStatusSchema } from './bid';
import { roleSchema } from './actor';
import { funderIdSchema, isoTimestampSchema, penceSchema } from './common';

export const AUDIT_ACTIONS = [
  'create',
  'edit',
  'propose',
  'submit',
  'request-info',
  'recommend',
  'not-recommend',
  'approve',
  'decline',
  'release',
  'withdraw',
  'repair',
  'schedule-payments',
  'release-instalment',
  'vary',
  'approve-variation',
  'withdraw-variation',
  'decline-variation',
  'return-underspend',
] as const;
export const auditActionSchema = z.enum(AUDIT_ACTIONS);
export type AuditAction = z.infer<typeof auditActionSchema>;

export const auditEventSchema = z
  .strictObject({
    bidId: z.string(),
    at: isoTimestampSchema,
    actor: z.string(),
    role: z.union([roleSchema, z.literal('system')]),
    action: auditActionSchema,
    from: z.nullable(bidStatusSchema),
    to: bidStatusSchema,
    version: z.number().check(z.int()),
    funder: z.optional(funderIdSchema),
    amounts: z.optional(
      z.partialRecord(
        z.enum(['requestedPence', 'proposedPence', 'recommendedPence', 'sharePence', 'partPence', 'returnedPence']),
        z.nullable(penceSchema),
      ),
    ),
    /** A return of underspend: each funder's part (docs/design.md §3.1). */
    returnedParts: z.optional(z.partialRecord(funderIdSchema, penceSchema)),
    /** The instalment (1-based) a payment event is about. */
    instalment: z.optional(z.number().check(z.int(), z.gte(1))),
    reason: z.optional(z.string()),
    /** The decision notice number or board minute the decision rests on. */
    reference: z.optional(z.string()),
    requestId: z.string(),
    source: z.optional(z.strictObject({ file: z.string(), row: z.number().check(z.int()) })),
  })
  .check(z.meta({ id: 'AuditEvent' }));
export type AuditEvent = z.infer<typeof auditEventSchema>;
