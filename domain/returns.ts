/**
 * Monitoring returns as pure rules (docs/design.md §1.4): quarters and their due dates, which
 * quarters an approved bid owes, and the return's transitions (file, accept, send back).
 *
 *   (none) | submitted | returned --file--> submitted --accept--> accepted
 *                                            submitted --return--> returned
 */
import { domainError, type DomainError } from './errors';
import { financialYearToPath, formatFinancialYear, parseFinancialYear } from './financial-year';
import { authorize } from './permissions';
import { err, ok, type Result } from './result';
import type { Actor } from './schemas/actor';
import type { Bid } from './schemas/bid';
import {
  QUARTER_PATTERN,
  type MonitoringReturn,
  type ReturnAction,
  type ReturnActionBody,
  type ReturnPut,
  type ReturnStatus,
} from './schemas/monitoring-return';

/** A return is due this many days after its quarter ends, unless the year says otherwise. */
export const DEFAULT_RETURN_DUE_DAYS = 30;

/** Bids that owe returns: the money is approved (or paid out). */
export const REPORTING_STATUSES: readonly Bid['status'][] = ['approved', 'released'];

export interface Quarter {
  fy: string;
  /** 1–4; Q1 is April to June. */
  number: 1 | 2 | 3 | 4;
}

export function parseQuarter(text: string): Result<Quarter, DomainError> {
  const match = QUARTER_PATTERN.exec(text.trim());
  const fy = match ? parseFinancialYear(`${match[1]}/${match[2]}`) : undefined;
  if (!match || !fy?.ok) {
    return err(
      domainError('invalid', 'quarter must look like 2026-27-Q2', { issues: [{ path: 'quarter', message: 'must look like 2026-27-Q2' }] }),
    );
  }
  return ok({ fy: formatFinancialYear(fy.value), number: Number(match[3]) as Quarter['number'] });
}

export const quarterId = (q: Quarter): string => `${financialYearToPath(q.fy)}-Q${q.number}`;

export const quartersOf = (fy: string): Quarter[] => ([1, 2, 3, 4] as const).map((number) => ({ fy, number }));

/** The last day of the quarter, as an ISO date. */
export function quarterEnd(q: Quarter): string {
  const start = parseFinancialYear(q.fy);
  const year = start.ok ? start.value : 2000;
  return ['', `${year}-06-30`, `${year}-09-30`, `${year}-12-31`, `${year + 1}-03-31`][q.number]!;
}

/** The quarter's return falls due this many days after the quarter ends (an ISO date). */
export function returnDueOn(q: Quarter, dueDays: number = DEFAULT_RETURN_DUE_DAYS): string {
  const due = new Date(`${quarterEnd(q)}T00:00:00.000Z`);
  due.setUTCDate(due.getUTCDate() + dueDays);
  return due.toISOString().slice(0, 10);
}

/**
 * The quarters a bid owes a return for: those of its year that end after the bid was created
 * (a project cannot report on a quarter before it bid), once its money is approved.
 */
export function quartersOwed(bid: Pick<Bid, 'fy' | 'status' | 'createdAt'>): Quarter[] {
  if (!REPORTING_STATUSES.includes(bid.status)) return [];
  const created = bid.createdAt.slice(0, 10);
  return quartersOf(bid.fy).filter((q) => quarterEnd(q) >= created);
}

export interface ReturnContext {
  now: string;
  requestId: string;
  dueDays?: number;
}

/** File (or file again) a quarter's return: the lead organisation's submitter or finance. */
export function fileReturn(
  bid: Bid,
  quarter: Quarter,
  current: MonitoringReturn | undefined,
  input: ReturnPut,
  actor: Actor,
  ctx: ReturnContext,
): Result<MonitoringReturn, DomainError> {
  const granted = authorize(actor, 'file-return', { leadOrganisation: bid.leadOrganisation });
  if (!granted.ok) return granted;
  if (!REPORTING_STATUSES.includes(bid.status)) {
    return err(domainError('invalid-transition', `returns are filed for approved or released bids; this one is ${bid.status}`));
  }
  if (quarter.fy !== bid.fy) {
    return err(
      domainError('invalid', `quarter ${quarterId(quarter)} is not in the bid's year ${bid.fy}`, {
        issues: [{ path: 'quarter', message: `must be a quarter of ${bid.fy}` }],
      }),
    );
  }
  if (current?.status === 'accepted') {
    return err(domainError('invalid-transition', `the ${quarterId(quarter)} return is already accepted`));
  }
  const known = new Set((bid.outcomeMeasures ?? []).map((m) => m.measure.toLowerCase()));
  const issues = input.actuals.flatMap((a, i) =>
    known.has(a.measure.toLowerCase())
      ? []
      : [{ path: `actuals.${i}.measure`, message: `"${a.measure}" is not one of the bid's outcome measures` }],
  );
  const seen = new Set<string>();
  input.actuals.forEach((a, i) => {
    if (seen.has(a.measure.toLowerCase())) issues.push({ path: `actuals.${i}.measure`, message: 'repeats a measure' });
    seen.add(a.measure.toLowerCase());
  });
  if (issues.length > 0) return err(domainError('invalid', issues.map((i) => `${i.path}: ${i.message}`).join('; '), { issues }));
  const version = (current?.version ?? 0) + 1;
  return ok({
    bidId: bid.id,
    fy: bid.fy,
    quarter: quarterId(quarter),
    status: 'submitted',
    spendToDatePence: input.spendToDatePence,
    actuals: input.actuals,
    rag: input.rag,
    narrative: input.narrative,
    dueOn: returnDueOn(quarter, ctx.dueDays),
    version,
    filedAt: ctx.now,
    filedBy: actor.sub,
    updatedAt: ctx.now,
    history: [
      ...(current?.history ?? []),
      {
        at: ctx.now,
        actor: actor.sub,
        role: granted.value,
        action: 'file',
        from: current?.status ?? null,
        to: 'submitted',
        version,
        spendToDatePence: input.spendToDatePence,
        rag: input.rag,
        requestId: ctx.requestId,
      },
    ],
  });
}

/** Finance accepts a submitted return, or sends it back for the project to file again. */
export function decideReturn(
  bid: Bid,
  current: MonitoringReturn,
  action: ReturnAction,
  body: ReturnActionBody,
  actor: Actor,
  ctx: ReturnContext,
): Result<MonitoringReturn, DomainError> {
  const granted = authorize(actor, action === 'accept' ? 'accept-return' : 'send-back-return', { leadOrganisation: bid.leadOrganisation });
  if (!granted.ok) return granted;
  if (current.status !== 'submitted') {
    return err(domainError('invalid-transition', `cannot ${action} a return that is ${current.status}`));
  }
  if (action === 'return' && !body.reason) {
    return err(
      domainError('invalid', 'reason: is required to send a return back', {
        issues: [{ path: 'reason', message: 'is required to send a return back' }],
      }),
    );
  }
  const to: ReturnStatus = action === 'accept' ? 'accepted' : 'returned';
  const version = current.version + 1;
  return ok({
    ...current,
    status: to,
    version,
    updatedAt: ctx.now,
    history: [
      ...current.history,
      {
        at: ctx.now,
        actor: actor.sub,
        role: granted.value,
        action,
        from: current.status,
        to,
        version,
        ...(body.reason !== undefined ? { reason: body.reason } : {}),
        requestId: ctx.requestId,
      },
    ],
  });
}
