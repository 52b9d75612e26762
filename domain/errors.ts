/**
 * Errors are values with a kind. Every edge maps a kind the same way: HTTP problem details,
 * an Excel error value, a row of a rejection report.
 */
import type { FunderId } from './alliance';
import type { Pence } from './money';
import type { FieldIssue } from './schemas/bid';

export type DomainErrorKind =
  | 'invalid'
  | 'invalid-transition'
  | 'forbidden'
  | 'forbidden-funder'
  | 'over-request'
  | 'over-budget'
  | 'no-budget'
  | 'pot-below-committed'
  | 'version-conflict'
  | 'not-found'
  | 'conflict-of-interest'
  | 'separation-of-duties'
  | 'interests-not-confirmed'
  | 'outcome-measures-required'
  /** The financial year is closed (docs/design.md §3.1): no new bids, approvals or pot changes. */
  | 'year-closed'
  | 'return-not-accepted';

export interface DomainError {
  kind: DomainErrorKind;
  /** A sentence a finance user can act on. */
  message: string;
  /** For invalid input: which fields, and what is wrong with each. */
  issues?: FieldIssue[];
  funder?: FunderId;
  /** Amounts the message speaks of, in pence (e.g. the share and what remains). */
  amounts?: Record<string, Pence>;
  /** The declaration of interest a refusal rests on. */
  declarationId?: string;
}

export const domainError = (kind: DomainErrorKind, message: string, extra: Partial<DomainError> = {}): DomainError => ({
  kind,
  message,
  ...extra,
});

export const invalid = (path: string, message: string): DomainError => ({
  kind: 'invalid',
  message: `${path}: ${message}`,
  issues: [{ path, message }],
});
