/** Shared pieces of route definitions: JSON bodies, the problem response, security. */
import type * as z from 'zod';
import { problemSchema } from '../problem';

export const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

export const jsonBody = <T extends z.ZodType>(schema: T, required = true) => ({
  required,
  content: { 'application/json': { schema } },
});

/** Every route can answer with a problem: 400, 401, 403, 404, 409, 412, 413, 415, 422, 428, 503. */
export const problems = {
  default: {
    description: 'RFC 9457 problem details',
    content: { 'application/problem+json': { schema: problemSchema } },
  },
  // In AWS, API Gateway's throttling answers 429 with its own small JSON body. (A response
  // without content is also what lets handlers return a prepared Response in hono's types.)
  429: { description: 'Too many requests (API Gateway throttling, in AWS only); retry later' },
};

export const bearer = [{ bearerAuth: [] }];
