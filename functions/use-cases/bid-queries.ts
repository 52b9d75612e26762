/** Reading bids: one, a page (with the delta feed), and a bid's history. */
import {
  declarationsOn,
  domainError,
  err,
  ok,
  type AuditEvent,
  type Declaration,
  type Bid,
  type BidHistory as BidHistoryResponse,
  type BidStatus,
  type DomainError,
  type Result,
} from '../../domain';
import type { StoredBid } from '../store/types';
import type { UseCaseDeps } from './deps';

/**
 * A change is visible in the index a moment after it is written, and clocks differ between
 * Lambda instances: a delta feed re-reads this much before the token's position so no change
 * is ever skipped. Clients merge by id and version, so a re-read bid is harmless.
 */
export const SYNC_OVERLAP_MS = 60_000;

export class InvalidSyncTokenError extends Error {
  constructor(message = 'since is not a sync token this API issued for this financial year') {
    super(message);
    this.name = 'InvalidSyncTokenError';
  }
}

interface SyncPosition {
  fy: string;
  /** ISO timestamp of the latest change the holder has seen; '' before any. */
  after: string;
}

export function encodeSyncToken(position: SyncPosition): string {
  return Buffer.from(JSON.stringify({ v: 1, ...position }), 'utf8').toString('base64url');
}

export function decodeSyncToken(token: string, fy: string): SyncPosition {
  let value: unknown;
  try {
    if (token.length > 512 || !/^[A-Za-z0-9_-]+$/.test(token)) throw new InvalidSyncTokenError();
    value = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidSyncTokenError();
  }
  const record = value as Record<string, unknown> | null;
  if (!record || record.v !== 1 || record.fy !== fy || typeof record.after !== 'string') throw new InvalidSyncTokenError();
  if (record.after !== '' && Number.isNaN(Date.parse(record.after))) throw new InvalidSyncTokenError();
  return { fy, after: record.after };
}

export async function getBid(deps: UseCaseDeps, id: string): Promise<Result<Bid, DomainError>> {
  const stored = await deps.store.readBid(id);
  return stored ? ok(stored.bid) : err(domainError('not-found', `bid ${id} does not exist`));
}

export interface BidListRequest {
  fy: string;
  status?: BidStatus;
  since?: string;
  cursor?: string;
  limit: number;
}

export interface BidListResponse {
  bids: Bid[];
  nextCursor: string | null;
  syncToken: string;
}

export async function listBids(deps: UseCaseDeps, request: BidListRequest): Promise<BidListResponse> {
  const since = request.since !== undefined ? decodeSyncToken(request.since, request.fy) : undefined;
  const changedSince = since && since.after !== '' ? new Date(Date.parse(since.after) - SYNC_OVERLAP_MS).toISOString() : undefined;
  const page = await deps.store.listBids({
    fy: request.fy,
    limit: request.limit,
    ...(request.status !== undefined ? { status: request.status } : {}),
    ...(changedSince !== undefined ? { changedSince } : {}),
    ...(request.cursor !== undefined ? { cursor: request.cursor } : {}),
  });
  const previous = since?.after ?? '';
  const after = page.latestChange !== undefined && page.latestChange > previous ? page.latestChange : previous;
  return { bids: page.bids, nextCursor: page.nextCursor ?? null, syncToken: encodeSyncToken({ fy: request.fy, after }) };
}

export interface BidHistory {
  events: AuditEvent[];
  /** Declarations of interest on the bid or its lead organisation. */
  declarations: Declaration[];
  /** Each monitoring return's own history, by quarter: a return is its own item, never a bid version (docs/design.md §1.4). */
  returns: NonNullable<BidHistoryResponse['returns']>;
}

/**
 * A bid's audit events, oldest first: the audit trail and the events still in the bid's outbox
 * (a change answers before their audit copy is made: docs/design.md §3), each version once.
 */
export async function auditEventsOf(deps: UseCaseDeps, stored: Pick<StoredBid, 'bid' | 'unrecorded'>): Promise<AuditEvent[]> {
  const recorded = await deps.store.history(stored.bid.id);
  const versions = new Set(recorded.map((e) => e.version));
  return [...recorded, ...stored.unrecorded.filter((e) => !versions.has(e.version))].sort((a, b) => a.version - b.version);
}

export async function bidHistory(deps: UseCaseDeps, id: string): Promise<Result<BidHistory, DomainError>> {
  const stored = await deps.store.readBid(id);
  if (!stored) return err(domainError('not-found', `bid ${id} does not exist`));
  const [events, declarations, returns] = await Promise.all([
    auditEventsOf(deps, stored),
    deps.store.declarations(stored.bid.fy),
    deps.store.returnsOfBid(stored.bid.fy, id),
  ]);
  return ok({
    events,
    declarations: declarationsOn(stored.bid, declarations),
    returns: returns.map((r) => ({ quarter: r.quarter, status: r.status, history: r.history })),
  });
}
