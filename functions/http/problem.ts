/**
 * RFC 9457 problem details: every error the API returns, in one shape, with one mapping from
 * domain error kinds to HTTP statuses. Never a stack trace.
 */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppEnv } from './env';
import * as z from 'zod/mini';
import type { DomainError, DomainErrorKind, FieldIssue } from '../../domain';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export type ProblemKind =
  | DomainErrorKind
  | 'unauthenticated'
  | 'precondition-required'
  | 'payload-too-large'
  | 'header-too-large'
  | 'misdirected'
  | 'unsupported-media-type'
  | 'idempotency-key-reuse'
  | 'request-in-progress'
  | 'unavailable'
  | 'internal';

const STATUS: Record<ProblemKind, number> = {
  invalid: 400,
  'over-request': 400,
  unauthenticated: 401,
  forbidden: 403,
  'forbidden-funder': 403,
  'not-found': 404,
  'invalid-transition': 409,
  'over-budget': 409,
  'no-budget': 409,
  'pot-below-committed': 409,
  'interests-not-confirmed': 409,
  'outcome-measures-required': 409,
  'year-closed': 409,
  'return-not-accepted': 409,
  'conflict-of-interest': 403,
  'separation-of-duties': 403,
  'request-in-progress': 409,
  'version-conflict': 412,
  'payload-too-large': 413,
  'header-too-large': 431,
  misdirected: 421,
  'unsupported-media-type': 415,
  'idempotency-key-reuse': 422,
  'precondition-required': 428,
  unavailable: 503,
  internal: 500,
};

const TITLE: Record<ProblemKind, string> = {
  invalid: 'The request is not valid',
  'over-request': 'The amount is more than was requested',
  unauthenticated: 'Sign-in required',
  forbidden: 'Not allowed for your role',
  'forbidden-funder': "Not allowed for your funder's share",
  'not-found': 'Not found',
  'invalid-transition': 'Not possible in the bid’s current state',
  'over-budget': 'Over budget',
  'no-budget': 'No budget set for the financial year',
  'pot-below-committed': 'A pot cannot fall below what is committed',
  'interests-not-confirmed': 'The register of interests must be confirmed',
  'outcome-measures-required': 'The bid needs outcome measures before approval',
  'year-closed': 'The financial year is closed',
  'return-not-accepted': 'The monitoring return this instalment waits for is not accepted yet',
  'conflict-of-interest': 'A declared interest bars you from this decision',
  'separation-of-duties': 'Someone else must take this decision',
  'request-in-progress': 'A request with this Idempotency-Key is still in progress',
  'version-conflict': 'The bid has changed since you last read it',
  'payload-too-large': 'The request body is too large',
  'header-too-large': 'The request headers are too large',
  misdirected: 'This server answers only requests addressed to this machine',
  'unsupported-media-type': 'The request body must be JSON',
  'idempotency-key-reuse': 'This Idempotency-Key was used for a different request',
  'precondition-required': 'If-Match is required',
  unavailable: 'The service is temporarily unavailable',
  internal: 'Something went wrong on our side',
};

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().check(z.int()),
    detail: z.string(),
    instance: z.optional(z.string()),
    requestId: z.optional(z.string()),
    errors: z.optional(z.array(z.object({ path: z.string(), message: z.string() }))),
    funder: z.optional(z.string()),
    amounts: z.optional(z.record(z.string(), z.number().check(z.int()))),
    declarationId: z.optional(z.string()),
  })
  .check(z.meta({ id: 'Problem', description: 'RFC 9457 problem details' }));
export type Problem = z.infer<typeof problemSchema>;

export function problemStatus(kind: ProblemKind): number {
  return STATUS[kind];
}

export function problemTitle(kind: ProblemKind): string {
  return TITLE[kind];
}

export function buildProblem(
  kind: ProblemKind,
  detail: string,
  extra: {
    /** A title naming the resource where the kind's own does not fit (a budget's conflict is not a bid's). */
    title?: string;
    instance?: string;
    requestId?: string;
    errors?: FieldIssue[];
    funder?: string;
    amounts?: Record<string, number>;
  } = {},
): Problem {
  const { title, ...rest } = extra;
  return {
    type: `urn:fundshare:problem:${kind}`,
    title: title ?? TITLE[kind],
    status: STATUS[kind],
    detail,
    ...rest,
  };
}

export function fromDomainError(error: DomainError): {
  kind: ProblemKind;
  detail: string;
  errors?: FieldIssue[];
  funder?: string;
  amounts?: Record<string, number>;
  declarationId?: string;
} {
  return {
    kind: error.kind,
    detail: error.message,
    ...(error.issues ? { errors: error.issues } : {}),
    ...(error.declarationId !== undefined ? { declarationId: error.declarationId } : {}),
    ...(error.funder ? { funder: error.funder } : {}),
    ...(error.amounts ? { amounts: error.amounts } : {}),
  };
}

/** Send a problem response from a handler or middleware. */
export function problemResponse(
  c: Context<AppEnv>,
  kind: ProblemKind,
  detail: string,
  extra: { errors?: FieldIssue[]; funder?: string; amounts?: Record<string, number>; headers?: Record<string, string> } = {},
): Response {
  const { headers, ...rest } = extra;
  const body = buildProblem(kind, detail, { instance: c.req.path, requestId: c.get('requestId'), ...rest });
  // c.body, not new Response: the headers the middleware prepared (request id, CORS) go in with it.
  return c.body(JSON.stringify(body), body.status as ContentfulStatusCode, { 'content-type': PROBLEM_CONTENT_TYPE, ...headers });
}
