/** Request schemas of the HTTP edge: path, query and header parameters around the domain's bodies. */
import * as z from 'zod';
import { BID_STATUSES, bidActionSchema, bidIdSchema, bidSchema, parseFinancialYear } from '../../domain';

/** A financial year in a URL path: 2025-26. */
export const fyPathSchema = z
  .string()
  .superRefine((text, ctx) => {
    const parsed = parseFinancialYear(text);
    if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.error.message.replace('2025/26', '2025-26') });
    else if (!text.includes('-')) ctx.addIssue({ code: 'custom', message: 'financial year in a path is written like 2025-26' });
  })
  .meta({ example: '2025-26' });

export const fyParamsSchema = z.object({ fy: fyPathSchema });
export const bidParamsSchema = z.object({ id: bidIdSchema.meta({ example: 'FS-000001' }) });
export const actionParamsSchema = z.object({
  id: bidIdSchema.meta({ example: 'FS-000001' }),
  action: bidActionSchema,
});

export const MAX_PAGE_SIZE = 1000;
export const DEFAULT_PAGE_SIZE = 100;

export const listQuerySchema = z.strictObject({
  fy: z
    .string({ error: 'is required: the financial year, e.g. 2025/26' })
    .superRefine((text, ctx) => {
      const parsed = parseFinancialYear(text);
      if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.error.message });
    })
    .meta({ example: '2025/26' }),
  status: z.enum(BID_STATUSES, { error: `must be one of ${BID_STATUSES.join(', ')}` }).optional(),
  since: z.string().max(512).optional().meta({ description: 'A syncToken from an earlier response: only bids changed since' }),
  cursor: z.string().max(2048).optional().meta({ description: 'nextCursor from the previous page' }),
  limit: z.coerce
    .number({ error: 'must be a whole number' })
    .int({ error: 'must be a whole number' })
    .min(1, { error: 'must be at least 1' })
    .max(MAX_PAGE_SIZE, { error: `must be at most ${MAX_PAGE_SIZE}` })
    .optional(),
});

export const bidPageSchema = z
  .object({
    bids: z.array(bidSchema),
    nextCursor: z.string().nullable(),
    syncToken: z.string().meta({ description: 'Pass as since= to get only what changed after this response' }),
  })
  .meta({ id: 'BidPage' });

const idempotencyKeyHeader = z
  .string()
  .regex(/^[\x21-\x7e]{1,255}$/, { error: 'must be 1 to 255 visible ASCII characters (a UUID is ideal)' })
  .optional()
  .meta({ description: 'Makes the request safe to retry: a retry returns the first result and changes nothing' });

export const writeHeadersSchema = z.object({ 'idempotency-key': idempotencyKeyHeader });
export const conditionalWriteHeadersSchema = z.object({
  'idempotency-key': idempotencyKeyHeader,
  'if-match': z.string().optional().meta({ description: "The bid's version (its ETag), quoted or bare. Required." }),
});
