/** Which statuses each lifecycle action and edit may start from (the lifecycle's table, docs/design.md §1). */
import type { BidAction } from './schemas/action';
import type { BidStatus } from './schemas/bid';

/** Statuses each action may start from. */
export const ACTION_FROM: Readonly<Record<BidAction, readonly BidStatus[]>> = {
  submit: ['draft', 'info-requested'],
  'request-info': ['submitted'],
  recommend: ['submitted'],
  'not-recommend': ['submitted'],
  approve: ['recommended'],
  decline: ['recommended'],
  release: ['approved'],
  withdraw: ['draft', 'submitted', 'info-requested', 'recommended'],
  vary: ['approved'],
  'approve-variation': ['approved'],
  'withdraw-variation': ['approved'],
  'decline-variation': ['approved'],
  'return-underspend': ['approved', 'released'],
};

/** Statuses in which the bidder's fields may be edited. */
export const EDITABLE_STATUSES: readonly BidStatus[] = ['draft', 'info-requested'];

/** Statuses in which finance may propose an allocation (before the board decides). */
export const PROPOSABLE_STATUSES: readonly BidStatus[] = ['draft', 'submitted', 'info-requested'];

/**
 * Statuses in which the outcome measures alone may still be set: they are required before
 * approval (docs/design.md §1.4), so a bid submitted without them can gain them until decided.
 */
export const MEASURES_EDITABLE_STATUSES: readonly BidStatus[] = ['draft', 'submitted', 'info-requested', 'recommended'];
