/**
 * The API's response envelopes around the entity schemas (docs/design.md §4): the HTTP edge documents
 * them in OpenAPI and the add-in parses what it reads with the very same schemas.
 */
import * as z from 'zod/mini';
import { declarationSchema } from './declaration';
import { auditEventSchema } from './audit';
import { bidSchema } from './bid';
import { quarterSchema, returnEventSchema, returnStatusSchema } from './monitoring-return';

export const bidPageSchema = z
  .object({
    bids: z.array(bidSchema),
    nextCursor: z.nullable(z.string()),
    syncToken: z.string().check(z.meta({ description: 'Pass as since= to get only what changed after this response' })),
  })
  .check(z.meta({ id: 'BidPage' }));
export type BidPage = z.infer<typeof bidPageSchema>;

export const bidHistorySchema = z
  .object({
    events: z.array(auditEventSchema),
    /** Declarations of interest on the bid or its lead organisation, for the bid's year. */
    declarations: z.optional(z.array(declarationSchema)),
    /** Each monitoring return's own history (filed, accepted, sent back), by quarter (docs/design.md §1.4). */
    returns: z.optional(
      z.array(
        z
          .strictObject({ quarter: quarterSchema, status: returnStatusSchema, history: z.array(returnEventSchema) })
          .check(z.meta({ id: 'ReturnHistory' })),
      ),
    ),
  })
  .check(z.meta({ id: 'BidHistory' }));
export type BidHistory = z.infer<typeof bidHistorySchema>;
