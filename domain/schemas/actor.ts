/** Who is acting: the signed-in user's subject, roles and bindings (DESIGN §5). */
import * as z from 'zod';
import { funderIdSchema, leadOrganisationSchema, subjectSchema } from './common';

export const ROLES = ['finance', 'board', 'pcc', 'admin', 'submitter'] as const;
export const roleSchema = z.enum(ROLES, { error: `must be one of ${ROLES.join(', ')}` }).meta({ id: 'Role' });
export type Role = z.infer<typeof roleSchema>;

/** A pcc is bound to one funder, a submitter to one lead organisation. */
export const actorSchema = z
  .strictObject({
    sub: subjectSchema,
    roles: z.array(roleSchema).min(1, { error: 'must hold at least one role' }).max(ROLES.length),
    funder: funderIdSchema.optional(),
    organisation: leadOrganisationSchema.optional(),
  })
  .superRefine((actor, ctx) => {
    if (actor.roles.includes('pcc') && !actor.funder)
      ctx.addIssue({ code: 'custom', path: ['funder'], message: 'a pcc must be bound to a funder' });
    if (actor.roles.includes('submitter') && !actor.organisation) {
      ctx.addIssue({ code: 'custom', path: ['organisation'], message: 'a submitter must be bound to a lead organisation' });
    }
  })
  .meta({ id: 'Actor' });
export type Actor = z.infer<typeof actorSchema>;
