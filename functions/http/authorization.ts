/**
 * Authorization at the HTTP edge. The decision is domain/permissions.ts's (`authorize` over the
 * matrix); here a refusal becomes its 403 problem. Routes that decide before any use-case runs
 * (the reads, the proposal batch) call this; the writes decide inside the lifecycle.
 */
import type { Context } from 'hono';
import { authorize, type AccessTarget, type Operation } from '../../domain';
import type { AppEnv } from './env';
import { problemResponse } from './problem';

/** The 403 problem when the caller may not perform the operation; undefined when they may. */
export function refusal(c: Context<AppEnv>, operation: Operation, target: AccessTarget = {}): Response | undefined {
  const granted = authorize(c.var.actor, operation, target);
  return granted.ok ? undefined : problemResponse(c, granted.error.kind, granted.error.message);
}
