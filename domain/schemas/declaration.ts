/**
 * The register of interests: a governance board member declares an interest in one bid, or in
 * every bid of a lead organisation, for a financial year. A member with a declared interest may
 * not recommend, not-recommend or ask for information on those bids (domain/governance.ts).
 */
import * as z from 'zod/mini';
import { bidIdSchema } from './bid';
import { financialYearSchema, isoTimestampSchema, leadOrganisationSchema, lineTextSchema, subjectSchema } from './common';

export const declarationCreateSchema = z
  .strictObject({
    /** The board member's subject (the token's sub). */
    member: subjectSchema,
    bidId: z.optional(bidIdSchema),
    leadOrganisation: z.optional(leadOrganisationSchema),
    /** What the interest is, e.g. "trustee of the applicant". */
    nature: lineTextSchema(500),
  })
  .check(
    z.superRefine((value, ctx) => {
      if ((value.bidId === undefined) === (value.leadOrganisation === undefined)) {
        ctx.addIssue({ code: 'custom', path: ['bidId'], message: 'name either bidId or leadOrganisation (one of them)' });
      }
    }),
    z.meta({ id: 'DeclarationCreate', description: 'An interest in one bid (bidId) or in every bid of a lead organisation' }),
  );
export type DeclarationCreate = z.infer<typeof declarationCreateSchema>;

export const declarationSchema = z
  .strictObject({
    id: z.string(),
    fy: financialYearSchema,
    member: subjectSchema,
    bidId: z.optional(bidIdSchema),
    leadOrganisation: z.optional(leadOrganisationSchema),
    nature: z.string(),
    declaredAt: isoTimestampSchema,
    /** Who recorded it (the member, the board secretary, or an admin). */
    declaredBy: subjectSchema,
  })
  .check(z.meta({ id: 'Declaration' }));
export type Declaration = z.infer<typeof declarationSchema>;

export const declarationListSchema = z.strictObject({ declarations: z.array(declarationSchema) }).check(z.meta({ id: 'DeclarationList' }));
