/** Who is acting: the signed-in user's subject, roles and bindings (docs/design.md §5). */
import * as z from 'zod/mini';
import { affiliationSchema, funderIdSchema, leadOrganisationSchema, subjectSchema } from './common';

export const ROLES = ['finance', 'board', 'pcc', 'admin', 'submitter'] as const;
export const roleSchema = z.enum(ROLES, { error: `must be one of ${ROLES.join(', ')}` }).check(z.meta({ id: 'Role' }));
export type Role = z.infer<typeof roleSchema>;

/**
 * A pcc is bound to one funder, a submitter to one lead organisation; a board member may carry
 * an affiliation (a lead organisation or a body), which bars them from deciding on that
 * organisation's bids.
 */
export const actorSchema = z
  .strictObject({
    sub: subjectSchema,
    roles: z.array(roleSchema).check(z.minLength(1, { error: 'must hold at least one role' }), z.maxLength(ROLES.length)),
    funder: z.optional(funderIdSchema),
    organisation: z.optional(leadOrganisationSchema),
    affiliation: z.optional(affiliationSchema),
  })
  .check(
    z.superRefine((actor, ctx) => {
      if (actor.roles.includes('pcc') && !actor.funder)
        ctx.addIssue({ code: 'custom', path: ['funder'], message: 'a pcc must be bound to a funder' });
      if (actor.roles.includes('submitter') && !actor.organisation) {
        ctx.addIssue({ code: 'custom', path: ['organisation'], message: 'a submitter must be bound to a lead organisation' });
      }
    }),
    z.meta({ id: 'Actor' }),
  );
export type Actor = z.infer<typeof actorSchema>;
