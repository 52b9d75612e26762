/**
 * Monitoring returns (docs/design.md §1.4): file a quarter's return, accept or send it back, list
 * a bid's. The rules are domain/returns.ts's; here the bid and the return are read, and the next
 * version written conditional on the version read.
 */
import {
  decideReturn,
  domainError,
  err,
  fileReturn,
  ok,
  parseQuarter,
  quarterId,
  type Actor,
  type Bid,
  type DomainError,
  type MonitoringReturn,
  type Quarter,
  type Result,
  type ReturnAction,
  type ReturnActionBody,
  type ReturnPut,
} from '../../domain';
import type { UseCaseDeps } from './deps';

export interface ReturnCommandContext {
  actor: Actor;
  requestId: string;
  /** The return's version the caller last read (If-Match), when it sent one. */
  expectedVersion?: number;
}

interface Target {
  bid: Bid;
  quarter: Quarter;
  current: MonitoringReturn | undefined;
}

async function readTarget(deps: UseCaseDeps, bidId: string, quarterText: string): Promise<Result<Target, DomainError>> {
  const quarter = parseQuarter(quarterText);
  if (!quarter.ok) return quarter;
  const stored = await deps.store.readBid(bidId);
  if (!stored) return err(domainError('not-found', `bid ${bidId} does not exist`));
  const current = await deps.store.readReturn(stored.bid.fy, bidId, quarterId(quarter.value));
  return ok({ bid: stored.bid, quarter: quarter.value, current });
}

/** A retry of a request that already wrote (an Idempotency-Key roll-forward) gets what it wrote. */
const alreadyWrittenBy = (current: MonitoringReturn | undefined, requestId: string): boolean =>
  current?.history.at(-1)?.requestId === requestId;

function stale(current: MonitoringReturn | undefined, expectedVersion: number | undefined): DomainError | undefined {
  if (expectedVersion === undefined || expectedVersion === (current?.version ?? 0)) return undefined;
  return domainError('version-conflict', `the return is at version ${current?.version ?? 0}, not ${expectedVersion}; read it again`);
}

async function write(deps: UseCaseDeps, next: MonitoringReturn, expectedVersion: number): Promise<Result<MonitoringReturn, DomainError>> {
  const outcome = await deps.store.putReturn(next, expectedVersion);
  if (outcome === 'conflict') return err(domainError('version-conflict', 'the return changed while this request ran; read it again'));
  return ok(next);
}

export async function fileMonitoringReturn(
  deps: UseCaseDeps,
  bidId: string,
  quarterText: string,
  input: ReturnPut,
  ctx: ReturnCommandContext,
): Promise<Result<{ monitoringReturn: MonitoringReturn; created: boolean }, DomainError>> {
  const target = await readTarget(deps, bidId, quarterText);
  if (!target.ok) return target;
  const { bid, quarter, current } = target.value;
  if (current && alreadyWrittenBy(current, ctx.requestId)) return ok({ monitoringReturn: current, created: current.version === 1 });
  const conflict = stale(current, ctx.expectedVersion);
  if (conflict) return err(conflict);
  // The due date is the year's setting (docs/design.md §1.4), else the default.
  const dueDays = (await deps.store.getBudget(bid.fy))?.returnDueDays;
  const next = fileReturn(bid, quarter, current, input, ctx.actor, {
    now: deps.now().toISOString(),
    requestId: ctx.requestId,
    ...(dueDays !== undefined ? { dueDays } : {}),
  });
  if (!next.ok) return next;
  const written = await write(deps, next.value, current?.version ?? 0);
  return written.ok ? ok({ monitoringReturn: written.value, created: current === undefined }) : written;
}

export async function decideMonitoringReturn(
  deps: UseCaseDeps,
  bidId: string,
  quarterText: string,
  action: ReturnAction,
  body: ReturnActionBody,
  ctx: ReturnCommandContext,
): Promise<Result<MonitoringReturn, DomainError>> {
  const target = await readTarget(deps, bidId, quarterText);
  if (!target.ok) return target;
  const { bid, quarter, current } = target.value;
  if (!current) return err(domainError('not-found', `bid ${bidId} has no return for ${quarterId(quarter)}`));
  if (alreadyWrittenBy(current, ctx.requestId)) return ok(current);
  const conflict = stale(current, ctx.expectedVersion);
  if (conflict) return err(conflict);
  const next = decideReturn(bid, current, action, body, ctx.actor, { now: deps.now().toISOString(), requestId: ctx.requestId });
  if (!next.ok) return next;
  return write(deps, next.value, current.version);
}

export async function listMonitoringReturns(deps: UseCaseDeps, bidId: string): Promise<Result<MonitoringReturn[], DomainError>> {
  const stored = await deps.store.readBid(bidId);
  if (!stored) return err(domainError('not-found', `bid ${bidId} does not exist`));
  return ok(await deps.store.returnsOfBid(stored.bid.fy, bidId));
}

/** Every return of the year's bids, by bid then quarter (docs/design.md §1.4: checks 7–8 over a year). */
export async function returnsOfYear(deps: UseCaseDeps, fy: string): Promise<MonitoringReturn[]> {
  const returns = await deps.store.returnsOfYear(fy);
  return [...returns].sort((a, b) => a.bidId.localeCompare(b.bidId) || a.quarter.localeCompare(b.quarter));
}
