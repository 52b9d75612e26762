/** Turning zod's issues into field issues a person can act on: a dotted path and a message. */
import type * as z from 'zod/mini';
import type { FieldIssue } from './bid';

/** Path `a.0.b`; the body itself is `(body)`. */
export const issuePath = (path: readonly PropertyKey[]): string => (path.length === 0 ? '(body)' : path.map(String).join('.'));

/** One issue per offending field; an unknown key is named as its own path. */
export function fieldIssuesFromZod(error: z.core.$ZodError): FieldIssue[] {
  return error.issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: issuePath([...issue.path, key]), message: 'is not a known field' }));
    }
    return [{ path: issuePath(issue.path), message: issue.message }];
  });
}
