/** Request schemas of the HTTP edge: path, query and header parameters around the domain's bodies. */
import * as z from 'zod/mini';
import { BID_STATUSES, bidActionSchema, bidIdSchema, normaliseFinancialYear, parseFinancialYear } from '../../domain';

/** A financial year in a URL path: 2025-26. */
export const fyPathSchema = z.string().check(
  z.superRefine((text, ctx) => {
    const parsed = parseFinancialYear(text);
    if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.error.message.replace('2025/26', '2025-26') });
    else if (!text.includes('-')) ctx.addIssue({ code: 'custom', message: 'financial year in a path is written like 2025-26' });
  }),
  z.meta({ example: '2025-26' }),
);

export const fyParamsSchema = z.object({ fy: fyPathSchema });

/** "2025-26" in the path → "2025/26"; fyPathSchema has already checked it. */
export const fyOf = (path: string): string => {
  const normalised = normaliseFinancialYear(path);
  return normalised.ok ? normalised.value : path;
};
// A copy of the bid id schema carrying the example (metadata belongs to one schema instance).
const bidIdParamSchema = bidIdSchema.check(z.meta({ example: 'FS-000001' }));
export const bidParamsSchema = z.object({ id: bidIdParamSchema });
export const actionParamsSchema = z.object({
  id: bidIdParamSchema,
  action: bidActionSchema,
});

export const instalmentParamsSchema = z.object({
  id: bidIdParamSchema,
  n: z.coerce
    .number({ error: 'must be an instalment number' })
    .check(z.int({ error: 'must be a whole number' }), z.gte(1, { error: 'must be at least 1' }), z.meta({ example: 1 })),
});

export const MAX_PAGE_SIZE = 1000;
export const DEFAULT_PAGE_SIZE = 100;

export const listQuerySchema = z.strictObject({
  fy: z.string({ error: 'is required: the financial year, e.g. 2025/26' }).check(
    z.superRefine((text, ctx) => {
      const parsed = parseFinancialYear(text);
      if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.error.message });
    }),
    z.meta({ example: '2025/26' }),
  ),
  status: z.optional(z.enum(BID_STATUSES, { error: `must be one of ${BID_STATUSES.join(', ')}` })),
  since: z
    .optional(z.string().check(z.maxLength(512)))
    .check(z.meta({ description: 'A syncToken from an earlier response: only bids changed since' })),
  cursor: z.optional(z.string().check(z.maxLength(2048))).check(z.meta({ description: 'nextCursor from the previous page' })),
  limit: z.optional(
    z.coerce
      .number({ error: 'must be a whole number' })
      .check(
        z.int({ error: 'must be a whole number' }),
        z.gte(1, { error: 'must be at least 1' }),
        z.lte(MAX_PAGE_SIZE, { error: `must be at most ${MAX_PAGE_SIZE}` }),
      ),
  ),
});

const idempotencyKeyHeader = z
  .optional(z.string().check(z.regex(/^[\x21-\x7e]{1,255}$/, { error: 'must be 1 to 255 visible ASCII characters (a UUID is ideal)' })))
  .check(z.meta({ description: 'Makes the request safe to retry: a retry returns the first result and changes nothing' }));

export const writeHeadersSchema = z.object({ 'idempotency-key': idempotencyKeyHeader });
export const conditionalWriteHeadersSchema = z.object({
  'idempotency-key': idempotencyKeyHeader,
  'if-match': z.optional(z.string()).check(z.meta({ description: "The bid's version (its ETag), quoted or bare. Required." })),
});
