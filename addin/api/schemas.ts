/**
 * Response shapes of the local dev routes the add-in reads. The API's own envelopes (a page of
 * bids, a bid's history) are the domain's, shared with the HTTP edge, and checked below against
 * the OpenAPI document's generated types.
 */
import * as z from 'zod/mini';
import {
  funderIdSchema,
  leadOrganisationSchema,
  roleSchema,
  type allocationBatchResultSchema,
  type bidHistorySchema,
  type bidPageSchema,
  type bidSchema,
  type budgetSchema,
  type yearReportSchema,
} from '../../domain';
import type { ResponseBody } from './contract-url';

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

/** The local server's own routes (its dev token issuer): outside the contract and its document. */
export type DevPath = '/dev/users' | '/dev/token';

type Agrees<Parsed, Documented> = [Parsed] extends [Documented] ? true : false;
type AllTrue<T extends readonly true[]> = T;

/**
 * A compile-time check: what the client parses each answer with (the domain's schemas) fits
 * what the OpenAPI document says the route answers, so the two cannot drift apart unnoticed.
 */
export type ResponseShapesAgree = AllTrue<
  [
    Agrees<z.output<typeof bidSchema>, ResponseBody<'/bids/{id}', 'get'>>,
    Agrees<z.output<typeof bidPageSchema>, ResponseBody<'/bids', 'get'>>,
    Agrees<z.output<typeof bidHistorySchema>, ResponseBody<'/bids/{id}/history', 'get'>>,
    Agrees<z.output<typeof budgetSchema>, ResponseBody<'/years/{fy}/budget', 'get'>>,
    Agrees<z.output<typeof allocationBatchResultSchema>, ResponseBody<'/allocations/batch', 'post'>>,
    Agrees<z.output<typeof yearReportSchema>, ResponseBody<'/years/{fy}/report', 'get'>>,
  ]
>;
