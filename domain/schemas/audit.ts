/** The append-only audit trail: one event per change to a bid or its money. */
import * as z from 'zod';
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
] as const;
export const auditActionSchema = z.enum(AUDIT_ACTIONS);
export type AuditAction = z.infer<typeof auditActionSchema>;

export const auditEventSchema = z
  .strictObject({
    bidId: z.string(),
    at: isoTimestampSchema,
    actor: z.string(),
    role: roleSchema.or(z.literal('system')),
    action: auditActionSchema,
    from: bidStatusSchema.nullable(),
    to: bidStatusSchema,
    version: z.number().int(),
    funder: funderIdSchema.optional(),
    amounts: z
      .partialRecord(z.enum(['requestedPence', 'proposedPence', 'recommendedPence', 'sharePence']), penceSchema.nullable())
      .optional(),
    reason: z.string().optional(),
    requestId: z.string(),
    source: z.strictObject({ file: z.string(), row: z.number().int() }).optional(),
  })
  .meta({ id: 'AuditEvent' });
export type AuditEvent = z.infer<typeof auditEventSchema>;
