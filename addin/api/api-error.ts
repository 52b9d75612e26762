/** What can go wrong talking to the Fundshare API, as a value with a kind every caller maps the same way. */
import * as z from 'zod/mini';

export type ApiErrorKind =
  'network' | 'unauthorised' | 'forbidden' | 'not-found' | 'invalid' | 'conflict' | 'unavailable' | 'server' | 'bad-response' | 'timeout';

/** RFC 9457 problem details as the API sends them. */
export const problemSchema = z.object({
  type: z.optional(z.string()),
  title: z.optional(z.string()),
  status: z.optional(z.number()),
  detail: z.optional(z.string()),
  errors: z.optional(z.array(z.object({ path: z.string(), message: z.string() }))),
});
export type Problem = z.infer<typeof problemSchema>;

export class ApiError extends Error {
  constructor(
    readonly kind: ApiErrorKind,
    message: string,
    readonly status?: number,
    readonly problem?: Problem,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** Worth trying again later with the same request (and the same Idempotency-Key). */
  get retryable(): boolean {
    return this.kind === 'network' || this.kind === 'unavailable' || this.kind === 'timeout';
  }
}

export function kindForStatus(status: number, problemType?: string): ApiErrorKind {
  // The same request is still running on the server: retrying with the same key gets its result.
  if (status === 409 && problemType?.endsWith(':request-in-progress')) return 'unavailable';
  if (status === 401) return 'unauthorised';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not-found';
  if (status === 409 || status === 412 || status === 428) return 'conflict';
  if (status === 503 || status === 429) return 'unavailable';
  if (status >= 400 && status < 500) return 'invalid';
  return 'server';
}

/** A sentence for the user: the server's detail when it sent one, else what the status means. */
export function messageFor(kind: ApiErrorKind, problem: Problem | undefined): string {
  const detail = problem?.detail ?? problem?.title;
  switch (kind) {
    case 'unauthorised':
      return `Your sign-in was refused or has expired: sign in again.${detail ? ` (${detail})` : ''}`;
    case 'forbidden':
      return detail ?? 'Your role does not allow this.';
    case 'not-found':
      return detail ?? 'Not found.';
    case 'unavailable':
      return `The Fundshare service is busy or unavailable; try again shortly.${detail ? ` (${detail})` : ''}`;
    case 'server':
      return `The Fundshare service failed.${detail ? ` (${detail})` : ''}`;
    default:
      return detail ?? 'The request was refused.';
  }
}
