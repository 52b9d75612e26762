/** The payment schedule finance sets on an approved bid (docs/design.md §3.1). */
import * as z from 'zod/mini';
import { isoDateSchema } from './bid';
import { positivePenceSchema } from './common';
import { quarterSchema } from './monitoring-return';

/** Most instalments one schedule may hold (monthly over five years). */
export const MAX_INSTALMENTS = 60;

export const paymentScheduleSchema = z
  .strictObject({
    instalments: z
      .array(
        z.strictObject({
          due: isoDateSchema,
          amountPence: positivePenceSchema,
          /** The quarter whose monitoring return must be accepted before this instalment is released. */
          requiresReturn: z.optional(quarterSchema),
        }),
      )
      .check(
        z.minLength(1, { error: 'must hold at least one instalment' }),
        z.maxLength(MAX_INSTALMENTS, { error: `must hold at most ${MAX_INSTALMENTS} instalments` }),
      ),
  })
  .check(
    z.meta({
      id: 'PaymentSchedule',
      description: "Instalments due in date order, summing to the bid's funded amount; each is split between the funders by running totals",
    }),
  );
export type PaymentSchedule = z.infer<typeof paymentScheduleSchema>;
