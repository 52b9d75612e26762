/** What the pane says after Pull, Check and Push (plain text from the workflows' results). */
import type { ReleaseResult } from '../workflows/payments';
import type { ScheduleResult } from '../workflows/schedule';
import type { RecordResult } from '../workflows/record-decisions';
import type { CheckResult, PullResult, PushResult } from '../workflows/workflows';

const plural = (count: number, one: string, many: string) => (count === 1 ? one : many);

export const repeatsNotice = (count: number): string =>
  count === 0
    ? ''
    : ` ${count} bid${plural(count, ' repeats', 's repeat')} an earlier bid's project (a corrected plan sent again?): see below.`;

export function pullNotice(result: PullResult): string {
  return (
    `Pulled ${result.bids} bids${result.delta ? ' (changes only)' : ''}.` +
    (result.keptEdits > 0 ? ` Kept ${result.keptEdits} unsent proposal${plural(result.keptEdits, '', 's')}.` : '') +
    (result.failedChecks > 0 ? ` ${result.failedChecks} row${plural(result.failedChecks, '', 's')} fail a check.` : '') +
    repeatsNotice(result.repeats.length)
  );
}

export function checkNotice(result: CheckResult): string {
  const verdict =
    result.failed.length === 0
      ? `All ${result.rows} rows pass the checks.`
      : `${result.failed.length} of ${result.rows} rows fail a check.`;
  return verdict + repeatsNotice(result.repeats.length);
}

export function pushNotice(result: PushResult): string {
  if (result.sent === 0) return 'Nothing to push: no proposal differs from what was pulled.';
  return (
    `Saved ${result.saved} of ${result.sent} proposals.` +
    (result.conflicts.length > 0 ? ` ${result.conflicts.length} changed on the server meanwhile: choose below.` : '') +
    (result.refused.length > 0 ? ` ${result.refused.length} refused.` : '')
  );
}

export function recordNotice(result: RecordResult): string {
  const skipped = result.skipped.length > 0 ? ` ${result.skipped.length} not sent: fix the cells named below.` : '';
  if (result.sent === 0) return result.skipped.length > 0 ? `No decision recorded.${skipped}` : 'Nothing to record: no row has a Decision.';
  return (
    `Recorded ${result.recorded} of ${result.sent} decision${plural(result.sent, '', 's')}.` +
    (result.conflicts.length > 0 ? ` ${result.conflicts.length} changed on the server meanwhile: see below.` : '') +
    (result.refused.length > 0 ? ` ${result.refused.length} refused.` : '') +
    skipped
  );
}

export function releaseNotice(result: ReleaseResult): string {
  if (result.sent === 0 && result.refused.length === 0) return 'Nothing to release: no row of the Payments sheet says release.';
  return (
    `Released ${result.released} of ${result.sent} payment${plural(result.sent, '', 's')}.` +
    (result.refused.length > 0 ? ` ${result.refused.length} not released: see the Result column and below.` : '')
  );
}

export function scheduleNotice(result: ScheduleResult): string {
  if (result.sent === 0 && result.refused.length === 0) {
    return 'Nothing to push: type instalments on the Schedule sheet (Bid ID, Due, Amount £, Requires return), one row each.';
  }
  return (
    `Scheduled ${result.scheduled} of ${result.sent} bid${plural(result.sent, '', 's')}.` +
    (result.refused.length > 0
      ? ` ${result.refused.length} row${plural(result.refused.length, '', 's')} not scheduled: see the Result column and below.`
      : '')
  );
}
