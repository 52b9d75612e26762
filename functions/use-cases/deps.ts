/** What every use-case is given: the store port, a clock, and (for tests) crash checkpoints. */
import { randomUUID } from 'node:crypto';
import type { FundStore } from '../store/types';

/**
 * The steps of a bid change, in order; tests inject a crash after any of them. 'audit-written' is
 * the change's end: its own audit copy is left to its outbox (docs/design.md §3).
 */
export type ProtocolStep =
  | 'ledger-committed'
  | 'bid-written'
  | 'ledger-settled'
  | 'audit-written'
  /** A year's close (docs/design.md §3.1): the record written, the ledgers closed, the money carried in. */
  | 'year-close-recorded'
  | 'year-ledgers-closed'
  | 'year-carried-in';

export interface UseCaseDeps {
  store: FundStore;
  now: () => Date;
  newRequestId: () => string;
  /** Called after each protocol step. Production passes nothing; tests throw here to simulate a crash. */
  checkpoint?: (step: ProtocolStep, detail: { bidId?: string; fy?: string; requestId: string }) => void | Promise<void>;
}

export function defaultDeps(store: FundStore): UseCaseDeps {
  return { store, now: () => new Date(), newRequestId: () => randomUUID() };
}
