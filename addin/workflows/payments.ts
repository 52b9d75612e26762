/**
 * The Payments sheet end to end (docs/design.md §3.1), the same shape as record-decisions.ts:
 * pull:    (with the Bids pull) pulled bids → rows → keep typed Release cells → write
 * release: read sheet → local checks → POST release per row → results per row → rewrite
 * A refused or conflicting row keeps its Release cell, with the server's reason in Result.
 */
import type { Bid } from '../../domain';
import { ApiError } from '../api/api-error';
import { readPaymentsSheet } from '../excel/payments-sheet';
import { selectReleases, type ReleaseRequest } from '../sheet/payments-plan';
import type { RowIssue } from '../sheet/sync-plan';
import { writePayments } from './payments-pull';
import { now, WorkflowError, type WorkflowDeps } from './workflows';

export const RELEASED = 'released';

export interface ReleaseResult {
  sent: number;
  released: number;
  /** Rows refused here or by the server (conflicts included), with the reason. */
  refused: RowIssue[];
  at: Date;
}

/** Release each chosen part, one request per row; a bid's later rows use the version its earlier release returned. */
export async function releasePayments(deps: WorkflowDeps, fy: string): Promise<ReleaseResult> {
  const cache = deps.cache.forYear(fy);
  if (cache.bids.size === 0) throw new WorkflowError('Pull bids first: the Payments sheet comes with the pull.');
  deps.onProgress?.({ label: 'Reading your releases…' });
  const selection = await deps.runExcel(async (context) => selectReleases(await readPaymentsSheet(context), deps.actor));
  const messages = new Map(selection.refused);
  let released = 0;
  for (const [i, request] of selection.releases.entries()) {
    deps.onProgress?.({ label: 'Releasing payments…', done: i, total: selection.releases.length });
    const outcome = await releaseOne(deps, request, cache.bids.get(request.bidId));
    messages.set(request.key, outcome.message);
    if (outcome.bid) {
      cache.remember([outcome.bid]);
      released++;
    }
  }
  const inputs = new Map(selection.inputs);
  for (const [key, message] of messages) {
    const typed = inputs.get(key);
    // A released part's Release cell is cleared; a refused one keeps it, to fix and send again.
    inputs.set(key, { release: message === RELEASED ? '' : (typed?.release ?? ''), result: message });
  }
  deps.onProgress?.({ label: 'Updating the Payments sheet…' });
  await deps.runExcel((context) => writePayments(context, cache.bids, deps.actor, inputs));
  const refused = [...messages]
    .filter(([, message]) => message !== RELEASED)
    .map(([key, message]) => {
      const bidId = key.split('#')[0] ?? key;
      return { bidId, title: cache.bids.get(bidId)?.title ?? '', message };
    });
  return { sent: selection.releases.length, released, refused, at: now(deps) };
}

async function releaseOne(deps: WorkflowDeps, request: ReleaseRequest, cached: Bid | undefined): Promise<{ bid?: Bid; message: string }> {
  // The sheet's version, unless this push already moved the bid on (an earlier row of the same bid).
  const version = cached && cached.version > request.version ? cached.version : request.version;
  try {
    const bid = await deps.client.releaseInstalment(request.bidId, request.instalment, version);
    return { bid, message: RELEASED };
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    if (error.kind === 'network' || error.kind === 'unavailable' || error.kind === 'timeout' || error.kind === 'unauthorised') throw error;
    // 412: the bid changed since the pull; anything else is the server refusing the release itself.
    const prefix = error.status === 412 ? 'Conflict' : 'Refused';
    return { message: `${prefix}: ${error.message}` };
  }
}
