/**
 * Response shapes of the local dev routes the add-in reads. The API's own envelopes (a page of
 * bids, a bid's history) are the domain's, shared with the HTTP edge.
 */
import * as z from 'zod/mini';
import { funderIdSchema, leadOrganisationSchema, roleSchema } from '../../domain';

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
