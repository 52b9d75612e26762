/** Response shapes the add-in reads, built from the domain's zod schemas (one schema per entity). */
import * as z from 'zod/mini';
import { auditEventSchema, bidSchema, funderIdSchema, leadOrganisationSchema, roleSchema } from '../../domain';

export const bidPageSchema = z.object({
  bids: z.array(bidSchema),
  nextCursor: z.nullable(z.string()),
  syncToken: z.string(),
});
export type BidPage = z.infer<typeof bidPageSchema>;

export const historySchema = z.object({ events: z.array(auditEventSchema) });

export const demoUserSchema = z.object({
  sub: z.string(),
  name: z.string(),
  roles: z.array(roleSchema),
  funder: z.optional(funderIdSchema),
  organisation: z.optional(leadOrganisationSchema),
});
export type DemoUser = z.infer<typeof demoUserSchema>;

export const demoUsersSchema = z.object({ users: z.array(demoUserSchema) });

export const devTokenSchema = z.object({ token: z.string(), expiresAt: z.string() });
