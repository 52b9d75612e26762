/**
 * The sync job's own store port (docs/design.md §7): the lease that stops two runs overlapping, the
 * records that make ingest idempotent (one per file, keyed by content hash, and one per row),
 * and per-FY sync state (delta position, ledger digest, last export). The DynamoDB adapter is
 * dynamo-sync-store.ts; the job never sees keys or expressions.
 */

export type LeaseOutcome = { kind: 'acquired'; until: string } | { kind: 'held'; owner: string; until: string };

export type IngestFileState = 'ingesting' | 'done';

/** One intake file, keyed by the SHA-256 of its bytes: the same content is never ingested twice. */
export interface IngestedFile {
  hash: string;
  /** The name it had when first seen. */
  name: string;
  state: IngestFileState;
  /** Where the file goes in the done area (decided once, so a re-run after a crash moves it to the same place). */
  doneName: string;
  startedAt: string;
  rows?: number;
  created?: number;
  rejected?: number;
  doneAt?: string;
}

/**
 * One data row of an intake file that became (or is becoming) a bid: the claim of the bid id,
 * written before the bid itself. Whether the bid was written is the bid's own existence (one
 * read on a re-run), not a second write per row (docs/design.md §7).
 */
export interface IngestedRow {
  hash: string;
  row: number;
  requestId: string;
  /** The id chosen for the row's bid, written before the bid itself. */
  bidId: string;
}

export type RowClaim = { kind: 'claimed' } | { kind: 'taken'; existing: IngestedRow };

/** Which file row first asked for a bid of this content (functions/sync/row-identity.ts). */
export interface RowContentOwner {
  contentKey: string;
  hash: string;
  row: number;
}

export type ContentClaim = { kind: 'claimed' } | { kind: 'taken'; existing: RowContentOwner };

/** What the job remembers per financial year between runs. */
export interface SyncState {
  fy: string;
  /** Delta-feed token (bid-queries' format) after the last full pass. */
  syncToken: string;
  /** Latest bid change seen (ISO); bids changed before it, less the overlap, were checked then. */
  after: string;
  /**
   * SHA-256 of the id:version pairs inside the feed's overlap window before `after`: the feed
   * re-reads that window every time, and the same pairs again mean no change. (A digest, not the
   * pairs: a bulk ingest can put thousands of bids in one window; the item stays small.)
   */
  windowDigest: string;
  /** SHA-256 of the FY's budget record (fund, cost share) and ledgers as last reconciled. */
  ledgerDigest: string;
  /**
   * SHA-256 of the FY's monitoring returns (bid, quarter, version) as last reconciled: a return is
   * its own item and never touches its bid, so the change feed does not see it (absent: none seen).
   */
  returnsDigest?: string;
  /** A half-finished approval was still inside its grace period: look again after this moment. */
  recheckAfter?: string;
  /** Drift the last full pass could not repair: while any remains, every run reconciles again (and reports it). */
  openDrift?: number;
  /** SHA-256 of the last exported snapshot's content (timestamps excluded), and its files. */
  exportDigest?: string;
  exportedAt?: string;
  exportFiles?: string[];
  updatedAt: string;
  /** Optimistic version of this record. */
  revision: number;
}

export interface SyncStore {
  /** Take the lease unless another owner holds an unexpired one. */
  acquireLease(owner: string, now: Date, ttlMs: number): Promise<LeaseOutcome>;
  /** Extend our lease; false when it is no longer ours. */
  renewLease(owner: string, now: Date, ttlMs: number): Promise<boolean>;
  /** Give the lease up (only if it is still ours). */
  releaseLease(owner: string): Promise<void>;

  getIngestedFile(hash: string): Promise<IngestedFile | undefined>;
  /** Record a newly seen file; 'exists' when its hash is already recorded. */
  startIngestedFile(file: IngestedFile): Promise<'started' | 'exists'>;
  finishIngestedFile(hash: string, outcome: { rows: number; created: number; rejected: number; doneAt: string }): Promise<void>;
  /** Every row record of a file (one query). */
  ingestedRows(hash: string): Promise<IngestedRow[]>;
  /** Map a row to the bid id chosen for it, before the bid is written; 'taken' when the row already has one. */
  claimIngestedRow(row: IngestedRow): Promise<RowClaim>;
  getIngestedRow(hash: string, row: number): Promise<IngestedRow | undefined>;
  /** Record that this file row owns a bid of this content; 'taken' names the row that already does. */
  claimRowContent(owner: RowContentOwner): Promise<ContentClaim>;
  /** Hand a content claim from a row that never claimed its row record to another; false if it moved meanwhile. */
  takeRowContent(contentKey: string, from: Omit<RowContentOwner, 'contentKey'>, to: Omit<RowContentOwner, 'contentKey'>): Promise<boolean>;

  /** Every FY's sync state (one query). */
  syncStates(): Promise<SyncState[]>;
  /** Write the next revision; 'conflict' when another run wrote meanwhile. */
  putSyncState(state: SyncState): Promise<'written' | 'conflict'>;
}
