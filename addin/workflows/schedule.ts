/**
 * Finance pushes payment schedules from the Schedule sheet (docs/design.md §3.1, §6):
 * read sheet → local checks (naming the column) → one PUT /bids/{id}/payments per bid, If-Match
 * the pulled version → scheduled bids' rows leave the sheet, refused ones keep their cells with
 * the reason → the Payments sheet is rewritten from the bids the server answered.
 */
import type { Bid } from '../../domain';
import { ApiError } from '../api/api-error';
import { readScheduleSheet, writeScheduleSheet } from '../excel/schedule-sheet';
import { selectSchedules, scheduleCellsAfter, type BidSchedule } from '../sheet/schedule-plan';
import type { RowIssue } from '../sheet/sync-plan';
import { writePayments } from './payments-pull';
import { now, WorkflowError, type WorkflowDeps } from './workflows';

export interface ScheduleResult {
  /** Bids sent, and those the server scheduled. */
  sent: number;
  scheduled: number;
  /** Rows refused here or by the server, with the reason (one per row). */
  refused: RowIssue[];
  at: Date;
}

export async function pushSchedules(deps: WorkflowDeps, fy: string): Promise<ScheduleResult> {
  if (!deps.actor?.roles.includes('finance')) throw new WorkflowError('Only finance pushes payment schedules.');
  const cache = deps.cache.forYear(fy);
  if (cache.bids.size === 0) throw new WorkflowError('Pull bids first: the schedule is checked against the pulled bids.');
  deps.onProgress?.({ label: 'Reading the Schedule sheet…' });
  const rows = await deps.runExcel((context) => readScheduleSheet(context));
  const selection = selectSchedules(rows, cache.bids);
  const results = new Map(selection.refused);
  const scheduledRows = new Set<number>();
  let scheduled = 0;
  for (const [i, schedule] of selection.schedules.entries()) {
    deps.onProgress?.({ label: 'Pushing schedules…', done: i, total: selection.schedules.length });
    const outcome = await scheduleOne(deps, schedule);
    if (outcome.bid) {
      cache.remember([outcome.bid]);
      scheduled++;
      for (const r of schedule.rows) scheduledRows.add(r);
    } else for (const r of schedule.rows) results.set(r, outcome.message);
  }
  deps.onProgress?.({ label: 'Updating the Schedule and Payments sheets…' });
  await deps.runExcel(async (context) => {
    await writeScheduleSheet(context, scheduleCellsAfter(rows, scheduledRows, results));
    if (scheduled > 0) await writePayments(context, cache.bids, deps.actor);
  });
  const refused = [...results].map(([r, message]) => {
    const bidId = String(rows[r]?.[0] ?? '').trim();
    return { bidId, title: cache.bids.get(bidId)?.title ?? '', message };
  });
  return { sent: selection.schedules.length, scheduled, refused, at: now(deps) };
}

async function scheduleOne(deps: WorkflowDeps, schedule: BidSchedule): Promise<{ bid?: Bid; message: string }> {
  try {
    const bid = await deps.client.schedulePayments(schedule.bidId, schedule.version, schedule.instalments);
    return { bid, message: 'scheduled' };
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    if (error.kind === 'network' || error.kind === 'unavailable' || error.kind === 'timeout' || error.kind === 'unauthorised') throw error;
    // 412: the bid changed since the pull (pull again); anything else is the server refusing the schedule.
    const prefix = error.status === 412 ? 'Conflict' : 'Refused';
    return { message: `${prefix}: ${error.message}` };
  }
}
